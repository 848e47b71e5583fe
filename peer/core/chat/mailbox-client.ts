// The peer side of the relay mailbox (docs/protocol.md §16): deposits a chat envelope for a contact
// who is offline, and fetches, opens and deletes what contacts left for us. Every exchange runs on
// a fresh throw-away identity (§16.3, as a restore run, §9.4), never the long-term one.
//
// The ratchet state (§16.2) lives in the contact record next to the SharedSecrets (ContactRecord
// .mailbox), written through the ContactBook: the sender stores CK_{i+1} before it sends; the
// receiver stores its chains only after the opened envelopes are handed over, and deletes from the
// relay only after that (a crash in between opens the same blobs again; §15.3 dedupes by id).
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from 'libp2p'
import { fromHex, H, toHex, utf8, type PairingRole } from '../../../protocols/crypto/index.js'
import type { Clock } from '../../../protocols/common/index.js'
import { ChatEnvelope, envelopeFromWire, envelopeToWire, type EnvelopeRecord } from '../../../protocols/chat/index.js'
import {
  MAILBOX_PROTOCOL, mailboxChannel, depositBlob, fetchBlobs, deleteBlobs, mailboxDay, mailboxFetchTokens, mailboxSeal,
  mailboxToken, newReceiveChain, newSendChain, receiveOpen, sendStep, type ReceiveChain, type SendChain, type OpenFailure
} from '../../../protocols/mailbox/index.js'
import { dialRelay } from '../relay-slot.js'
import { withTimeout } from '../signals.js'
import type { ContactBook } from '../contact-book.js'
import type { CreatePeerNode } from '../peer-node.js'
import type { ContactRecord, MailboxChainsRecord } from '../storage.js'
import { KeyedQueue } from '../keyed-queue.js'

/** Bound on one whole exchange with the relay (dial, request, answers). */
export const MAILBOX_EXCHANGE_TIMEOUT_MS = 30_000

const SS_ID_LABEL = utf8('gini/mailbox/1/state')

export interface MailboxClientInit {
  relay: Multiaddr
  createPeerNode: CreatePeerNode
  book: ContactBook
  clock: Pick<Clock, 'now'>
  signal?: AbortSignal
}

export interface FetchResult {
  /** Envelopes that opened and are well-formed, in the order fetched. */
  envelopes: EnvelopeRecord[]
  /** Blobs that did not open or held no well-formed envelope: dropped, never shown (§16.6). */
  dropped: number
  /** Blobs deleted from the relay (opened and dropped alike). */
  deleted: number
}

/** The other role of a pair. */
function peerRole (role: PairingRole): PairingRole {
  return role === 'A' ? 'B' : 'A'
}

function ssIdOf (ssHex: string): string {
  return toHex(H(16, SS_ID_LABEL, fromHex(ssHex)))
}

/** The SharedSecrets held for the contact, current first. */
function secretsOf (c: ContactRecord): string[] {
  const out = [c.sharedSecret.current]
  if (c.sharedSecret.previous != null && c.sharedSecret.previous !== c.sharedSecret.current) out.push(c.sharedSecret.previous)
  return out
}

/** The entry for `ssHex`, and the record's entries pruned to the secrets still held. */
function chainsFor (c: ContactRecord, ssHex: string): MailboxChainsRecord {
  const held = new Set(secretsOf(c).map(ssIdOf))
  c.mailbox = (c.mailbox ?? []).filter(e => held.has(e.ssId))
  const id = ssIdOf(ssHex)
  let entry = c.mailbox.find(e => e.ssId === id)
  if (entry == null) { entry = { ssId: id }; c.mailbox.push(entry) }
  return entry
}

function loadReceive (entry: MailboxChainsRecord | undefined, ss: Uint8Array, sender: PairingRole): ReceiveChain {
  if (entry?.receive == null) return newReceiveChain(ss, sender)
  return { ck: fromHex(entry.receive.ck), index: entry.receive.index, skipped: new Map(entry.receive.skipped.map(([i, mk]) => [i, fromHex(mk)])) }
}

export class MailboxClient {
  private readonly init: MailboxClientInit
  /** One fetch per contact at a time: the receive chains are read, advanced and written back. */
  private readonly fetching = new KeyedQueue()

  constructor (init: MailboxClientInit) {
    this.init = init
  }

  /**
   * Seals `envelope` for the contact under today's token of our direction and deposits it.
   * Throws MailboxFullError (the relay refused: full or busy), RelayUnreachableError, or a GiniError.
   */
  async deposit (contactId: string, role: PairingRole, envelope: EnvelopeRecord): Promise<{ expiresAtMs: number }> {
    const plaintext = ChatEnvelope.encode(envelopeToWire(envelope))
    // §16.2: CK_{i+1} is stored before anything leaves; CK_i is gone from then on.
    let step: { mk: Uint8Array, index: number, ss: string } | undefined
    await this.init.book.update(contactId, (c) => {
      const ss = c.sharedSecret.current
      const entry = chainsFor(c, ss)
      const chain: SendChain = entry.send != null ? { ck: fromHex(entry.send.ck), index: entry.send.index } : newSendChain(fromHex(ss), role)
      const s = sendStep(chain)
      entry.send = { ck: toHex(s.chain.ck), index: s.chain.index }
      step = { mk: s.mk, index: s.index, ss }
    })
    if (step == null) throw new Error('no such contact')
    const token = mailboxToken(fromHex(step.ss), mailboxDay(this.init.clock.now()), role)
    const sealed = mailboxSeal(step.mk, token, step.index, plaintext)
    step.mk.fill(0)
    return await this.withRelay(async (ch) => await depositBlob(ch, token, step!.index, sealed))
  }

  /**
   * Fetches what the contact left for us (7 days of tokens for SS_cur and SS_prev), opens it,
   * awaits `deliver` with the envelopes (the caller stores them), then keeps the advanced chains
   * and deletes every fetched blob from the relay.
   */
  async fetch (contactId: string, role: PairingRole, deliver: (envelopes: EnvelopeRecord[]) => Promise<void>): Promise<FetchResult> {
    return await this.fetching.run(contactId, async () => await this.fetchOnce(contactId, role, deliver))
  }

  private async fetchOnce (contactId: string, role: PairingRole, deliver: (envelopes: EnvelopeRecord[]) => Promise<void>): Promise<FetchResult> {
    const contact = await this.init.book.get(contactId)
    if (contact == null) throw new Error('no such contact')
    const sender = peerRole(role)
    const bySecret = new Map<string, { ss: string, chain: ReceiveChain, changed: boolean }>()
    const tokenSecret = new Map<string, string>()
    for (const ss of secretsOf(contact)) {
      const entry = (contact.mailbox ?? []).find(e => e.ssId === ssIdOf(ss))
      bySecret.set(ss, { ss, chain: loadReceive(entry, fromHex(ss), sender), changed: false })
      for (const t of mailboxFetchTokens([fromHex(ss)], sender, this.init.clock.now())) tokenSecret.set(toHex(t), ss)
    }
    const tokens = [...tokenSecret.keys()].map(fromHex)
    return await this.withRelay(async (ch) => {
      const blobs = await fetchBlobs(ch, tokens)
      // Lower indices first, so skipped keys are rarely needed.
      blobs.sort((a, b) => a.index - b.index)
      const envelopes: EnvelopeRecord[] = []
      let dropped = 0
      for (const b of blobs) {
        const state = bySecret.get(tokenSecret.get(toHex(b.token)) ?? '')
        const opened = state == null ? { ok: false as const, reason: 'auth-failed' as OpenFailure } : receiveOpen(state.chain, b.token, b.index, b.sealed)
        if (!opened.ok) { dropped++; continue }
        state!.chain = opened.chain
        state!.changed = true
        try {
          envelopes.push(envelopeFromWire(ChatEnvelope.decode(opened.plaintext)))
        } catch {
          dropped++ // it opened, so its key is used up: a well-sealed but malformed envelope is dropped too
        }
      }
      if (envelopes.length > 0) await deliver(envelopes)
      await this.init.book.update(contactId, (c) => {
        let changed = false
        for (const state of bySecret.values()) {
          if (!state.changed || !secretsOf(c).includes(state.ss)) continue
          const entry = chainsFor(c, state.ss)
          entry.receive = { ck: toHex(state.chain.ck), index: state.chain.index, skipped: [...state.chain.skipped].map(([i, mk]) => [i, toHex(mk)]) }
          changed = true
        }
        return changed
      })
      const byToken = new Map<string, bigint[]>()
      for (const b of blobs) {
        const key = toHex(b.token)
        byToken.set(key, [...(byToken.get(key) ?? []), b.id])
      }
      let deleted = 0
      for (const [token, ids] of byToken) deleted += await deleteBlobs(ch, fromHex(token), ids)
      return { envelopes, dropped, deleted }
    })
  }

  /** A fresh identity, one connection to the relay, one /gini/mailbox/1 stream; all gone afterwards. */
  private async withRelay<T> (fn: (ch: ReturnType<typeof mailboxChannel>) => Promise<T>): Promise<T> {
    const node: Libp2p = await this.init.createPeerNode()
    try {
      const signal = withTimeout(this.init.signal, MAILBOX_EXCHANGE_TIMEOUT_MS)
      const connection = await dialRelay(node, this.init.relay, signal)
      const stream = await connection.newStream(MAILBOX_PROTOCOL, { signal })
      const ch = mailboxChannel(stream)
      // The frame deadlines bound a frame once it starts; this bounds the wait for it.
      const onAbort = (): void => { ch.abort(new Error('mailbox exchange timed out')) }
      signal.addEventListener('abort', onAbort, { once: true })
      try {
        return await fn(ch)
      } finally {
        signal.removeEventListener('abort', onAbort)
        await ch.close()
      }
    } finally {
      try { await node.stop() } catch {}
    }
  }
}
