// `/gini/fc/1`: pairing through the relay (docs/protocol.md §6): constants, codec, the peer side
// (FcPeer) and the relay side (FcRelay).
import type { Stream } from '@libp2p/interface'
import { frameChannel, type FrameChannel } from '../common/index.js'
import { FC_FRAME_MAX_BYTES } from './constants.js'
import { FcMessage } from './pb/fc.js'

export * from './constants.js'
export { FcMessage } from './pb/fc.js'
export { FcPeer, type FcPeerInit, type FcStep, type VerifiedPeerInfo } from './peer.js'
export {
  FcRelay, type FcRelayInit, type FcRemote, type FcAdmission, type FcClock, type FcOutcome, type FcSide
} from './relay.js'

/** A /gini/fc/1 stream as FcMessage frames, refused beyond FC_FRAME_MAX_BYTES. */
export function fcChannel (stream: Stream): FrameChannel<FcMessage> {
  return frameChannel(stream, FcMessage, FC_FRAME_MAX_BYTES)
}
