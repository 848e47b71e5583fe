// /gini/mailbox/1 — relay mailbox for offline delivery (docs/protocol.md §16): constants, codec, keys and both sides.
import type { Stream } from '@libp2p/interface'
import { frameChannel } from '../common/index.js'
import { MAILBOX_FRAME_MAX_BYTES } from './constants.js'
import { MailboxMessage } from './pb/mailbox.js'
import type { MailboxChannel } from './peer.js'

export * from './constants.js'
export * from './crypto.js'
export { MailboxMessage, Sealed } from './pb/mailbox.js'
export { depositBlob, fetchBlobs, deleteBlobs, MailboxFullError, type FetchedBlob, type MailboxChannel } from './peer.js'
export {
  MailboxRelay, type MailboxRelayInit, type MailboxRemote, type MailboxOutcome, type MailboxStore, type StoredBlob
} from './relay.js'

/** A /gini/mailbox/1 stream as MailboxMessage frames, refused beyond MAILBOX_FRAME_MAX_BYTES. */
export function mailboxChannel (stream: Stream): MailboxChannel {
  return frameChannel(stream, MailboxMessage, MAILBOX_FRAME_MAX_BYTES)
}
