// The peer side of the relay mailbox (docs/protocol.md §16): deposits a chat envelope for a contact
// who is offline, and fetches, opens and deletes what contacts left for us. Every exchange runs on
// a fresh throw-away identity (§16.3, as a restore run, §9.4), never the long-term one.
//
// The ratchet state (§16.2) lives in the contact record next to the SharedSecrets (ContactRecord
// .mailbox), written through the ContactBook: the sender stores CK_{i+1} before it sends; the
// receiver stores its chains only after the opened envelopes are handed over, and deletes from the
// relay only after that (a crash in between opens the same blobs again; §15.3 dedupes by id).
//
// With a remembered list of two or more relays, each token lives at its two home relays (§22.4):
// a blob is deposited at both, tokens are fetched from both, and a copy is opened once.
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Libp2p } from 'libp2p'
import { fromHex, H, toHex, utf8, type PairingRole } from '../../../protocols/crypto/index.js'
import type { Clock } from '../../../protocols/common/index.js'
import { ChatEnvelope, envelopeFromWire, envelopeToWire, type EnvelopeRecord } from '../../../protocols/chat/index.js'
import {
  MAILBOX_PROTOCOL, MailboxFullError, mailboxChannel, depositBlob, fetchBlobs, deleteBlobs, mailboxDay, mailboxFetchTokens, mailboxSeal,
  mailboxToken, newReceiveChain, newSendChain, receiveOpen, sendStep, type FetchedBlob, type MailboxChannel, type ReceiveChain,
  type SendChain, type OpenFailure
} from '../../../protocols/mailbox/index.js'
import { entriesFromAddrs, tokenHomes } from '../../../protocols/gss-list/index.js'
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
  /** The configured relay: a token's one home when fewer than two relays are remembered (§22.4). */
  relay: Multiaddr
  /** The relays remembered from the last list of two or more (§22.2), each ending in /p2p/<id>. */
  knownRelays?: () => Promise<Multiaddr[]>
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
    // §22.4: the same blob at each home; done when one stored it, full only when every answer was a refusal.
    const homes = this.homesOf(await this.knownList(), token)
    return await this.withRelays(homes, async (channels) => {
      const results = await Promise.allSettled(channels.map(async ({ ch }) => await depositBlob(ch, token, step!.index, sealed)))
      const stored = results.find(r => r.status === 'fulfilled')
      if (stored != null) return { expiresAtMs: stored.value.expiresAtMs }
      const errors = results.map(r => (r as PromiseRejectedResult).reason)
      throw errors.find(e => e instanceof MailboxFullError) ?? errors[0]
    })
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
    // §22.4: each home is asked for the tokens that live there.
    const known = await this.knownList()
    const tokensAt = new Map<string, Uint8Array[]>()
    for (const hex of tokenSecret.keys()) {
      for (const home of this.homesOf(known, fromHex(hex))) tokensAt.set(home.toString(), [...(tokensAt.get(home.toString()) ?? []), fromHex(hex)])
    }
    return await this.withRelays([...tokensAt.keys()].map(a => this.addrOf(a)), async (channels) => {
      const fetched = await Promise.allSettled(channels.map(async ({ addr, ch }) => await fetchBlobs(ch, tokensAt.get(addr.toString()) ?? [])))
      if (!fetched.some(r => r.status === 'fulfilled')) throw (fetched[0] as PromiseRejectedResult).reason
      const at = channels.map((c, i) => ({ ch: c.ch, blobs: fetched[i].status === 'fulfilled' ? fetched[i].value : [] }))
      // §22.4: a blob deposited at both homes is one blob (equal token, index and sealed bytes).
      const seen = new Set<string>()
      const blobs: FetchedBlob[] = []
      for (const b of at.flatMap(a => a.blobs)) {
        const key = [b.token, b.sealed.nonce, b.sealed.ciphertext].map(toHex).join('.') + `.${b.index}`
        if (seen.has(key)) continue
        seen.add(key)
        blobs.push(b)
      }
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
      // Each home deletes the ids it sent (copies included).
      let deleted = 0
      for (const { ch, blobs: sent } of at) {
        const byToken = new Map<string, bigint[]>()
        for (const b of sent) {
          const key = toHex(b.token)
          byToken.set(key, [...(byToken.get(key) ?? []), b.id])
        }
        for (const [token, ids] of byToken) deleted += await deleteBlobs(ch, fromHex(token), ids)
      }
      return { envelopes, dropped, deleted }
    })
  }

  private async knownList (): Promise<ReturnType<typeof entriesFromAddrs>> {
    return entriesFromAddrs(await this.init.knownRelays?.().catch(() => []) ?? [])
  }

  /** §22.4: the token's two home relays of the remembered list, else the configured relay. */
  private homesOf (known: ReturnType<typeof entriesFromAddrs>, token: Uint8Array): Multiaddr[] {
    const homes = tokenHomes(known, token)
    return homes.length > 0 ? homes.map(e => e.multiaddrs[0]) : [this.init.relay]
  }

  private addrOf (text: string): Multiaddr {
    if (text === this.init.relay.toString()) return this.init.relay
    return multiaddr(text)
  }

  /**
   * A fresh identity, one connection and one /gini/mailbox/1 stream per relay it reaches (§22.4: a
   * relay that cannot be reached is skipped; none reached throws the first failure); all gone afterwards.
   */
  private async withRelays<T> (relays: Multiaddr[], fn: (channels: Array<{ addr: Multiaddr, ch: MailboxChannel }>) => Promise<T>): Promise<T> {
    const node: Libp2p = await this.init.createPeerNode()
    const signal = withTimeout(this.init.signal, MAILBOX_EXCHANGE_TIMEOUT_MS)
    const channels: Array<{ addr: Multiaddr, ch: MailboxChannel }> = []
    // The frame deadlines bound a frame once it starts; this bounds the wait for it.
    const onAbort = (): void => { for (const { ch } of channels) ch.abort(new Error('mailbox exchange timed out')) }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      const opened = await Promise.allSettled(relays.map(async (addr) => {
        const connection = await dialRelay(node, addr, signal)
        const stream = await connection.newStream(MAILBOX_PROTOCOL, { signal })
        return { addr, ch: mailboxChannel(stream) }
      }))
      for (const o of opened) if (o.status === 'fulfilled') channels.push(o.value)
      if (channels.length === 0) throw (opened[0] as PromiseRejectedResult).reason
      return await fn(channels)
    } finally {
      signal.removeEventListener('abort', onAbort)
      await Promise.all(channels.map(async ({ ch }) => { await ch.close().catch(() => {}) }))
      try { await node.stop() } catch {}
    }
  }
}
