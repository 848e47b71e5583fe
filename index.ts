// GiniConnect as a library: the peer (GiniNode over a data dir) and the GSS relay.
export * from './peer/index.js'
export { createRelay, type Relay, type RelayOptions } from './relay/index.js'
export * as protocols from './protocols/index.js'
