// The ICE servers a peer uses for its WebRTC connections (docs/protocol.md §14): those it was configured
// with, plus what its relay hands out on /gini/ice/1 (STUN URLs, a short-lived TURN credential).
// Asked once per identity and kept until the credential is about to expire, then asked again, so a
// credential coturn would refuse as expired is never used. Without configured servers and without
// a relay that offers any, the list is empty: never public defaults. Isomorphic.
import { logger } from '@libp2p/logger'
import type { Libp2p } from 'libp2p'
import type { Multiaddr } from '@multiformats/multiaddr'
import { systemClock, type Clock } from '../../protocols/common/index.js'
import {
  iceChannel, ICE_CREDENTIAL_TTL_MS, ICE_PROTOCOL, ICE_REFRESH_MARGIN_MAX_MS, ICE_REFRESH_MARGIN_RATIO,
  ICE_REQUEST_TIMEOUT_MS, requestIceServers, type IceServerGrant
} from '../../protocols/ice/index.js'
import type { IceServer } from './peer-node.js'

const log = logger('gini:ice')

/** Asks a relay for a grant; resolves undefined when it has nothing to say (older relay). */
export type IceFetch = (signal: AbortSignal) => Promise<IceServerGrant>

/** /gini/ice/1 against `relay` over `node` (reuses the open relay connection, or dials it again). */
export function relayIceFetch (node: Libp2p, relay: Multiaddr): IceFetch {
  return async (signal) => {
    const stream = await node.dialProtocol(relay, ICE_PROTOCOL, { signal })
    return await requestIceServers(iceChannel(stream), { signal })
  }
}

/**
 * /gini/ice/1 against whichever relay the node is connected to (a peer that announced the protocol
 * through identify). For nodes that live beyond one pairing (daemon, restore runs): they ask the
 * relay holding their reservation. Rejects when no connected peer offers it (asked again next time).
 */
export function connectedRelayIceFetch (node: Libp2p): IceFetch {
  return async (signal) => {
    for (const connection of node.getConnections()) {
      if (connection.status !== 'open' || connection.limits != null) continue
      const peer = await node.peerStore.get(connection.remotePeer).catch(() => undefined)
      if (peer?.protocols.includes(ICE_PROTOCOL) !== true) continue
      const stream = await connection.newStream(ICE_PROTOCOL, { signal })
      return await requestIceServers(iceChannel(stream), { signal })
    }
    throw Object.assign(new Error('no connected relay offers /gini/ice/1'), { name: 'NoIceRelayError' })
  }
}

export interface IceServerSourceInit {
  /** Servers from the peer's own configuration; always used, listed first. */
  configured?: IceServer[]
  clock?: Clock
  /** Where relay-provided servers come from; may also be set later with `useRelay`. */
  fetch?: IceFetch
}

interface HeldGrant {
  servers: IceServer[]
  /** clock.now() after which the grant is asked for again. */
  refreshAtMs: number
}

export class IceServerSource {
  private readonly configured: IceServer[]
  private readonly clock: Clock
  private fetcher?: IceFetch
  private grant?: HeldGrant
  private inflight?: Promise<HeldGrant | undefined>
  /** The relay does not speak /gini/ice/1: do not ask again. */
  private unsupported = false
  /** How many times the relay was asked (tests, diagnostics). */
  requests = 0

  constructor (init: IceServerSourceInit = {}) {
    this.configured = init.configured ?? []
    this.clock = init.clock ?? systemClock
    this.fetcher = init.fetch
  }

  /** True once a relay to ask was set. */
  get hasRelay (): boolean {
    return this.fetcher != null
  }

  /**
   * Asks `fetch` from now on; by default at once (in the background), so the first WebRTC dial
   * does not wait for the answer.
   */
  useRelay (fetch: IceFetch, opts: { eager?: boolean } = {}): void {
    this.fetcher = fetch
    this.unsupported = false
    this.grant = undefined
    if (opts.eager !== false) void this.refresh()
  }

  /** Forget the held grant (e.g. after a failed WebRTC attempt): the next `servers()` asks again. */
  invalidate (): void {
    this.grant = undefined
  }

  /** The list for one RTCPeerConnection: configured servers, then the relay's (fresh credentials). */
  async servers (): Promise<IceServer[]> {
    let grant = this.grant
    if (grant == null || this.clock.now() >= grant.refreshAtMs) grant = await this.refresh()
    return [...this.configured, ...(grant?.servers ?? [])]
  }

  private async refresh (): Promise<HeldGrant | undefined> {
    const fetch = this.fetcher
    if (fetch == null || this.unsupported) return undefined
    this.inflight ??= this.ask(fetch).finally(() => { this.inflight = undefined })
    return await this.inflight
  }

  private async ask (fetch: IceFetch): Promise<HeldGrant | undefined> {
    this.requests++
    log('asking the relay for ICE servers')
    const startedMs = this.clock.now()
    try {
      const grant = await fetch(AbortSignal.timeout(ICE_REQUEST_TIMEOUT_MS))
      // §14: the TTL counts from when the reply was read; STUN-only grants carry no TTL.
      const ttlMs = grant.ttlMs > 0 ? grant.ttlMs : ICE_CREDENTIAL_TTL_MS
      const margin = Math.min(ttlMs * ICE_REFRESH_MARGIN_RATIO, ICE_REFRESH_MARGIN_MAX_MS)
      this.grant = { servers: grant.servers, refreshAtMs: startedMs + ttlMs - margin }
      // Counts only: a credential never reaches a log line.
      log('relay gave %d ICE server entries (%d with credentials), valid %d ms', grant.servers.length,
        grant.servers.filter(s => s.credential != null).length, ttlMs)
      return this.grant
    } catch (err: any) {
      if (err?.name === 'UnsupportedProtocolError') this.unsupported = true
      log('no ICE servers from the relay: %s', err?.name ?? String(err))
      // Keep whatever needs no credential (STUN) from an older grant; drop expired TURN entries.
      const stale = this.grant?.servers.filter(s => s.credential == null) ?? []
      this.grant = undefined
      return stale.length > 0 ? { servers: stale, refreshAtMs: 0 } : undefined
    }
  }
}
