// Many relays, one network (docs/protocol.md §22.1): the relays' private kad-dht on /gini/kad/1.0.0
// and the relay list served on /gini/gss/list/1.
//
// Only relays take part. A kad stream from a peer this relay has not checked waits while the peer is
// checked (its advertised addresses are dialed on a new connection, where Noise proves the peer id,
// and it must answer /gini/gss/list/1 with a list naming itself), then is served or reset. Every round
// the relay provides the service key, finds its providers, asks each for its list, and keeps
// those that answer naming themselves: that is the list. Rounds run every 10 s once the list is
// stable; a new DHT peer or a newly checked relay starts one at once, and after a change they come
// sooner (1/8 of the period, doubling back to it), so a network converges in a few seconds even on
// a busy machine. A relay that stops answering is dropped after two rounds in a row (one missed
// round under load is not a departure); one that answers without itself is leaving and is dropped
// at once. `change` is dispatched whenever the served list changes. Everything a stranger could
// grow has a bound — relays checked and listed (one per network, `maxRelays` in all), pending
// checks, refusals remembered, list streams, provider records — each refusal counted in
// gini_relay_limit_rejections_total{limit}.
import { kadDHT, type KadDHT } from '@libp2p/kad-dht'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Connection, Logger, PeerId, Stream } from '@libp2p/interface'
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

/** What the kad-dht gate asks of the network: is this peer a checked relay, and if not, is it once checked. */
interface KadGate {
  allowed(peer: PeerId): boolean
  /** Checks the peer on the other end (within the bounds); true once it is a checked relay. */
  admit(connection: Connection): Promise<boolean>
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

/**
 * The registrar kad-dht sees: its handler runs only for streams from checked relays. A stream from
 * a peer not checked yet waits for its check (bounded: see RelayNetwork.admit) and is served if the
 * peer passes, else reset: a relay's first kad request is not lost to the gate.
 */
function gatedRegistrar (registrar: any, gate: KadGate, onRefused: (limit: string) => void): any {
  return new Proxy(registrar, {
    get (target, prop) {
      if (prop === 'handle') {
        return async (protocol: string, handler: (stream: Stream, connection: Connection) => void | Promise<void>, options?: unknown) => {
          await target.handle(protocol, async (stream: Stream, connection: Connection) => {
            if (gate.allowed(connection.remotePeer)) { await handler(stream, connection); return }
            const ok = await gate.admit(connection).catch(() => false)
            if (ok && stream.status === 'open') { await handler(stream, connection); return }
            onRefused('dht-unchecked')
            stream.abort(new Error('not a checked relay'))
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

/** What one check of a relay found: its entry, that it is leaving (a reply without itself), or nothing. */
type CheckResult = Listed | 'left' | undefined

export class RelayNetwork extends EventTarget implements KadGate {
  private readonly node: Libp2p<any>
  private readonly init: RelayNetworkInit
  private readonly maxRelays: number
  private readonly maxStreams: number
  private readonly refreshMs: number
  private readonly now: () => number
  private readonly onRefused: (limit: string) => void
  /** Relays that answered /gini/gss/list/1 naming themselves, by peer id: kad streams are theirs. */
  private readonly checked = new Map<string, Listed>()
  /** Rounds in a row a checked relay did not answer; dropped at C.GSS_LIST_MAX_MISSES. */
  private readonly misses = new Map<string, number>()
  /** When each listed relay was first seen answering (kept while it stays listed). */
  private readonly firstSeen = new Map<string, number>()
  /** Checks of peers whose kad streams wait on them, by peer id. */
  private readonly pendingChecks = new Map<string, Promise<boolean>>()
  /**
   * Peers refused by a bound (network taken, list full) or found not to be relays, until when (ms,
   * Date.now): not checked again before, so a host advertising many ids costs one check per id
   * per period, not one per kad stream. At most C.GSS_LIST_MAX_REFUSED entries, oldest out first.
   */
  private readonly refusedUntil = new Map<string, number>()
  private readonly startedAtMs: number
  private list: Listed[] = []
  /** The served list's peer ids and addresses, to tell when it changed. */
  private served = ''
  private streams = 0
  private timer?: ReturnType<typeof setTimeout>
  /** When the pending timer fires (ms since epoch, Date.now), to only ever bring it forward. */
  private timerAt = Infinity
  /** The delay after the next quiet round: doubles from the retry delay back to refreshMs. */
  private backoffMs: number
  /** The round running now, and the one queued behind it (calls to refresh() meanwhile share it). */
  private running?: Promise<void>
  private queued?: Promise<void>
  /** The provide in flight, if any (at most one). */
  private providing?: Promise<void>
  private readonly log: Logger
  private stopped = false
  private draining = false
  private readonly onPeerAdd = (): void => { this.soon() }

  constructor (node: Libp2p<any>, init: RelayNetworkInit) {
    super()
    this.node = node
    this.init = init
    this.maxRelays = Math.min(init.maxRelays ?? GSS_LIST_MAX_RELAYS, GSS_LIST_MAX_RELAYS)
    this.maxStreams = init.maxListStreams ?? C.GSS_LIST_MAX_STREAMS
    this.refreshMs = init.refreshMs ?? GSS_LIST_REFRESH_MS
    this.backoffMs = this.retryMs
    this.now = init.now ?? Date.now
    this.onRefused = init.onRefused ?? (() => {})
    this.startedAtMs = this.now()
    this.log = node.logger.forComponent('gini:relay-network')
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
    this.served = this.signature()
    if (!this.networked) return
    // A peer in the routing table is someone to provide to and ask: a round now, not in 10 s.
    this.routingTable()?.addEventListener('peer:add', this.onPeerAdd)
    this.soon()
  }

  /** The first step of a drain (§22.1): this relay leaves its own list, so the others drop it at their next round. */
  leave (): void {
    this.draining = true
    this.changed()
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    this.routingTable()?.removeEventListener('peer:add', this.onPeerAdd)
    await this.queued?.catch(() => {})
    await this.running?.catch(() => {})
    await this.providing
    await this.node.unhandle(GSS_LIST_PROTOCOL).catch(() => {})
  }

  // ---- KadGate ---------------------------------------------------------------------------------

  allowed (peer: PeerId): boolean {
    return this.checked.has(peer.toString())
  }

  /**
   * A kad stream from a peer not checked yet: check it now, within the bounds (at most
   * C.GSS_LIST_MAX_PENDING_CHECKS at once, one per peer, none for a peer refused lately). True once
   * it is a checked relay; it is then listed at once and a round tells it about us.
   */
  async admit (connection: Connection): Promise<boolean> {
    const peer = connection.remotePeer
    const id = peer.toString()
    if (this.checked.has(id)) return true
    const pending = this.pendingChecks.get(id)
    if (pending != null) return await pending
    if (this.stopped || this.recentlyRefused(id)) return false
    if (this.pendingChecks.size >= C.GSS_LIST_MAX_PENDING_CHECKS) { this.onRefused('list-checks-busy'); return false }
    const check = (async (): Promise<boolean> => {
      const identify = this.node.services.identify
      const result = await identify.identify(connection, { signal: AbortSignal.timeout(GSS_LIST_REQUEST_TIMEOUT_MS) })
      const entry = await this.check(peer, dialable(result.listenAddrs, peer))
      if (entry == null || entry === 'left' || this.stopped) return false
      this.listNow(entry)
      this.backoffMs = this.retryMs
      this.soon()
      return true
    })().catch(() => false).finally(() => { this.pendingChecks.delete(id) })
    this.pendingChecks.set(id, check)
    return await check
  }

  // ---- rounds ----------------------------------------------------------------------------------

  /** The shortest delay between rounds: while a network forms, rounds come this much sooner. */
  private get retryMs (): number {
    return Math.max(1, Math.floor(this.refreshMs / C.GSS_LIST_RETRY_DIVISOR))
  }

  /** A round as soon as possible (one already queued is that round). */
  private soon (): void {
    this.schedule(0)
  }

  /** Sets the next round `ms` from now, unless one is set sooner. */
  private schedule (ms: number): void {
    if (this.stopped || !this.networked) return
    const at = Date.now() + ms
    if (this.timer != null && this.timerAt <= at) return
    clearTimeout(this.timer)
    this.timerAt = at
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.timerAt = Infinity
      this.refresh().catch(() => {})
    }, ms)
  }

  /**
   * One round, started after any running one (rounds never overlap; calls made while one waits
   * share it). Resolves when that round is done.
   */
  async refresh (): Promise<void> {
    if (this.queued != null) return await this.queued
    const before = this.running ?? Promise.resolve()
    const round: Promise<void> = before.catch(() => {}).then(async () => {
      this.queued = undefined
      this.running = round
      try {
        const changed = await this.round()
        // Quiet rounds back off to refreshMs; a change brings the next one sooner.
        this.backoffMs = changed ? this.retryMs : Math.min(this.refreshMs, this.backoffMs * 2)
      } finally {
        if (this.running === round) this.running = undefined
        this.schedule(this.backoffMs)
      }
    })
    this.queued = round
    return await round
  }

  /** Bootstrap relays, provide, find providers, ask each for its list; the list is who answered. True when the list changed. */
  private async round (): Promise<boolean> {
    if (this.stopped) return false
    const before = this.served
    const startedAt = Date.now()
    const window = Math.max(GSS_LIST_REQUEST_TIMEOUT_MS, this.refreshMs)
    const found = new Map<string, { peerId: PeerId, multiaddrs: Multiaddr[] }>()
    for (const text of this.init.bootstrap ?? []) {
      const ma = multiaddr(text)
      const id = ma.getComponents().findLast(c => c.name === 'p2p')?.value
      if (id == null || this.checked.has(id) || id === this.node.peerId.toString()) continue
      found.set(id, { peerId: peerIdFromString(id), multiaddrs: [ma] })
    }
    const cid = gssServiceCid()
    const routing = this.node.contentRouting
    // With nobody in the routing table there is nobody to tell or ask (kad would wait for one; the
    // routing table's `peer:add` starts a round instead). A provide runs beside the rounds, one at
    // a time: a slow one must not hold up the list.
    const peers = (this.routingTable() as { size?: number } | undefined)?.size ?? 0
    if (peers > 0 && !this.draining && this.providing == null) {
      this.providing = routing.provide(cid, { signal: AbortSignal.timeout(window) }).catch(() => {}).finally(() => { this.providing = undefined })
    }
    if (peers > 0) {
      try {
        for await (const p of routing.findProviders(cid, { signal: AbortSignal.timeout(window) })) {
          if (p.id.equals(this.node.peerId)) continue
          found.set(p.id.toString(), { peerId: p.id, multiaddrs: p.multiaddrs })
          if (found.size >= C.DHT_MAX_PROVIDERS_PER_ROUND) break
        }
      } catch {}
    }
    // Relays checked since the last round count too, until their record reaches the DHT.
    for (const e of this.checked.values()) if (!found.has(e.peerId.toString())) found.set(e.peerId.toString(), e)
    // Checked side by side (a few at once): one slow or dead relay must not hold up the others.
    const results = new Map<string, CheckResult>()
    const queue = [...found.values()]
    const worker = async (): Promise<void> => {
      for (let p = queue.shift(); p != null && !this.stopped; p = queue.shift()) {
        if (!this.checked.has(p.peerId.toString()) && this.recentlyRefused(p.peerId.toString())) continue
        results.set(p.peerId.toString(), await this.check(p.peerId, dialable(p.multiaddrs, p.peerId)).catch(() => undefined))
      }
    }
    await Promise.all(Array.from({ length: C.GSS_LIST_CHECK_CONCURRENCY }, worker))
    if (this.stopped) return false
    for (const id of [...this.checked.keys()]) {
      const result = results.get(id)
      if (result != null && result !== 'left') { this.misses.delete(id); continue }
      const misses = (this.misses.get(id) ?? 0) + 1
      if (result === 'left' || misses >= C.GSS_LIST_MAX_MISSES) {
        this.checked.delete(id)
        this.misses.delete(id)
      } else {
        this.misses.set(id, misses)
      }
    }
    const listed = dedupeRelays([...this.checked.values()])
    for (const id of [...this.firstSeen.keys()]) if (!listed.some(e => e.peerId.toString() === id)) this.firstSeen.delete(id)
    this.list = listed
    this.changed()
    this.log('%s round: %d in the routing table, %d asked, %d listed, %d ms', this.node.peerId.toString().slice(-6), peers, results.size, this.list.length, Date.now() - startedAt)
    return this.served !== before
  }

  /** A relay checked outside a round joins the served list now. */
  private listNow (entry: Listed): void {
    this.list = dedupeRelays([...this.list.filter(e => !e.peerId.equals(entry.peerId)), entry])
    this.changed()
  }

  /** Dispatches `change` when the served list is not what it was. */
  private changed (): void {
    const now = this.signature()
    if (now === this.served) return
    this.served = now
    this.dispatchEvent(new Event('change'))
  }

  private signature (): string {
    return this.relays().map(e => `${e.peerId.toString()}=${e.multiaddrs.map(ma => ma.toString()).join(',')}`).join(' ')
  }

  /** Not checked again for C.GSS_LIST_REFUSED_ROUNDS refresh periods. */
  private refuse (id: string): void {
    this.refusedUntil.delete(id)
    while (this.refusedUntil.size >= C.GSS_LIST_MAX_REFUSED) this.refusedUntil.delete(this.refusedUntil.keys().next().value!)
    this.refusedUntil.set(id, Date.now() + C.GSS_LIST_REFUSED_ROUNDS * this.refreshMs)
  }

  private recentlyRefused (id: string): boolean {
    const until = this.refusedUntil.get(id)
    if (until == null) return false
    if (until > Date.now()) return true
    this.refusedUntil.delete(id)
    return false
  }

  /** kad-dht's routing table (an EventTarget of `peer:add`), when this relay runs the DHT. */
  private routingTable (): EventTarget | undefined {
    return this.node.services.dht?.routingTable
  }

  /**
   * Asks `peer` for its list; a reply naming the peer itself keeps it a checked relay. A peer not
   * checked yet is asked on a new connection to one of `addrs` (Noise proves the peer id there, so
   * that address's network is its own) and admitted within the bounds. Returns its entry, 'left'
   * when it answered without itself (it is draining), or undefined.
   */
  private async check (peer: PeerId, addrs: Multiaddr[]): Promise<CheckResult> {
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
      if (own == null) { if (known == null) this.refuse(id); return 'left' } // draining, or not a relay of ours
      if (known != null) return known
      // Only addresses on the network we reached it at (or names): the others it has not shown to own.
      const host = hostOf(connection.remoteAddr)
      const multiaddrs = own.multiaddrs.filter(ma => { const h = hostOf(ma); return h == null || h === host }).slice(0, GSS_LIST_MAX_ADDRS)
      const network = relayNetwork({ multiaddrs })
      if (network == null) return undefined
      if (this.checked.has(id)) return this.checked.get(id) // checked meanwhile (a round and a background check at once)
      if ([...this.checked.values()].some(e => e.network === network)) { this.onRefused('list-network-taken'); this.refuse(id); return undefined }
      if (this.checked.size + 1 >= this.maxRelays) { this.onRefused('list-full'); this.refuse(id); return undefined }
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
