// /gini/crp/1 — Connection Restore Protocol (docs/protocol.md §9): constants, codec, and both sides.
export * from './constants.js'
export { CrpMessage } from './pb/crp.js'
export { CrpPeer, sealParkedOffer, encodePeerInfo, decodePeerInfo, type CrpPeerInfo, type CrpPeerInit, type CrpPeerState, type Registration } from './peer.js'
