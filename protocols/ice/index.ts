// `/gini/ice/1` — ICE servers (STUN URLs, short-lived TURN credentials) from the relay
// (docs/protocol.md §14).
export * from './constants.js'
export { requestIceServers, validateIceServers } from './peer.js'
export { serveIceRequest } from './relay.js'
export type { IceServerEntry, IceServerGrant } from './peer.js'
export { IceMessage, IceServers, IceServer } from './pb/ice.js'
