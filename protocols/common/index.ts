// What every /gini/* protocol shares: the error outcomes and their wire codes, framing, stream
// endings, the relay's stream plumbing, the clock, and the messages of common.proto.
export * from './errors.js'
export * from './framing.js'
export * from './stream-end.js'
export * from './relay-streams.js'
export * from './clock.js'
export * from './wire-bytes.js'
export * from './peer-info.js'
export { ErrorCode, ErrorFrame, Sealed, PeerInfo } from './pb/common.js'
