// The daemon's links to its relay(s): a presence node dials every configured relay, holds a
// circuit reservation (the `/p2p-circuit` addresses contacts dial it at), re-dials a lost relay on
// the back-off schedule, and reports `relay` and `listening` events. When no configured relay
// answers it takes its reservation at a relay of the remembered list, and moves back when one
// answers again; it refreshes that list from a connected relay (docs/protocol.md §22.5). Contacts
// are not its business: it tells its owner when our addresses changed, and the owner tells them.
import type { Libp2p } from 'libp2p'
import type { PeerId } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Clock } from '../../../protocols/common/index.js'
import { dialRelay, ownCircuitAddrs, waitForCircuitAddrs } from '../relay-slot.js'
import { entriesFromAddrs, rankRelays } from '../../../protocols/gss-list/index.js'
import { fetchRelayList, relaysToKeep, KNOWN_RELAYS_KEPT } from '../pairing/relay-choice.js'
import { relayPeerIdOf } from '../presence.js'
import { ScheduledRunner, REDIAL_BACKOFF } from './schedule.js'
import type { DaemonEventListener, RelayStatus } from './events.js'

export interface RelayLinksInit {
  /** The long-term node that holds the reservation. */
  node: Libp2p
  /** The relay(s) to hold a reservation on; the first is where the CRP registers. */
  relays: Array<string | Multiaddr>
  clock: Clock
  emit: DaemonEventListener
  /** Our addresses changed to a new, non-empty set (a reservation came back or moved). */
  onAddrsChanged: (addrs: Multiaddr[]) => void
  /** Jitter source of the back-off (tests make it deterministic). */
  random?: () => number
  /** §22.5: the relays remembered from the last list of two or more (fallbacks, best first). */
  knownRelays?: () => Promise<Multiaddr[]>
  /** §22.5: remembers a refreshed list of two or more (only a cache: a failure is ignored). */
  saveKnownRelays?: (addrs: Multiaddr[]) => Promise<void>
}

/** §22.5: no configured relay connected for this long (clock ms) → a reservation at a fallback relay. */
export const FALLBACK_AFTER_MS = 30_000
/** §22.5: how often the relay list is refreshed from a connected relay (clock ms), and once at start. */
export const RELAY_LIST_REFRESH_MS = 3_600_000
/** §22.5: a fallback that still carries a contact's circuit is looked at again this often before moving back. */
export const MOVE_BACK_CHECK_MS = 60_000

interface RelayLink {
  addr: Multiaddr
  peer?: PeerId
  connected: boolean
  trying?: boolean
  retry?: ScheduledRunner
  /** The last status reported: a retry that fails like the one before says nothing new. */
  status?: RelayStatus
  /** A relay of the remembered list, in place of the configured ones (§22.5). */
  fallback?: boolean
}

export class RelayLinks {
  private readonly init: RelayLinksInit
  private readonly links: RelayLink[]
  /** The addresses last handed to onAddrsChanged (or found at start). */
  private announcedAddrs = ''
  /** The addresses last seen on a `self:peer:update`. */
  private seenAddrs = ''
  private stopped = false
  /** The first `listening` went out (later ones follow a relay outage or an address change). */
  private listening = false
  /** §22.5: the relay of the remembered list we hold our reservation at while no configured one answers. */
  private fallback?: RelayLink
  /** Fallback relays that failed during this outage (the next one is tried); cleared when a configured relay answers. */
  private readonly fallbackFailed = new Set<string>()
  private fallingBack = false
  private fallbackHandle: unknown
  private moveBackHandle: unknown
  private refreshHandle: unknown
  private refreshing = false

  constructor (init: RelayLinksInit) {
    this.init = init
    this.links = init.relays.map(r => ({ addr: typeof r === 'string' ? multiaddr(r) : r, connected: false }))
    if (this.links.length === 0) throw new Error('the daemon needs a relay')
  }

  /** The first relay (where the CRP registers). */
  get primary (): Multiaddr {
    return this.links[0].addr
  }

  /** Our long-term addresses (circuit slots at the relays). */
  get addrs (): Multiaddr[] {
    return ownCircuitAddrs(this.init.node)
  }

  /** Dials every relay, waits for the reservation if one answered, says where we listen. */
  async start (): Promise<void> {
    const { node } = this.init
    node.addEventListener('peer:disconnect', this.onDisconnect)
    await Promise.all(this.links.map(async r => { await this.connect(r) }))
    // One reservation at a time (the node listens on one `/p2p-circuit`); the circuit transport
    // makes it at a connected relay and moves it to another one if that relay goes.
    if (this.links.some(r => r.connected)) await waitForCircuitAddrs(node).catch(() => {})
    this.seenAddrs = this.announcedAddrs = addrKey(this.addrs)
    node.addEventListener('self:peer:update', this.onSelfUpdate)
    this.emitListening()
    this.listening = true
    // §22.5: a daemon started while its relay is down falls back at once (no outage to wait out).
    if (!this.configuredUp()) void this.takeFallback()
    void this.refreshList()
  }

  stop (): void {
    if (this.stopped) return
    this.stopped = true
    for (const link of this.links) link.retry?.stop()
    for (const h of [this.fallbackHandle, this.moveBackHandle, this.refreshHandle]) if (h != null) this.init.clock.clearTimeout(h)
    this.init.node.removeEventListener('self:peer:update', this.onSelfUpdate)
    this.init.node.removeEventListener('peer:disconnect', this.onDisconnect)
  }

  private async connect (link: RelayLink): Promise<boolean> {
    if (link.trying === true || this.stopped) return link.connected
    link.trying = true
    try {
      const connection = await dialRelay(this.init.node, link.addr)
      link.peer = connection.remotePeer
      link.connected = true
      link.retry?.stop()
      link.retry = undefined
      this.report(link, 'connected')
      this.configuredBack()
      if (this.listening) {
        // Back after an outage: say where we are reachable again once the slot is there.
        await waitForCircuitAddrs(this.init.node).catch(() => {})
        if (!this.stopped) this.emitListening()
      }
      return true
    } catch {
      if (this.stopped) return false
      link.connected = false
      this.report(link, 'unreachable')
      this.retry(link)
      this.armFallback()
      return false
    } finally {
      link.trying = false
    }
  }

  /** A lost relay is re-dialed on the back-off schedule (a restarted relay is found again). */
  private retry (link: RelayLink): void {
    if (this.stopped || link.retry != null) return
    const { clock } = this.init
    const now = clock.now()
    link.retry = new ScheduledRunner({
      clock,
      schedule: REDIAL_BACKOFF,
      startedAtMs: now,
      // The attempt that brought us here just failed: the first retry is one interval away.
      nextRunAtMs: now + REDIAL_BACKOFF.bands[0].intervalMs,
      random: this.init.random,
      run: () => { if (!link.connected) void this.connect(link) }
    })
    link.retry.start()
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    if (this.stopped) return
    const fb = this.fallback
    if (fb?.peer != null && fb.peer.equals(evt.detail)) {
      // The fallback went too: the next relay of the list now, if no configured one is back.
      this.fallback = undefined
      this.fallbackFailed.add(fb.peer.toString())
      this.report(fb, 'disconnected')
      if (!this.configuredUp()) void this.takeFallback()
      return
    }
    const link = this.links.find(r => r.peer != null && r.peer.equals(evt.detail))
    if (link == null) return
    link.connected = false
    this.report(link, 'disconnected')
    this.retry(link)
    this.armFallback()
  }

  /** Some configured relay is connected. */
  private configuredUp (): boolean {
    return this.links.some(l => l.connected)
  }

  /** §22.5: no configured relay connected → a fallback in FALLBACK_AFTER_MS unless one answers by then. */
  private armFallback (): void {
    if (this.stopped || this.configuredUp() || this.fallback != null || this.fallbackHandle != null) return
    this.fallbackHandle = this.init.clock.setTimeout(() => {
      this.fallbackHandle = undefined
      if (!this.configuredUp()) void this.takeFallback()
    }, FALLBACK_AFTER_MS)
  }

  /** A configured relay answered: no fallback is needed, and one held is given up when it carries nothing. */
  private configuredBack (): void {
    if (this.fallbackHandle != null) this.init.clock.clearTimeout(this.fallbackHandle)
    this.fallbackHandle = undefined
    this.fallbackFailed.clear()
    void this.moveBack()
  }

  /**
   * §22.5: the relays of the remembered list that are not configured, by descending HRW score over
   * our presence id, those that failed in this outage left out; at most KNOWN_RELAYS_KEPT.
   */
  private async fallbackCandidates (): Promise<Multiaddr[]> {
    const known = await this.init.knownRelays?.().catch(() => []) ?? []
    const configured = new Set(this.links.flatMap(l => {
      const id = l.peer ?? relayPeerIdOf(l.addr)
      return id != null ? [id.toString()] : []
    }))
    return fallbackOrder(known, this.init.node.peerId, new Set([...configured, ...this.fallbackFailed]))
  }

  /**
   * §22.5: dials the fallback candidates in order until one answers (at most KNOWN_RELAYS_KEPT
   * dials); the circuit transport then reserves there by itself (our one `/p2p-circuit`, §21.1).
   * None answering: another round in FALLBACK_AFTER_MS, with every candidate again.
   */
  private async takeFallback (): Promise<void> {
    if (this.stopped || this.fallingBack || this.fallback != null || this.configuredUp()) return
    this.fallingBack = true
    try {
      for (const addr of await this.fallbackCandidates()) {
        if (this.stopped || this.configuredUp()) return
        let peer: PeerId
        try {
          peer = (await dialRelay(this.init.node, addr)).remotePeer
        } catch {
          const id = relayPeerIdOf(addr)
          if (id != null) this.fallbackFailed.add(id.toString())
          continue
        }
        if (this.stopped) return
        const link: RelayLink = { addr, peer, connected: true, fallback: true }
        this.fallback = link
        if (this.fallbackHandle != null) this.init.clock.clearTimeout(this.fallbackHandle)
        this.fallbackHandle = undefined
        this.report(link, 'connected')
        // A configured relay that answered while this dial ran: back at once.
        if (this.configuredUp()) void this.moveBack()
        return
      }
      if (this.stopped || this.configuredUp()) return
      this.fallbackFailed.clear()
      this.armFallback()
    } finally {
      this.fallingBack = false
    }
  }

  /**
   * §22.5: a configured relay is connected again: the fallback is given up, so that the circuit
   * transport reserves at the configured relay, unless a contact's connection still runs through
   * the fallback's circuit (looked at again every MOVE_BACK_CHECK_MS). Its protocols are forgotten
   * first, so that the transport cannot reserve there again.
   */
  private async moveBack (): Promise<void> {
    if (this.moveBackHandle != null) this.init.clock.clearTimeout(this.moveBackHandle)
    this.moveBackHandle = undefined
    const fb = this.fallback
    if (this.stopped || fb?.peer == null || !this.configuredUp()) return
    const { node } = this.init
    const through = `/p2p/${fb.peer.toString()}/p2p-circuit`
    if (node.getConnections().some(c => c.remoteAddr.toString().includes(through))) {
      this.moveBackHandle = this.init.clock.setTimeout(() => { this.moveBackHandle = undefined; void this.moveBack() }, MOVE_BACK_CHECK_MS)
      return
    }
    this.fallback = undefined
    await node.peerStore.patch(fb.peer, { protocols: [] }).catch(() => {})
    // No event of its own: the `listening` with the configured relay's addresses says it.
    for (const c of node.getConnections(fb.peer)) await c.close().catch(() => { c.abort(new Error('fallback relay given up')) })
  }

  /**
   * §22.5: asks a connected relay (a configured one first) for the list on `/gini/gss/list/1` and
   * remembers a list of two or more; a relay on its own (a list of one, or none) leaves the
   * remembered list as it was. At start, then every RELAY_LIST_REFRESH_MS.
   */
  private async refreshList (): Promise<void> {
    if (this.stopped || this.refreshing) return
    this.refreshing = true
    try {
      const source = [...this.links, ...(this.fallback != null ? [this.fallback] : [])].find(l => l.connected && l.peer != null)
      if (source?.peer == null || this.init.saveKnownRelays == null) return
      const addr = relayPeerIdOf(source.addr) != null ? source.addr : source.addr.encapsulate(`/p2p/${source.peer.toString()}`)
      const list = await fetchRelayList(this.init.node, [addr]).catch(() => undefined)
      if (list == null || this.stopped) return
      const saved = list.entries.length > 1
      if (saved) await this.init.saveKnownRelays(relaysToKeep(list)).catch(() => {})
      this.init.emit({ event: 'relay-list', relay: addr.toString(), relays: list.entries.length, saved })
    } finally {
      this.refreshing = false
      if (!this.stopped) {
        if (this.refreshHandle != null) this.init.clock.clearTimeout(this.refreshHandle)
        this.refreshHandle = this.init.clock.setTimeout(() => { this.refreshHandle = undefined; void this.refreshList() }, RELAY_LIST_REFRESH_MS)
      }
    }
  }

  /** Our addresses changed (a reservation came or went): say so, and tell the owner of a new set. */
  private readonly onSelfUpdate = (): void => {
    if (this.stopped) return
    const addrs = this.addrs
    const key = addrKey(addrs)
    if (key === this.seenAddrs) return
    this.seenAddrs = key
    this.emitListening(addrs)
    if (addrs.length === 0 || key === this.announcedAddrs) return
    this.announcedAddrs = key
    this.init.onAddrsChanged(addrs)
  }

  /** A `relay` event when the relay's status changed (never one per failed retry). */
  private report (link: RelayLink, status: RelayStatus): void {
    if (link.status === status) return
    link.status = status
    this.init.emit({ event: 'relay', status, relay: link.addr.toString(), ...(link.fallback === true ? { fallback: true } : {}) })
  }

  private emitListening (addrs = this.addrs): void {
    this.init.emit({ event: 'listening', peerId: this.init.node.peerId.toString(), addrs: addrs.map(String) })
  }
}

/**
 * §22.5: the remembered relays a presence node falls back to, by descending HRW score over its
 * presence peer id bytes, those named in `leaveOut` (peer ids) left out; deduplicated as §22.2 says,
 * at most KNOWN_RELAYS_KEPT, one address each.
 */
export function fallbackOrder (known: Multiaddr[], presence: PeerId, leaveOut: ReadonlySet<string> = new Set()): Multiaddr[] {
  const entries = entriesFromAddrs(known).filter(e => !leaveOut.has(e.peerId.toString()))
  return rankRelays(entries, presence.toMultihash().bytes).slice(0, KNOWN_RELAYS_KEPT).map(e => e.multiaddrs[0])
}

function addrKey (addrs: Multiaddr[]): string {
  return addrs.map(String).sort().join(' ')
}
