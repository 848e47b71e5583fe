// The two ends of a `/gini/chat/1` stream (docs/protocol.md §15.3): the opener writes envelopes and
// reads acks; the acceptor stores each envelope, then acknowledges it. Pure logic over a
// FrameChannel: storing is the caller's `store()`, which resolves once the envelope is durable.
import {
  ProtocolViolationError, PeerLeftError, errorFrame, readOrEnd, refuse, watchRemoteClose, writeFrame,
  type FrameChannel, type GiniError
} from '../common/index.js'
import { toHex } from '../crypto/index.js'
import { CHAT_ACK_MAX_IDS, CHAT_ID_BYTES } from './constants.js'
import { envelopeFromWire, envelopeToWire, type EnvelopeRecord } from './envelope.js'
import type { ChatMessage } from './pb/chat.js'

export type ChatChannel = FrameChannel<ChatMessage>

export interface ReceiveChatOptions {
  /** Stores one well-formed envelope (a repeated id is not stored again) and resolves when durable. */
  store: (envelope: EnvelopeRecord) => Promise<void>
  signal?: AbortSignal
}

/**
 * Acceptor side: store, then ack, every envelope until the opener closes (§15.3). A malformed frame
 * is PROTOCOL_VIOLATION for this stream only (§15.4): Error frame, close, and the error is thrown.
 */
export async function receiveChat (channel: ChatChannel, opts: ReceiveChatOptions): Promise<void> {
  const watch = watchRemoteClose(channel.stream)
  try {
    for (;;) {
      let msg: ChatMessage | undefined
      try {
        msg = await readOrEnd(channel, watch, opts.signal)
      } catch (err) {
        if (err instanceof ProtocolViolationError) throw await refuse(channel, errorFrame('PROTOCOL_VIOLATION'), err)
        throw err
      }
      if (msg == null) {
        await channel.close()
        return
      }
      if (msg.envelope == null) throw await refuse(channel, errorFrame('PROTOCOL_VIOLATION'), new ProtocolViolationError())
      let record: EnvelopeRecord
      try {
        record = envelopeFromWire(msg.envelope)
      } catch (err) {
        throw await refuse(channel, errorFrame('PROTOCOL_VIOLATION'), err as GiniError)
      }
      await opts.store(record)
      await writeFrame(channel, { ack: { ids: [msg.envelope.id] } }, opts.signal)
    }
  } finally {
    watch.stop()
  }
}

/**
 * Opener side: writes envelopes and reports the ids the other side acknowledged. `done` settles
 * when the stream ends: cleanly (the other side closed), or with the error that ended it.
 */
export class ChatSender {
  readonly done: Promise<void>
  private ended = false

  constructor (private readonly channel: ChatChannel, onAcked: (ids: string[]) => void) {
    this.done = this.readAcks(onAcked)
    this.done.catch(() => {}).finally(() => { this.ended = true })
  }

  get isOpen (): boolean {
    return !this.ended
  }

  async send (envelope: EnvelopeRecord, signal?: AbortSignal): Promise<void> {
    if (this.ended) throw new PeerLeftError()
    await writeFrame(this.channel, { envelope: envelopeToWire(envelope) }, signal)
  }

  /** Half-closes our side; the other side closes its own when it has read everything. */
  async close (): Promise<void> {
    await this.channel.close()
  }

  abort (err: Error): void {
    this.channel.abort(err)
  }

  private async readAcks (onAcked: (ids: string[]) => void): Promise<void> {
    const watch = watchRemoteClose(this.channel.stream)
    try {
      for (;;) {
        const msg = await readOrEnd(this.channel, watch)
        if (msg == null) return
        if (msg.error != null) throw new ProtocolViolationError('The contact refused a chat frame.')
        const ids = msg.ack?.ids
        if (ids == null || ids.length === 0 || ids.length > CHAT_ACK_MAX_IDS || ids.some(id => id.length !== CHAT_ID_BYTES)) {
          throw await refuse(this.channel, errorFrame('PROTOCOL_VIOLATION'), new ProtocolViolationError())
        }
        onAcked(ids.map(toHex))
      }
    } finally {
      watch.stop()
    }
  }
}
