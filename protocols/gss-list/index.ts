// `/gini/gss/list/1` — the relay list, and how a code picks its relay from it (docs/protocol.md §22).
import type { Stream } from '@libp2p/interface'
import { frameChannel, type FrameChannel } from '../common/index.js'
import { GSS_LIST_FRAME_MAX_BYTES } from './constants.js'
import { GssListMessage } from './pb/gss-list.js'

export * from './constants.js'
export { requestRelayList, validateRelayList, encodeRelayList } from './peer.js'
export { serveRelayList } from './relay.js'
export { dedupeRelays, rankRelays, relayNetwork, lookupBitsForList, peerIdFromBytes, type RelayListEntry } from './ranking.js'
export { GssListMessage, RelayList, RelayEntry } from './pb/gss-list.js'

/** A /gini/gss/list/1 stream as GssListMessage frames, refused beyond GSS_LIST_FRAME_MAX_BYTES. */
export function gssListChannel (stream: Stream): FrameChannel<GssListMessage> {
  return frameChannel(stream, GssListMessage, GSS_LIST_FRAME_MAX_BYTES)
}
