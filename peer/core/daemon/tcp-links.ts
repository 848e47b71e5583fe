// A direct TCP link beside a contact's WebRTC or relayed one (docs/protocol.md §17.6): the contact's
// TCP addresses (naming its presence identity, §21.2), learned inside §8 and kept in memory for this
// run only; one side dials them from today's presence node when both have some, and §8 on the new
// connection makes it a link the contact's files and chat prefer. A dial that fails changes nothing:
// the contact stays on the link it has. The listener's side: an inbound TCP connection that carries
// no contact's confirmed session within TCP_ADMIT_TIMEOUT_MS is closed (§17.6 item 4, §21.3).
import type { Libp2p } from 'libp2p'
import type { Connection } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { systemClock } from '../../../protocols/common/index.js'
import { isTcpConnection } from '../dial-peer.js'
import { directTcpAddrsOf } from '../peer-node.js'
import { peerIdTextOf } from '../contact-book.js'
import type { Sessions } from './sessions.js'

/** §17.6 item 3: one TCP dial to a contact's address (a LAN or loopback round trip or two). */
export const TCP_DIAL_TIMEOUT_MS = 3_000
/** §17.6 item 3: a contact's TCP addresses tried per attempt. */
export const TCP_MAX_DIALED_ADDRESSES = 4
/** §17.6 item 3: the side with the larger peer id dials only this much later, if no TCP link came. */
export const TCP_SECOND_DIALER_DELAY_MS = 2_000
/**
 * §17.6 item 4: how long an inbound TCP connection may stay without a contact's confirmed session on
 * it. The dialer opens §8 at once after Noise: a stream and three frames, a few round trips and one
 * stored write on a loaded machine.
 */
export const TCP_ADMIT_TIMEOUT_MS = 10_000

export interface TcpLinksInit {
  /** Today's presence node (§21.4): the one that dials. */
  node: () => Libp2p
  /** Our long-term peer id: with the contact's, it says who dials first (both sides know both). */
  ownId: string
  sessions: Sessions
  /** A dial ended without a TCP link (refused, timed out, another peer, no session). */
  onFailed?: (id: string) => void
}

export class TcpLinks {
  private readonly init: TcpLinksInit
  /** Each contact's TCP addresses from its latest hello, reply or AddressUpdate (§17.6 item 2). */
  private readonly hints = new Map<string, Multiaddr[]>()
  /** Inbound TCP connections waiting for a session, and their deadline timers. */
  private readonly admitting = new Map<Connection, unknown>()
  private stopped = false

  constructor (init: TcpLinksInit) {
    this.init = init
  }

  /**
   * §17.6 item 2: the latest set replaces the one before (Sessions passes only plain TCP addresses
   * naming a peer id that is not ours, §21.2).
   */
  learn (id: string, multiaddrs: Multiaddr[]): void {
    if (multiaddrs.length > 0) this.hints.set(id, multiaddrs)
    else this.hints.delete(id)
  }

  /**
   * §17.6 item 4: a new connection of a presence node. Unless it is an inbound TCP one, nothing to
   * do; that one is closed unless a contact's confirmed session is on it by the deadline. Who is on
   * it is what §8 proved, never its remote peer id (§21.3).
   */
  admit (connection: Connection): void {
    if (this.stopped || connection.direction !== 'inbound' || !isTcpConnection(connection)) return
    const timer = systemClock.setTimeout(() => {
      this.admitting.delete(connection)
      if (connection.status !== 'open' || this.init.sessions.boundTo(connection) != null) return
      void connection.close().catch(() => { connection.abort(new Error('no session with a contact')) })
    }, TCP_ADMIT_TIMEOUT_MS)
    this.admitting.set(connection, timer)
    connection.addEventListener('close', () => {
      const t = this.admitting.get(connection)
      if (t != null) systemClock.clearTimeout(t)
      this.admitting.delete(connection)
    }, { once: true })
  }

  /** A new link of the contact: unless it is TCP, try for a TCP link beside it (§17.6 item 3). */
  linkCame (id: string, connection: Connection): void {
    if (this.stopped || isTcpConnection(connection) || !this.canDial(id)) return
    const go = (): void => {
      if (this.stopped || !this.init.sessions.isOnline(id) || this.hasTcpLink(id)) return
      void this.connect(id).catch(() => false)
    }
    if (this.init.ownId < id) go()
    else systemClock.setTimeout(go, TCP_SECOND_DIALER_DELAY_MS)
  }

  hasTcpLink (id: string): boolean {
    return this.init.sessions.linksOf(id).some(l => l.kind === 'tcp')
  }

  /** Dials the contact's TCP addresses in turn; true once one carries a confirmed session. */
  async connect (id: string): Promise<boolean> {
    const { sessions } = this.init
    const ok = await sessions.withDialLock(id, async () => {
      if (this.stopped || !sessions.isOnline(id) || this.hasTcpLink(id)) return this.hasTcpLink(id)
      const node = this.init.node()
      for (const ma of (this.hints.get(id) ?? []).slice(0, TCP_MAX_DIALED_ADDRESSES)) {
        let connection: Connection
        try {
          // `force`: libp2p would hand back the WebRTC or relayed connection to the same peer.
          connection = await node.dial(ma, { signal: AbortSignal.timeout(TCP_DIAL_TIMEOUT_MS), force: true })
        } catch {
          continue
        }
        // Noise proved the presence key the address names (check anyway); §8 then proves the contact (§21.3).
        if (connection.remotePeer.toString() !== peerIdTextOf(ma.toString()) || !isTcpConnection(connection)) {
          await connection.close().catch(() => {})
          continue
        }
        if (await sessions.initiate(id, connection, 'dial')) return true
        await connection.close().catch(() => {})
      }
      return false
    })
    if (!ok && !this.stopped) this.init.onFailed?.(id)
    return ok
  }

  stop (): void {
    this.stopped = true
    this.hints.clear()
    for (const t of this.admitting.values()) systemClock.clearTimeout(t)
    this.admitting.clear()
  }

  private canDial (id: string): boolean {
    return directTcpAddrsOf(this.init.node()).length > 0 && (this.hints.get(id)?.length ?? 0) > 0
  }
}
