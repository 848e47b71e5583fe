// `/gini/session/1` — SharedSecret handshake, address updates (docs/protocol.md §8) and card updates (§19).
import type { Stream } from '@libp2p/interface'
import { frameChannel, type FrameChannel } from '../common/index.js'
import { SESSION_FRAME_MAX_BYTES } from './constants.js'
import { SessionMessage } from './pb/session.js'

export {
  SESSION_PROTOCOL, SESSION_FRAME_MAX_BYTES, SESSION_KEY_BYTES, SESSION_CONFIRM_BYTES, SHARED_SECRET_BYTES,
  SESSION_HANDSHAKE_TIMEOUT_MS, ADDRESS_UPDATE_TIMEOUT_MS, CARD_UPDATE_NAME_MAX_BYTES, CARD_UPDATE_EMAIL_MAX_BYTES,
  CARD_UPDATE_PHOTO_MAX_BYTES, CARD_UPDATE_TIMEOUT_MS
} from './constants.js'
export { runSessionInitiator, runSessionResponder } from './peer.js'
export type { SessionResult, SessionOptions } from './peer.js'
export { sendAddressUpdate, readAddressUpdate } from './address-update.js'
export type { AddressUpdateBody } from './address-update.js'
export { sendCardUpdate, answerCardUpdate, cardUpdateFields, photoMediaType } from './card-update.js'
export { SessionMessage, CardUpdate } from './pb/session.js'

/** A /gini/session/1 stream as SessionMessage frames, refused beyond SESSION_FRAME_MAX_BYTES. */
export function sessionChannel (stream: Stream): FrameChannel<SessionMessage> {
  return frameChannel(stream, SessionMessage, SESSION_FRAME_MAX_BYTES)
}
