// The asking end of `/gini/gss/list/1` (docs/protocol.md §22.1): one `request` → one `list` (or
// `error`), then both close. Used by peers, and by relays checking each other. Pure logic over a
// FrameChannel: no sockets or timers of its own.
import { multiaddr } from '@multiformats/multiaddr'
import {
  ProtocolViolationError, errorFromWire, errorFrame, wire, type GiniErrorCode, type FrameChannel
} from '../common/index.js'
import type { GssListMessage, RelayList } from './pb/gss-list.js'
import { GSS_LIST_MAX_ADDRS, GSS_LIST_MAX_ADDR_BYTES, GSS_LIST_MAX_RELAYS } from './constants.js'
import { peerIdFromBytes, type RelayListEntry } from './ranking.js'

/** Asks once, checks the reply (§22.1 limits), half-closes. Throws a GiniError otherwise. */
export async function requestRelayList (channel: FrameChannel<GssListMessage>, opts: { signal?: AbortSignal } = {}): Promise<RelayListEntry[]> {
  await channel.write({ request: {} }, opts)
  const reply = await channel.read(opts)
  if (reply.error != null) {
    await channel.close()
    throw errorFromWire(reply.error.code)
  }
  if (reply.list == null) return await fail(channel)
  let entries: RelayListEntry[]
  try {
    entries = validateRelayList(reply.list)
  } catch (err) {
    return await fail(channel, err)
  }
  await channel.close()
  return entries
}

/**
 * §22.1's checks on a reply: at most 256 entries of at most 4 addresses, each peer id valid, each
 * address decodable and ending in /p2p/<that peer id>. One bad entry spoils the reply.
 */
export function validateRelayList (msg: RelayList): RelayListEntry[] {
  if (msg.relays.length > GSS_LIST_MAX_RELAYS) throw new ProtocolViolationError()
  return msg.relays.map(r => {
    const peerId = peerIdFromBytes(r.peerId)
    if (peerId == null || r.multiaddrs.length === 0 || r.multiaddrs.length > GSS_LIST_MAX_ADDRS) throw new ProtocolViolationError()
    const suffix = `/p2p/${peerId.toString()}`
    const multiaddrs = r.multiaddrs.map(b => {
      if (b.byteLength > GSS_LIST_MAX_ADDR_BYTES) throw new ProtocolViolationError()
      let ma
      try { ma = multiaddr(b) } catch { throw new ProtocolViolationError() }
      const text = ma.toString()
      if (!text.endsWith(suffix) || text.includes('/p2p-circuit')) throw new ProtocolViolationError()
      return ma
    })
    if (r.firstSeenMs > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtocolViolationError()
    return { peerId, multiaddrs, firstSeenMs: Number(r.firstSeenMs) }
  })
}

/** The wire form of a list (what a relay sends). */
export function encodeRelayList (entries: RelayListEntry[]): RelayList {
  return {
    relays: entries.map(e => ({
      peerId: wire(e.peerId.toMultihash().bytes),
      multiaddrs: e.multiaddrs.map(ma => wire(ma.bytes)),
      firstSeenMs: BigInt(Math.max(0, Math.floor(e.firstSeenMs)))
    }))
  }
}

export async function sendError (channel: FrameChannel<GssListMessage>, code: GiniErrorCode): Promise<void> {
  await channel.write(errorFrame(code)).catch(() => {})
  await channel.close()
}

async function fail (channel: FrameChannel<GssListMessage>, err?: unknown): Promise<never> {
  await sendError(channel, 'PROTOCOL_VIOLATION')
  throw err instanceof ProtocolViolationError ? err : new ProtocolViolationError()
}
