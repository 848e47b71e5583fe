// The peer's end of `/gini/ice/1` (docs/protocol.md §14): one `request` → one `servers` (or `error`), then
// both close. Pure logic over a FrameChannel: no sockets, clocks or timers of its own.
import {
  ProtocolViolationError, errorFromWire, errorFrame, type GiniErrorCode, type FrameChannel
} from '../common/index.js'
import type { IceMessage, IceServers } from './pb/ice.js'
import {
  ICE_MAX_FIELD_CHARS, ICE_MAX_SERVERS, ICE_MAX_TTL_MS, ICE_MAX_URLS, ICE_URL_SCHEMES
} from './constants.js'

/** One RTCConfiguration.iceServers entry (the WebRTC shape). */
export interface IceServerEntry {
  urls: string[]
  username?: string
  credential?: string
}

/** What a peer learned: the servers, and how long their credentials last from the moment of reading. */
export interface IceServerGrant {
  servers: IceServerEntry[]
  ttlMs: number
}

/** Peer side: asks once, validates the reply (§14 limits), half-closes. Throws a GiniError otherwise. */
export async function requestIceServers (channel: FrameChannel<IceMessage>, opts: { signal?: AbortSignal } = {}): Promise<IceServerGrant> {
  await channel.write({ request: {} }, opts)
  const reply = await channel.read(opts)
  if (reply.error != null) {
    await channel.close()
    throw errorFromWire(reply.error.code)
  }
  if (reply.servers == null) return fail(channel)
  let grant: IceServerGrant
  try {
    grant = validateIceServers(reply.servers)
  } catch (err) {
    return fail(channel, err)
  }
  await channel.close()
  return grant
}

/** The §14 checks a peer applies before any URL reaches its WebRTC stack. */
export function validateIceServers (msg: IceServers): IceServerGrant {
  if (msg.servers.length > ICE_MAX_SERVERS) throw new ProtocolViolationError()
  let urlCount = 0
  const servers = msg.servers.map(s => {
    urlCount += s.urls.length
    if (s.urls.length === 0 || urlCount > ICE_MAX_URLS) throw new ProtocolViolationError()
    for (const url of s.urls) {
      if (url.length > ICE_MAX_FIELD_CHARS || !ICE_URL_SCHEMES.some(scheme => url.startsWith(scheme))) throw new ProtocolViolationError()
    }
    if (s.username.length > ICE_MAX_FIELD_CHARS || s.credential.length > ICE_MAX_FIELD_CHARS) throw new ProtocolViolationError()
    const needsAuth = s.urls.some(u => u.startsWith('turn'))
    if (needsAuth && (s.username === '' || s.credential === '')) throw new ProtocolViolationError()
    const entry: IceServerEntry = { urls: [...s.urls] }
    if (s.username !== '') entry.username = s.username
    if (s.credential !== '') entry.credential = s.credential
    return entry
  })
  const ttlMs = Number(msg.ttlMs)
  if (!Number.isSafeInteger(ttlMs) || ttlMs > ICE_MAX_TTL_MS) throw new ProtocolViolationError()
  if (ttlMs === 0 && servers.some(s => s.credential != null)) throw new ProtocolViolationError()
  return { servers, ttlMs }
}

export async function sendError (channel: FrameChannel<IceMessage>, code: GiniErrorCode): Promise<void> {
  await channel.write(errorFrame(code)).catch(() => {})
  await channel.close()
}

async function fail (channel: FrameChannel<IceMessage>, err?: unknown): Promise<never> {
  await sendError(channel, 'PROTOCOL_VIOLATION')
  throw err instanceof ProtocolViolationError ? err : new ProtocolViolationError()
}
