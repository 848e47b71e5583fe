// Connection slots of the relay: libp2p caps the total (maxConnections) and the rate per host, but
// not what one network holds, and it keeps a connection that serves nothing open for good. Here a
// connection gater gives each inbound connection a place in a NetQuota (per address, per IPv6 /64,
// a reserve for networks that hold few), and a sweep closes connections that carry no /gini/* or
// circuit stream and whose peer holds no reservation.
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { Connection, ConnectionGater, Libp2p, MultiaddrConnection } from '@libp2p/interface'
import type { Clock } from '../protocols/common/clock.js'
import { hostOf } from './fc-service.js'
import type { NetQuota } from './net-quota.js'

/** Streams that make a connection worth its slot: the relay's own protocols and circuit hops. */
const BUSY_PROTOCOL_PREFIXES = ['/gini/', '/libp2p/circuit/relay/']

/**
 * A gater whose denyInboundConnection takes a place in `quota` until the raw connection closes, and
 * denies every new inbound connection once `stopping()` is true.
 */
export function connectionGater (quota: NetQuota, stopping: () => boolean = () => false): ConnectionGater {
  return {
    denyInboundConnection: (maConn: MultiaddrConnection): boolean => {
      if (stopping()) return true
      const holder = { host: hostOf(maConn.remoteAddr) }
      if (quota.take(holder) != null) return true
      let released = false
      const release = (): void => { if (!released) { released = true; quota.release(holder) } }
      maConn.addEventListener('close', release, { once: true })
      if (maConn.status !== 'open') release() // it closed before we listened
      return false
    }
  }
}

export interface IdleSweepOptions {
  clock: Clock
  idleTimeoutMs: number
  intervalMs: number
  /** Called once per connection closed for idling. */
  onIdleClose?: () => void
}

/** Closes inbound connections idle (see above) for `idleTimeoutMs`; returns the stop. */
export function closeIdleConnections (node: Libp2p, server: CircuitRelayService, opts: IdleSweepOptions): () => void {
  const lastUsedMs = new WeakMap<Connection, number>()
  const onOpen = (evt: CustomEvent<Connection>): void => { lastUsedMs.set(evt.detail, opts.clock.now()) }
  node.addEventListener('connection:open', onOpen)
  let stopped = false
  let handle: unknown
  const sweep = (): void => {
    if (stopped) return
    const now = opts.clock.now()
    for (const conn of node.getConnections()) {
      if (conn.direction !== 'inbound' || conn.status !== 'open') continue
      if (isBusy(conn, server)) { lastUsedMs.set(conn, now); continue }
      const last = lastUsedMs.get(conn)
      if (last == null) { lastUsedMs.set(conn, now); continue }
      if (now - last < opts.idleTimeoutMs) continue
      lastUsedMs.delete(conn)
      try { opts.onIdleClose?.() } catch {}
      void conn.close().catch((err: Error) => { conn.abort(err) })
    }
    handle = opts.clock.setTimeout(sweep, opts.intervalMs)
  }
  handle = opts.clock.setTimeout(sweep, opts.intervalMs)
  return () => {
    stopped = true
    opts.clock.clearTimeout(handle)
    node.removeEventListener('connection:open', onOpen)
  }
}

function isBusy (conn: Connection, server: CircuitRelayService): boolean {
  if (server.reservations.has(conn.remotePeer)) return true
  return conn.streams.some(s => BUSY_PROTOCOL_PREFIXES.some(p => s.protocol?.startsWith(p) === true))
}
