// `/gini/session/1` — SharedSecret handshake and address updates (docs/protocol.md §8).
export {
  SESSION_PROTOCOL, SESSION_FRAME_MAX_BYTES, SESSION_KEY_BYTES, SESSION_CONFIRM_BYTES, SHARED_SECRET_BYTES,
  SESSION_HANDSHAKE_TIMEOUT_MS, ADDRESS_UPDATE_TIMEOUT_MS
} from './constants.js'
export { runSessionInitiator, runSessionResponder } from './peer.js'
export type { SessionResult, SessionOptions } from './peer.js'
export { sendAddressUpdate, readAddressUpdate } from './address-update.js'
export type { AddressUpdateBody } from './address-update.js'
export { SessionMessage } from './pb/session.js'
