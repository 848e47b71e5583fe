// The peer side of /gini/mailbox/1 (docs/protocol.md §16.3): deposit, fetch and delete over one
// FrameChannel to the relay. Wire only; keys and sealing are in crypto.ts, state in the caller.
import { errorFromWire, ProtocolViolationError, RateLimitedError, wire, type FrameChannel } from '../common/index.js'
import { MAILBOX_MAX_DELETE_IDS, MAILBOX_MAX_FETCH_TOKENS } from './constants.js'
import type { SealedBox } from '../crypto/index.js'
import type { MailboxMessage, Sealed } from './pb/mailbox.js'

export type MailboxChannel = FrameChannel<MailboxMessage>

/** One blob as fetched: still sealed; the caller opens it with its ratchet. */
export interface FetchedBlob { token: Uint8Array, id: bigint, index: number, sealed: Sealed }

/** The relay refused a deposit because the contact's mailbox (or the relay's) is full (§16.6). */
export class MailboxFullError extends RateLimitedError {
  constructor () {
    super('The relay mailbox is full or busy: the message stays in your outbox and is sent later.')
    this.name = 'MailboxFullError'
  }
}

function fail (msg: MailboxMessage, kind: string): never {
  if (msg.error != null) {
    if (msg.error.code === 'RATE_LIMITED') throw new MailboxFullError()
    throw errorFromWire(msg.error.code)
  }
  throw new ProtocolViolationError(`unexpected reply to ${kind}`)
}

/** Deposits one sealed blob; resolves with the relay's id and expiry once it is stored. */
export async function depositBlob (ch: MailboxChannel, token: Uint8Array, index: number, sealed: SealedBox): Promise<{ id: bigint, expiresAtMs: number }> {
  await ch.write({ deposit: { token: wire(token), index, sealed: { nonce: wire(sealed.nonce), ciphertext: wire(sealed.ciphertext) } } })
  const reply = await ch.read()
  if (reply.deposited == null) fail(reply, 'deposit')
  return { id: reply.deposited.id, expiresAtMs: Number(reply.deposited.expiresAtMs) }
}

/** Fetches every blob under `tokens` (sent in a random order, §16.3), at most `maxBlobs`. */
export async function fetchBlobs (ch: MailboxChannel, tokens: Uint8Array[], maxBlobs = 16 * 1024): Promise<FetchedBlob[]> {
  if (tokens.length > MAILBOX_MAX_FETCH_TOKENS) throw new RangeError(`at most ${MAILBOX_MAX_FETCH_TOKENS} tokens per fetch`)
  const shuffled = [...tokens]
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
  }
  await ch.write({ fetch: { tokens: shuffled.map(wire) } })
  const out: FetchedBlob[] = []
  for (let n = 0; n <= maxBlobs; n++) {
    const msg = await ch.read()
    if (msg.end != null) return out
    if (msg.blob?.sealed == null) fail(msg, 'fetch')
    out.push({ token: msg.blob.token, id: msg.blob.id, index: msg.blob.index, sealed: msg.blob.sealed })
  }
  throw new ProtocolViolationError('too many blobs in one fetch')
}

/** Deletes `ids` under `token` (in batches of MAILBOX_MAX_DELETE_IDS); how many the relay removed. */
export async function deleteBlobs (ch: MailboxChannel, token: Uint8Array, ids: bigint[]): Promise<number> {
  let count = 0
  for (let i = 0; i < ids.length; i += MAILBOX_MAX_DELETE_IDS) {
    await ch.write({ delete: { token: wire(token), ids: ids.slice(i, i + MAILBOX_MAX_DELETE_IDS) } })
    const reply = await ch.read()
    if (reply.deleted == null) fail(reply, 'delete')
    count += reply.deleted.count
  }
  return count
}
