// /gini/crp/1 — Connection Restore Protocol (docs/protocol.md §9): constants, codec, and both sides.
import type { Stream } from '@libp2p/interface'
import { frameChannel, type FrameChannel } from '../common/index.js'
import { CRP_FRAME_MAX_BYTES } from './constants.js'
import { CrpMessage } from './pb/crp.js'

export * from './constants.js'
export { CrpMessage, Sealed } from './pb/crp.js'
export { CrpPeer, sealParkedOffer, type CrpPeerInfo, type CrpPeerInit, type CrpPeerState, type Registration } from './peer.js'
export {
  CrpRelay, type CrpRelayInit, type CrpRemote, type CrpAdmission, type CrpClock, type CrpOutcome,
  type CrpRole, type ParkedOffer, type RestoreRow, type RestoreStore, type SweepCounts, type SweepCutoffs
} from './relay.js'

/** A /gini/crp/1 stream as CrpMessage frames, refused beyond CRP_FRAME_MAX_BYTES. */
export function crpChannel (stream: Stream): FrameChannel<CrpMessage> {
  return frameChannel(stream, CrpMessage, CRP_FRAME_MAX_BYTES)
}
