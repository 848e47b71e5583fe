// A direct TCP link beside a contact's WebRTC or relayed one (docs/protocol.md §17.6): the contact's
// TCP addresses, learned inside §8 and kept in memory for this run only; one side dials them when
// both have some, and §8 on the new connection makes it a link the contact's files and chat prefer.
// A dial that fails changes nothing: the contact stays on the link it has.
import type { Libp2p } from 'libp2p'
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Multiaddr } from '@multiformats/multiaddr'
import { systemClock } from '../../../protocols/common/index.js'
import { isTcpConnection } from '../dial-peer.js'
import { directTcpAddrsOf } from '../peer-node.js'
import type { Sessions } from './sessions.js'

/** §17.6 item 3: one TCP dial to a contact's address (a LAN or loopback round trip or two). */
export const TCP_DIAL_TIMEOUT_MS = 3_000
/** §17.6 item 3: a contact's TCP addresses tried per attempt. */
export const TCP_MAX_DIALED_ADDRESSES = 4
/** §17.6 item 3: the side with the larger peer id dials only this much later, if no TCP link came. */
export const TCP_SECOND_DIALER_DELAY_MS = 2_000

export interface TcpLinksInit {
  node: Libp2p
  sessions: Sessions
  /** A dial ended without a TCP link (refused, timed out, another peer, no session). */
  onFailed?: (id: string) => void
}

export class TcpLinks {
  private readonly init: TcpLinksInit
  /** Each contact's TCP addresses from its latest hello, reply or AddressUpdate (§17.6 item 2). */
  private readonly hints = new Map<string, Multiaddr[]>()
  private stopped = false

  constructor (init: TcpLinksInit) {
    this.init = init
  }

  /** §17.6 item 2: the latest set replaces the one before; only addresses naming the contact count. */
  learn (id: string, multiaddrs: Multiaddr[]): void {
    const own = multiaddrs.filter(ma => ma.toString().endsWith(`/p2p/${id}`))
    if (own.length > 0) this.hints.set(id, own)
    else this.hints.delete(id)
  }

  /** A new link of the contact: unless it is TCP, try for a TCP link beside it (§17.6 item 3). */
  linkCame (id: string, connection: Connection): void {
    if (this.stopped || isTcpConnection(connection) || !this.canDial(id)) return
    const go = (): void => {
      if (this.stopped || !this.init.sessions.isOnline(id) || this.hasTcpLink(id)) return
      void this.connect(id).catch(() => false)
    }
    if (this.init.node.peerId.toString() < id) go()
    else systemClock.setTimeout(go, TCP_SECOND_DIALER_DELAY_MS)
  }

  hasTcpLink (id: string): boolean {
    return this.init.sessions.linksOf(id).some(l => l.kind === 'tcp')
  }

  /** Dials the contact's TCP addresses in turn; true once one carries a confirmed session. */
  async connect (id: string): Promise<boolean> {
    const { sessions, node } = this.init
    const ok = await sessions.withDialLock(id, async () => {
      if (this.stopped || !sessions.isOnline(id) || this.hasTcpLink(id)) return this.hasTcpLink(id)
      const peer = peerIdFromString(id)
      for (const ma of (this.hints.get(id) ?? []).slice(0, TCP_MAX_DIALED_ADDRESSES)) {
        let connection: Connection
        try {
          // `force`: libp2p would hand back the WebRTC or relayed connection to the same peer.
          connection = await node.dial(ma, { signal: AbortSignal.timeout(TCP_DIAL_TIMEOUT_MS), force: true })
        } catch {
          continue
        }
        // The address names the contact, so Noise already proved its key; check anyway (§6.10).
        if (!connection.remotePeer.equals(peer) || !isTcpConnection(connection)) {
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
  }

  private canDial (id: string): boolean {
    return directTcpAddrsOf(this.init.node).length > 0 && (this.hints.get(id)?.length ?? 0) > 0
  }
}
