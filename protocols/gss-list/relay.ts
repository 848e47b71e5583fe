// The relay's end of `/gini/gss/list/1` (docs/protocol.md §22.1): reads one `request`, answers with
// the current list, closes. The list itself is kept by relay/relay-network.ts.
import { ProtocolViolationError, type FrameChannel } from '../common/index.js'
import type { GssListMessage } from './pb/gss-list.js'
import { encodeRelayList, sendError } from './peer.js'
import type { RelayListEntry } from './ranking.js'

/**
 * Reads the `request`, answers `list()`, closes. Anything but a request is a violation of this
 * stream (§3.4): Error frame, close, and the error is thrown to the caller's log.
 */
export async function serveRelayList (channel: FrameChannel<GssListMessage>, list: () => RelayListEntry[], opts: { signal?: AbortSignal } = {}): Promise<void> {
  const msg = await channel.read(opts)
  if (msg.request == null) {
    await sendError(channel, 'PROTOCOL_VIOLATION')
    throw new ProtocolViolationError()
  }
  await channel.write({ list: encodeRelayList(list()) }, opts)
  await channel.close()
}
