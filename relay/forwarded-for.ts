// Client addresses behind a reverse proxy on the relay's WebSocket listener. With trusted proxies
// configured (`--trust-proxy`), a WebSocket upgrade that arrives from one of them is attributed to
// the right-most untrusted address of its X-Forwarded-For header, so every per-IP limit (connection
// slots, pending rows, rate buckets, libp2p's per-host connection rate) counts clients, not the
// proxy. Without the option, or from any other address, the header is ignored. The TCP listener
// never reads it.
import { BlockList, isIP } from 'node:net'
import type { IncomingMessage } from 'node:http'
import type { Listener, Transport } from '@libp2p/interface'

/** Most X-Forwarded-For entries looked at (the header itself is bounded by Node's header size). */
const MAX_FORWARDED_HOPS = 32

/** The proxies whose X-Forwarded-For is believed: addresses and CIDR blocks, IPv4 or IPv6. */
export class TrustedProxies {
  private readonly list = new BlockList()

  /** Throws a RangeError naming the first entry that is neither an address nor a CIDR block. */
  constructor (entries: string[]) {
    for (const entry of entries) {
      const [addr, prefix, extra] = entry.trim().split('/')
      const family = isIP(addr)
      const bits = prefix == null ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN
      if (family === 0 || extra != null || (bits != null && (Number.isNaN(bits) || bits > (family === 4 ? 32 : 128)))) {
        throw new RangeError(`not an IP address or CIDR block: ${JSON.stringify(entry)}`)
      }
      const type = family === 4 ? 'ipv4' : 'ipv6'
      if (bits == null) this.list.addAddress(addr, type)
      else this.list.addSubnet(addr, bits, type)
    }
  }

  has (address: string): boolean {
    const addr = unmapped(address)
    const family = isIP(addr)
    return family !== 0 && this.list.check(addr, family === 4 ? 'ipv4' : 'ipv6')
  }
}

/** `::ffff:192.0.2.1` → `192.0.2.1`; anything else unchanged. */
function unmapped (address: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)
  return m != null ? m[1] : address
}

/**
 * The client address for a connection from `peer` carrying `header`: `peer` itself when it is not
 * a trusted proxy or sent no header; else the right-most header entry that is not a trusted proxy
 * (the left-most when all are); `invalid` when an entry looked at is not a plain IP address.
 */
export function clientAddress (peer: string, header: string | string[] | undefined, trusted: TrustedProxies): string | 'invalid' {
  if (header == null || !trusted.has(peer)) return peer
  const hops = (Array.isArray(header) ? header.join(',') : header).split(',').map(h => h.trim())
  if (hops.length > MAX_FORWARDED_HOPS) return 'invalid'
  let client = peer
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = unmapped(hops[i])
    if (isIP(hop) === 0 || hop.includes('%')) return 'invalid'
    client = hop
    if (!trusted.has(hop)) break
  }
  return client
}

/**
 * Wraps the WebSocket transport so each listener it makes attributes upgrades from `trusted`
 * proxies to their client (above) before libp2p reads the socket's remote address.
 * `onInvalid` is called once per header that was ignored for being malformed.
 */
export function trustForwardedFor<T extends Transport> (factory: (components: any) => T, trusted: TrustedProxies, onInvalid: () => void): (components: any) => T {
  const attribute = (req: IncomingMessage): void => {
    const peer = req.socket.remoteAddress
    if (peer == null) return
    const client = clientAddress(peer, req.headers['x-forwarded-for'], trusted)
    if (client === 'invalid') { try { onInvalid() } catch {} return }
    // @libp2p/websockets builds the connection's remoteAddr from req.socket.remoteAddress.
    if (client !== peer) Object.defineProperty(req.socket, 'remoteAddress', { value: client, configurable: true })
  }
  return (components) => {
    const transport = factory(components)
    const createListener = transport.createListener.bind(transport)
    transport.createListener = (options) => {
      const listener: Listener = createListener(options)
      const listen = listener.listen.bind(listener)
      listener.listen = async (ma) => {
        await listen(ma)
        // The listener's own HTTP servers (fields of @libp2p/websockets' WebSocketListener): ours
        // runs before its 'upgrade' handler.
        const servers = listener as unknown as { http?: import('node:http').Server, https?: import('node:http').Server }
        for (const server of [servers.http, servers.https]) server?.prependListener('upgrade', attribute)
      }
      return listener
    }
    return transport
  }
}
