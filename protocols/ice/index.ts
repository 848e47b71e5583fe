// `/gini/ice/1` — ICE servers (STUN URLs, short-lived TURN credentials) from the relay
// (docs/protocol.md §14).
import type { Stream } from '@libp2p/interface'
import { frameChannel, type FrameChannel } from '../common/index.js'
import { ICE_FRAME_MAX_BYTES } from './constants.js'
import { IceMessage } from './pb/ice.js'

export * from './constants.js'
export { requestIceServers, validateIceServers } from './peer.js'
export { serveIceRequest } from './relay.js'
export type { IceServerEntry, IceServerGrant } from './peer.js'
export { IceMessage, IceServers, IceServer } from './pb/ice.js'

/** A /gini/ice/1 stream as IceMessage frames, refused beyond ICE_FRAME_MAX_BYTES. */
export function iceChannel (stream: Stream): FrameChannel<IceMessage> {
  return frameChannel(stream, IceMessage, ICE_FRAME_MAX_BYTES)
}
