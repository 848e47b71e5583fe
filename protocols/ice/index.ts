// `/gini/ice/1` — ICE servers (STUN URLs, short-lived TURN credentials) from the relay (PROTOCOL.md §14).
export * from './constants.js'
export { requestIceServers, serveIceRequest, validateIceServers } from './exchange.js'
export type { IceServerEntry, IceServerGrant } from './exchange.js'
export { IceMessage, IceServers, IceServer } from './pb/ice.js'
