// The daemon's links to its relay(s): the long-term identity dials every relay, holds a
// circuit reservation (the `/p2p-circuit` addresses contacts dial it at), re-dials a lost relay on
// the back-off schedule, and reports `relay` and `listening` events. Contacts are not its business:
// it tells its owner when our addresses changed, and the owner tells the contacts.
import type { Libp2p } from 'libp2p'
import type { PeerId } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Clock } from '../../../protocols/common/index.js'
import { dialRelay, ownCircuitAddrs, waitForCircuitAddrs } from '../relay-slot.js'
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
}

interface RelayLink {
  addr: Multiaddr
  peer?: PeerId
  connected: boolean
  trying?: boolean
  retry?: ScheduledRunner
  /** The last status reported: a retry that fails like the one before says nothing new. */
  status?: RelayStatus
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
  }

  stop (): void {
    if (this.stopped) return
    this.stopped = true
    for (const link of this.links) link.retry?.stop()
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
    const link = this.links.find(r => r.peer != null && r.peer.equals(evt.detail))
    if (link == null || this.stopped) return
    link.connected = false
    this.report(link, 'disconnected')
    this.retry(link)
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
    this.init.emit({ event: 'relay', status, relay: link.addr.toString() })
  }

  private emitListening (addrs = this.addrs): void {
    this.init.emit({ event: 'listening', peerId: this.init.node.peerId.toString(), addrs: addrs.map(String) })
  }
}

function addrKey (addrs: Multiaddr[]): string {
  return addrs.map(String).sort().join(' ')
}
