// Chat between contacts (docs/protocol.md §15) on top of the daemon's links: every envelope is stored
// before it is written (the outbox, §15.6), written at once when the contact has a link and again at
// each new session until acknowledged; inbound streams are accepted only from a contact on a
// connection that carries a confirmed session (§15.1), stored, then acknowledged.
import type { Connection, Stream } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import type { Clock } from '../../../protocols/common/index.js'
import { sodium, toHex } from '../../../protocols/crypto/index.js'
import {
  CHAT_ID_BYTES, CHAT_MAX_OUTBOUND_STREAMS, CHAT_PROTOCOL, ChatSender, chatChannel, contentProblem, receiveChat,
  showConversation, type ChatKind, type EnvelopeRecord, type ShownMessage, type StoredEnvelope
} from '../../../protocols/chat/index.js'
import type { MessageStore } from './message-store.js'
import { KeyedQueue } from '../keyed-queue.js'
import { RetryLadder } from '../retry-ladder.js'

const log = logger('gini:chat')

/** What the user asked for cannot be sent (too long, empty, not a contact, not their message). Nothing was stored. */
export class ChatInputError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ChatInputError'
  }
}

export type ChatEvent =
  | { event: 'message', id: string, contact: string, direction: 'in' | 'out', type: ChatKind, content: string, target?: string, at: number }
  | { event: 'delivered', id: string, contact: string }

export interface ChatLink { connection: Connection }

export interface ChatServiceInit {
  store: MessageStore
  clock: Clock
  emit: (event: ChatEvent) => void
  /** The contact's best link with a confirmed session, if it is online. */
  linkOf: (contactId: string) => ChatLink | undefined
  /** True once `connection` carries a confirmed session with this contact (§15.1), waiting briefly for one in progress. */
  sessionOn: (contactId: string, connection: Connection) => Promise<boolean>
  /** True for a contact that may be written to (known, not expired). */
  isContact: (contactId: string) => Promise<boolean>
}

interface Outbound { connection: Connection, sender: ChatSender }

/**
 * A flush that could not open or keep a stream while the contact is online is tried again: the two
 * sides store a session a moment apart (§8.3), so the first stream may reach a side that does not
 * yet count the connection as a session's and resets it (§15.1).
 */
export const CHAT_RETRY_DELAYS_MS = [250, 1_000, 3_000, 10_000]

export class ChatService {
  private readonly init: ChatServiceInit
  private readonly outbound = new Map<string, Outbound>()
  /** One queue per contact: flushes and sends never interleave, so envelopes go out in seq order. */
  private readonly queue = new KeyedQueue()
  private readonly retries = new RetryLadder(CHAT_RETRY_DELAYS_MS)
  /** Envelopes left in the relay mailbox in this run (docs/protocol.md §16): deposited once, resent directly at the next session. */
  private readonly deposited = new Set<string>()
  private stopped = false

  constructor (init: ChatServiceInit) {
    this.init = init
  }

  /** A new envelope of ours: checked, stored (undelivered), then written if the contact is online. */
  async send (contactId: string, type: ChatKind, content: string, target?: string): Promise<StoredEnvelope> {
    const problem = contentProblem(type, content)
    if (problem != null) throw new ChatInputError(`Not sent: ${problem}.`)
    if (!await this.init.isContact(contactId)) throw new ChatInputError('Not sent: not a contact (or the contact expired and needs a new pairing, or you blocked them: `gini contact unblock`).')
    if (type !== 'MESSAGE') await this.checkTarget(contactId, type, target)
    return await this.queue.run(contactId, async () => {
      const last = await this.init.store.lastSent(contactId)
      const envelope: StoredEnvelope = {
        id: toHex(sodium.randombytes_buf(CHAT_ID_BYTES)),
        type,
        content,
        sentAtMs: Math.max(this.init.clock.now(), last.sentAtMs + 1),
        seq: last.seq + 1,
        author: 'me',
        delivered: false
      }
      if (target != null) envelope.target = target
      await this.init.store.add(contactId, envelope)
      this.init.emit({ event: 'message', id: envelope.id, contact: contactId, direction: 'out', type, content, target, at: envelope.sentAtMs })
      await this.writeAll(contactId, [envelope])
      return envelope
    })
  }

  /** A contact came online (a session was stored on `link`): write its whole outbox (§15.6). */
  linkUp (contactId: string): void {
    this.retries.cancel(contactId)
    this.flush(contactId)
  }

  private flush (contactId: string): void {
    void this.queue.run(contactId, async () => {
      const pending = await this.init.store.undelivered(contactId)
      if (pending.length > 0) await this.writeAll(contactId, pending)
    }).catch((err) => { log('flush to a contact failed: %s', err?.message) })
  }

  private retryLater (contactId: string): void {
    if (this.stopped || this.init.linkOf(contactId) == null) return // the next session flushes
    this.retries.schedule(contactId, () => { this.flush(contactId) })
  }

  /** An inbound /gini/chat/1 stream. `contactId` for a restored connection on a run's node. */
  async handleInbound (stream: Stream, connection: Connection, contactId = connection.remotePeer.toString()): Promise<void> {
    if (this.stopped || !await this.init.sessionOn(contactId, connection) || !await this.init.isContact(contactId)) {
      stream.abort(new Error('not a contact with a session')) // §15.1: no frame for a stranger
      return
    }
    // The contact counts this connection as a session's: what we still owe it can go now.
    if (this.retries.has(contactId)) { this.retries.cancel(contactId); this.flush(contactId) }
    try {
      await receiveChat(chatChannel(stream), {
        store: async (record) => {
          const fresh = await this.init.store.add(contactId, { ...record, author: 'them', delivered: true })
          if (fresh) this.init.emit({ event: 'message', id: record.id, contact: contactId, direction: 'in', type: record.type, content: record.content, target: record.target, at: record.sentAtMs })
        }
      })
    } catch (err: any) {
      log('inbound chat stream ended: %s', err?.name ?? err)
    }
  }

  /** Envelopes the contact left in the relay mailbox (docs/protocol.md §16): stored as inbound chat is, once per id. */
  async acceptFromMailbox (contactId: string, envelopes: EnvelopeRecord[]): Promise<void> {
    if (!await this.init.isContact(contactId)) return
    for (const record of envelopes) {
      const fresh = await this.init.store.add(contactId, { ...record, author: 'them', delivered: true })
      if (fresh) this.init.emit({ event: 'message', id: record.id, contact: contactId, direction: 'in', type: record.type, content: record.content, target: record.target, at: record.sentAtMs })
    }
  }

  /**
   * Hands each undelivered envelope not yet deposited in this run to `deposit` (§16), in seq order.
   * They stay undelivered: no ack comes through the mailbox, so the next session sends them again
   * and the receiver stores them once (§15.3). Returns how many were deposited.
   */
  async depositOutbox (contactId: string, deposit: (envelope: EnvelopeRecord) => Promise<void>): Promise<number> {
    return await this.queue.run(contactId, async () => {
      let n = 0
      for (const e of await this.init.store.undelivered(contactId)) {
        if (this.stopped) break
        if (this.deposited.has(e.id)) continue
        const record: EnvelopeRecord = { id: e.id, type: e.type, content: e.content, sentAtMs: e.sentAtMs, seq: e.seq }
        if (e.target != null) record.target = e.target
        await deposit(record)
        this.deposited.add(e.id)
        n++
      }
      return n
    })
  }

  async conversation (contactId: string): Promise<ShownMessage[]> {
    return showConversation(await this.init.store.list(contactId))
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.retries.cancelAll()
    for (const o of this.outbound.values()) o.sender.abort(new Error('stopping'))
    this.outbound.clear()
    await this.queue.idle()
  }

  private async checkTarget (contactId: string, type: ChatKind, target?: string): Promise<void> {
    const message = target == null ? undefined : (await this.init.store.list(contactId)).find(e => e.id === target && e.type === 'MESSAGE')
    if (message == null) throw new ChatInputError('Not sent: no such message in this conversation.')
    if (type !== 'REACT' && message.author !== 'me') throw new ChatInputError('Not sent: only the author may edit or delete a message.')
  }

  /** Writes on the contact's chat stream, opening one on its current link when needed. */
  private async writeAll (contactId: string, envelopes: StoredEnvelope[]): Promise<void> {
    const out = await this.outboundFor(contactId)
    if (out == null) { this.retryLater(contactId); return } // offline: the outbox keeps them for the next session
    try {
      for (const e of envelopes) await out.sender.send(e)
    } catch (err: any) {
      log('chat stream broke, keeping %d in the outbox: %s', envelopes.length, err?.name)
      this.dropOutbound(contactId, out)
      this.retryLater(contactId)
    }
  }

  private async outboundFor (contactId: string): Promise<Outbound | undefined> {
    const link = this.stopped ? undefined : this.init.linkOf(contactId)
    const current = this.outbound.get(contactId)
    if (current != null && current.sender.isOpen && current.connection === link?.connection) return current
    if (current != null) this.dropOutbound(contactId, current)
    if (link == null) return undefined
    let stream: Stream
    try {
      stream = await link.connection.newStream(CHAT_PROTOCOL, {
        maxOutboundStreams: CHAT_MAX_OUTBOUND_STREAMS, runOnLimitedConnection: link.connection.limits != null, signal: AbortSignal.timeout(10_000)
      })
    } catch (err: any) {
      log('could not open a chat stream: %s', err?.name)
      return undefined
    }
    const sender = new ChatSender(chatChannel(stream), (ids) => { void this.acked(contactId, ids) })
    const out = { connection: link.connection, sender }
    // A stream the contact reset (not yet a session on its side, or a bad frame) leaves the outbox to a retry.
    sender.done.then(() => {}, () => { this.retryLater(contactId) }).finally(() => { if (this.outbound.get(contactId) === out) this.outbound.delete(contactId) })
    this.outbound.set(contactId, out)
    return out
  }

  private dropOutbound (contactId: string, out: Outbound): void {
    out.sender.abort(new Error('chat stream replaced'))
    if (this.outbound.get(contactId) === out) this.outbound.delete(contactId)
  }

  private async acked (contactId: string, ids: string[]): Promise<void> {
    this.retries.succeeded(contactId) // the stream works again
    for (const id of await this.init.store.markDelivered(contactId, ids)) this.init.emit({ event: 'delivered', id, contact: contactId })
  }
}
