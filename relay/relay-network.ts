// Many relays, one network (docs/protocol.md §22.1): the relays' private kad-dht on /gini/kad/1.0.0
// and the relay list served on /gini/gss/list/1.
//
// Only relays take part. A kad stream from a peer this relay has not checked is reset, and the peer
// is checked in the background: its advertised addresses are dialed on a new connection (Noise
// proves the peer id) and it must answer /gini/gss/list/1 with a list naming itself. Every round
// (10 s) the relay provides the service key, finds its providers, asks each for its list, and keeps
// those that answer naming themselves: that is the list. Everything a stranger could grow has a
// bound — relays checked and listed (one per network, `maxRelays` in all), pending checks, list
// streams, provider records — each counted in gini_relay_limit_rejections_total{limit}.
import { kadDHT, type KadDHT } from '@libp2p/kad-dht'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Libp2p } from 'libp2p'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { gssServiceKey } from '../protocols/crypto/index.js'
import {
  GSS_LIST_MAX_ADDRS, GSS_LIST_MAX_RELAYS, GSS_LIST_PROTOCOL, GSS_LIST_REFRESH_MS, GSS_LIST_REQUEST_TIMEOUT_MS,
  dedupeRelays, gssListChannel, relayNetwork, requestRelayList, serveRelayList, type RelayListEntry
} from '../protocols/gss-list/index.js'
import * as C from './constants.js'

/**
 * §22.1: the service key travels under the sha2-256 multihash code (0x12): kad-dht's ADD_PROVIDER
 * handler reads a key as a CIDv0, which only a sha2-256 multihash is. Nobody hashes content to
 * check it; it is a 32-byte name.
 */
const SHA2_256 = 0x12
/** CIDv1 `raw` codec. */
const RAW = 0x55

/** §22.1: the CID every relay provides: CIDv1, raw, multihash `12 20 ‖ H(32, "gini/gss/1/service")`. */
export function gssServiceCid (): CID {
  return CID.createV1(RAW, Digest.create(SHA2_256, gssServiceKey()))
}

export interface RelayNetworkInit {
  /** Take part in a network (run the DHT, list other relays); else list only itself. */
  networked?: boolean
  /** Relays to join the network through (`--bootstrap`). None: a relay on its own, listing itself, with no DHT. */
  bootstrap?: string[]
  /** Relays checked and listed at once, this one included (default GSS_LIST_MAX_RELAYS, 256). */
  maxRelays?: number
  /** /gini/gss/list/1 streams served at once, over all connections (default C.GSS_LIST_MAX_STREAMS). */
  maxListStreams?: number
  /** Provider records the DHT stores (default C.DHT_MAX_PROVIDER_RECORDS). */
  maxProviderRecords?: number
  /** How often the list is rebuilt (default GSS_LIST_REFRESH_MS, 10 s). */
  refreshMs?: number
  /** Wall clock for `first seen` (default Date.now). */
  now?: () => number
  /** A refusal by one of the bounds, by name. */
  onRefused?: (limit: string) => void
}

/** What the kad-dht gate asks of the network: is this peer a checked relay, and what to do when not. */
interface KadGate {
  allowed(peer: PeerId): boolean
  refused(connection: Connection): void
}

/**
 * The kad-dht service of a relay in a network: server mode on /gini/kad/1.0.0, its streams only for
 * checked relays, its datastore writes bounded (provider records of the service key only).
 */
export function relayDht (init: RelayNetworkInit, gate: KadGate, stats: { providerRecords: number } = { providerRecords: 0 }): (components: any) => KadDHT {
  const onRefused = init.onRefused ?? (() => {})
  const maxRecords = init.maxProviderRecords ?? C.DHT_MAX_PROVIDER_RECORDS
  const serviceSegment = uint8ArrayToString(gssServiceCid().multihash.bytes, 'base32')
  const factory = kadDHT({
    protocol: C.KAD_PROTOCOL,
    clientMode: false,
    // Relays on loopback or a LAN are legitimate members; kad's default drops private addresses.
    peerInfoMapper: (peer) => peer,
    allowQueryWithZeroPeers: false,
    maxInboundStreams: C.DHT_MAX_INBOUND_STREAMS,
    maxOutboundStreams: C.DHT_MAX_OUTBOUND_STREAMS,
    incomingMessageTimeout: C.DHT_INCOMING_MESSAGE_TIMEOUT_MS,
    providers: { provideValidity: C.DHT_PROVIDE_VALIDITY_MS, cleanupInterval: C.DHT_PROVIDER_CLEANUP_MS },
    reprovide: { interval: C.DHT_REPROVIDE_INTERVAL_MS }
  })
  return (components) => {
    const records = new Set<string>()
    const datastore = boundedDatastore(components.datastore, (key) => {
      if (!key.startsWith('/dht/')) return undefined
      const parts = key.split('/')
      if (parts[2] !== 'provider') return 'dht-records' // PUT_VALUE and cached records: relays share none
      if (parts[3] !== serviceSegment) return 'dht-provider-key'
      if (!records.has(key) && records.size >= maxRecords) return 'dht-provider-records'
      return undefined
    }, (key, stored) => {
      if (!key.startsWith('/dht/provider/')) return
      if (stored) records.add(key)
      else records.delete(key)
      stats.providerRecords = records.size
    }, onRefused)
    const registrar = gatedRegistrar(components.registrar, gate, onRefused)
    const gated = new Proxy(components, {
      get (target, prop) {
        if (prop === 'registrar') return registrar
        if (prop === 'datastore') return datastore
        return target[prop]
      }
    })
    return factory(gated)
  }
}

/** The registrar kad-dht sees: its handler runs only for streams from checked relays. */
function gatedRegistrar (registrar: any, gate: KadGate, onRefused: (limit: string) => void): any {
  return new Proxy(registrar, {
    get (target, prop) {
      if (prop === 'handle') {
        return async (protocol: string, handler: (stream: Stream, connection: Connection) => void | Promise<void>, options?: unknown) => {
          await target.handle(protocol, (stream: Stream, connection: Connection) => {
            if (gate.allowed(connection.remotePeer)) return handler(stream, connection)
            onRefused('dht-unchecked')
            stream.abort(new Error('not a checked relay'))
            gate.refused(connection)
          }, options)
        }
      }
      const value = target[prop]
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
}

/** A datastore whose `put` under refused keys throws (and is counted); `stored` follows what is kept. */
function boundedDatastore (ds: any, refuse: (key: string) => string | undefined, stored: (key: string, kept: boolean) => void, onRefused: (limit: string) => void): any {
  return new Proxy(ds, {
    get (target, prop) {
      if (prop === 'put') {
        return async (key: { toString(): string }, value: Uint8Array, options?: unknown) => {
          const k = key.toString()
          const limit = refuse(k)
          if (limit != null) { onRefused(limit); throw new Error('record refused') }
          const out = await target.put(key, value, options)
          stored(k, true)
          return out
        }
      }
      if (prop === 'delete') {
        return async (key: { toString(): string }, options?: unknown) => {
          await target.delete(key, options)
          stored(key.toString(), false)
        }
      }
      const value = target[prop]
      return typeof value === 'function' ? value.bind(target) : value
    }
  })
}

interface Listed extends RelayListEntry {
  network: string
}

export class RelayNetwork implements KadGate {
  private readonly node: Libp2p<any>
  private readonly init: RelayNetworkInit
  private readonly maxRelays: number
  private readonly maxStreams: number
  private readonly now: () => number
  private readonly onRefused: (limit: string) => void
  /** Relays that answered /gini/gss/list/1 naming themselves, by peer id: kad streams are theirs. */
  private readonly checked = new Map<string, Listed>()
  /** When each listed relay was first seen answering (kept while it stays listed). */
  private readonly firstSeen = new Map<string, number>()
  private readonly pendingChecks = new Set<string>()
  private readonly startedAtMs: number
  private list: Listed[] = []
  private streams = 0
  private timer?: ReturnType<typeof setTimeout>
  private round?: Promise<void>
  private stopped = false
  private draining = false

  constructor (node: Libp2p<any>, init: RelayNetworkInit) {
    this.node = node
    this.init = init
    this.maxRelays = Math.min(init.maxRelays ?? GSS_LIST_MAX_RELAYS, GSS_LIST_MAX_RELAYS)
    this.maxStreams = init.maxListStreams ?? C.GSS_LIST_MAX_STREAMS
    this.now = init.now ?? Date.now
    this.onRefused = init.onRefused ?? (() => {})
    this.startedAtMs = this.now()
  }

  /** True when this relay is part of a network (it runs the DHT). */
  get networked (): boolean {
    return this.init.networked === true
  }

  /** The list as served: this relay first (unless draining), then the others (§22.1). */
  relays (): RelayListEntry[] {
    const own = this.draining ? [] : [this.self()]
    const others = this.list.filter(e => !e.peerId.equals(this.node.peerId))
    return [...own, ...others].slice(0, this.maxRelays).map(({ peerId, multiaddrs, firstSeenMs }) => ({ peerId, multiaddrs, firstSeenMs }))
  }

  get relayCount (): number {
    return this.relays().length
  }

  async start (): Promise<void> {
    await this.node.handle(GSS_LIST_PROTOCOL, (stream: Stream) => { this.serve(stream) }, {
      maxInboundStreams: C.GSS_LIST_MAX_INBOUND_STREAMS,
      maxOutboundStreams: C.GSS_LIST_MAX_OUTBOUND_STREAMS
    })
    if (!this.networked) return
    const loop = (): void => {
      if (this.stopped) return
      this.round = this.refresh().catch(() => {}).finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, this.init.refreshMs ?? GSS_LIST_REFRESH_MS)
      })
    }
    loop()
  }

  /** The first step of a drain (§22.1): this relay leaves its own list, so the others drop it at their next round. */
  leave (): void {
    this.draining = true
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.round
    await this.node.unhandle(GSS_LIST_PROTOCOL).catch(() => {})
  }

  // ---- KadGate ---------------------------------------------------------------------------------

  allowed (peer: PeerId): boolean {
    return this.checked.has(peer.toString())
  }

  /** A kad stream from a peer not checked yet: check it in the background, within the bounds. */
  refused (connection: Connection): void {
    const id = connection.remotePeer.toString()
    if (this.stopped || this.pendingChecks.has(id)) return
    if (this.pendingChecks.size >= C.GSS_LIST_MAX_PENDING_CHECKS) { this.onRefused('list-checks-busy'); return }
    this.pendingChecks.add(id)
    void (async () => {
      const identify = this.node.services.identify
      const result = await identify.identify(connection, { signal: AbortSignal.timeout(GSS_LIST_REQUEST_TIMEOUT_MS) })
      const addrs = dialable(result.listenAddrs, connection.remotePeer)
      await this.check(connection.remotePeer, addrs)
    })().catch(() => {}).finally(() => { this.pendingChecks.delete(id) })
  }

  // ---- one round -------------------------------------------------------------------------------

  /** Bootstrap relays, provide, find providers, ask each for its list; the list is who answered. */
  async refresh (): Promise<void> {
    const signal = AbortSignal.timeout(Math.max(GSS_LIST_REQUEST_TIMEOUT_MS, (this.init.refreshMs ?? GSS_LIST_REFRESH_MS)))
    for (const text of this.init.bootstrap ?? []) {
      const ma = multiaddr(text)
      const id = ma.getComponents().findLast(c => c.name === 'p2p')?.value
      if (id == null || this.checked.has(id) || id === this.node.peerId.toString()) continue
      await this.checkAddr(ma).catch(() => {})
    }
    const cid = gssServiceCid()
    const routing = this.node.contentRouting
    if (!this.draining) await routing.provide(cid, { signal }).catch(() => {})
    const found = new Map<string, { peerId: PeerId, multiaddrs: Multiaddr[] }>()
    try {
      for await (const p of routing.findProviders(cid, { signal })) {
        if (p.id.equals(this.node.peerId)) continue
        found.set(p.id.toString(), { peerId: p.id, multiaddrs: p.multiaddrs })
        if (found.size >= C.DHT_MAX_PROVIDERS_PER_ROUND) break
      }
    } catch {}
    // Relays checked since the last round count too, until their record reaches the DHT.
    for (const e of this.checked.values()) if (!found.has(e.peerId.toString())) found.set(e.peerId.toString(), e)
    const answered: Listed[] = []
    for (const p of found.values()) {
      const entry = await this.check(p.peerId, dialable(p.multiaddrs, p.peerId)).catch(() => undefined)
      if (entry != null) answered.push(entry)
    }
    for (const id of [...this.checked.keys()]) if (!answered.some(e => e.peerId.toString() === id)) this.checked.delete(id)
    const listed = dedupeRelays(answered)
    for (const id of [...this.firstSeen.keys()]) if (!listed.some(e => e.peerId.toString() === id)) this.firstSeen.delete(id)
    this.list = listed
  }

  /** A bootstrap address: check the relay there. */
  private async checkAddr (ma: Multiaddr): Promise<void> {
    const id = ma.getComponents().findLast(c => c.name === 'p2p')?.value
    if (id == null) return
    await this.check(peerIdFromString(id), [ma])
  }

  /**
   * Asks `peer` for its list; a reply naming the peer itself keeps it a checked relay. A peer not
   * checked yet is asked on a new connection to one of `addrs` (Noise proves the peer id there, so
   * that address's network is its own) and admitted within the bounds. Returns its entry, or undefined.
   */
  private async check (peer: PeerId, addrs: Multiaddr[]): Promise<Listed | undefined> {
    if (peer.equals(this.node.peerId)) return undefined
    const id = peer.toString()
    const known = this.checked.get(id)
    const signal = AbortSignal.timeout(GSS_LIST_REQUEST_TIMEOUT_MS)
    let connection: Connection | undefined
    if (known != null) {
      // Checked before: any connection proves it is still there; its network stays the one proven.
      connection = await this.node.dial(peer, { signal }).catch(() => undefined)
      if (connection == null) for (const addr of known.multiaddrs) { connection = await this.node.dial(addr, { signal }).catch(() => undefined); if (connection != null) break }
    } else {
      for (const addr of addrs) {
        connection = await this.node.dial(addr, { signal, force: true }).catch(() => undefined)
        if (connection != null) break
      }
    }
    if (connection == null || !connection.remotePeer.equals(peer)) return undefined
    const fresh = known == null
    try {
      const stream = await connection.newStream(GSS_LIST_PROTOCOL, { signal })
      const reply = await requestRelayList(gssListChannel(stream), { signal })
      const own = reply.find(e => e.peerId.equals(peer))
      if (own == null) return undefined // draining, or not a relay of ours
      if (known != null) return known
      // Only addresses on the network we reached it at (or names): the others it has not shown to own.
      const host = hostOf(connection.remoteAddr)
      const multiaddrs = own.multiaddrs.filter(ma => { const h = hostOf(ma); return h == null || h === host }).slice(0, GSS_LIST_MAX_ADDRS)
      const network = relayNetwork({ multiaddrs })
      if (network == null) return undefined
      if ([...this.checked.values()].some(e => e.network === network)) { this.onRefused('list-network-taken'); return undefined }
      if (this.checked.size + 1 >= this.maxRelays) { this.onRefused('list-full'); return undefined }
      if (!this.firstSeen.has(id)) this.firstSeen.set(id, this.now())
      const listed: Listed = { peerId: peer, multiaddrs, network, firstSeenMs: this.firstSeen.get(id)! }
      this.checked.set(id, listed)
      // Tell the DHT about a new member: identify fills in its protocols, and kad's topology adds it.
      await this.node.services.identify.identify(connection, { signal }).catch(() => {})
      return listed
    } finally {
      if (fresh && this.node.getConnections(peer).length > 1) await connection.close().catch(() => {})
    }
  }

  // ---- serving ---------------------------------------------------------------------------------

  private serve (stream: Stream): void {
    if (this.streams >= this.maxStreams) {
      this.onRefused('list-streams')
      stream.abort(new Error('too many list requests'))
      return
    }
    this.streams++
    serveRelayList(gssListChannel(stream), () => this.relays(), { signal: AbortSignal.timeout(GSS_LIST_REQUEST_TIMEOUT_MS) })
      .catch((err: Error) => { stream.abort(err) })
      .finally(() => { this.streams-- })
  }

  private self (): Listed {
    const peerId = this.node.peerId
    const multiaddrs = dialable(this.node.getMultiaddrs(), peerId).slice(0, GSS_LIST_MAX_ADDRS)
    return { peerId, multiaddrs, firstSeenMs: this.startedAtMs, network: relayNetwork({ multiaddrs }) ?? '' }
  }
}

/** Direct TCP/WebSocket addresses (no circuit, no WebRTC), each ending in /p2p/<peer>; TCP first. */
function dialable (addrs: Multiaddr[], peer: PeerId): Multiaddr[] {
  const suffix = `/p2p/${peer.toString()}`
  const out = addrs
    .filter(ma => { const s = ma.toString(); return !s.includes('/p2p-circuit') && !s.includes('/webrtc') && (s.includes('/tcp/')) })
    .map(ma => ma.toString().endsWith(suffix) ? ma : ma.encapsulate(suffix))
  return [...out.filter(ma => !ma.toString().includes('/ws')), ...out.filter(ma => ma.toString().includes('/ws'))]
}

/** The IP address of a multiaddr (undefined for a name). */
function hostOf (ma: Multiaddr): string | undefined {
  return ma.getComponents().find(c => c.name === 'ip4' || c.name === 'ip6')?.value
}
