// Everything both ends of GiniConnect must agree on: wire codecs, crypto, protocol state machines.
export * as crypto from './crypto/index.js'
export * as common from './common/index.js'
export * as fc from './fc/index.js'
export * as crp from './crp/index.js'
export * as contact from './contact/index.js'
export * as session from './session/index.js'
export * as ice from './ice/index.js'
export * as chat from './chat/index.js'
export * as mailbox from './mailbox/index.js'
// The earlier names of this module, kept for library callers.
export * as errors from './common/errors.js'
export { FcPeer, FcRelay } from './fc/index.js'
export * as fcConstants from './fc/constants.js'
