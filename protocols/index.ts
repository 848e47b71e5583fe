// Everything both ends of GiniConnect must agree on: wire codecs, crypto, protocol state machines.
export * as crypto from './crypto/index.js'
export * as errors from './common/errors.js'
export { FcPeer } from './fc/peer.js'
export { FcRelay } from './fc/relay.js'
export * as fcConstants from './fc/constants.js'
export * as contact from './contact/index.js'
export * as session from './session/index.js'
