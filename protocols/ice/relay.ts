// The relay's end of `/gini/ice/1` (docs/protocol.md §14): reads one `request`, answers, closes. The
// credentials come from an injected `issue()` (coturn's scheme needs HMAC-SHA1, which libsodium
// lacks, so the Node-only relay computes it: relay/turn-credentials.ts).
import { ProtocolViolationError, type FrameChannel } from '../common/index.js'
import type { IceMessage, IceServers } from './pb/ice.js'
import { sendError } from './peer.js'

/**
 * Relay side: reads the `request`, answers with `issue()`, closes. Anything but a request is a
 * violation of this stream (§3.4): Error frame, close, and the error is thrown to the caller's log.
 */
export async function serveIceRequest (channel: FrameChannel<IceMessage>, issue: () => IceServers, opts: { signal?: AbortSignal } = {}): Promise<void> {
  const msg = await channel.read(opts)
  if (msg.request == null) {
    await sendError(channel, 'PROTOCOL_VIOLATION')
    throw new ProtocolViolationError()
  }
  await channel.write({ servers: issue() }, opts)
  await channel.close()
}
