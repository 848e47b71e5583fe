// /gini/crp/1 — Connection Restore Protocol (PROTOCOL.md §6): constants, codec, and both sides.
export * from './constants.js'
export { CrpMessage } from './pb/crp.js'
export { CrpPeer, sealParkedOffer, type CrpPeerInfo, type CrpPeerInit, type CrpPeerState, type Registration } from './peer.js'
