// A tiny HTTP reverse proxy for WebSocket upgrades, as nginx with `proxy_set_header
// X-Forwarded-For` would be: each accepted connection is piped to the relay from `from` (a
// loopback source address) with an X-Forwarded-For line added to its request head. The header
// value is whatever the test set last (`forwardFor`), so one proxy can play many clients.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'

/** Most bytes of a request head read before giving up on it. */
const MAX_HEAD_BYTES = 16 * 1024

export interface ForwardingProxy {
  /** The proxy's WebSocket address for a relay's peer id: `/ip4/127.0.0.1/tcp/<port>/ws/p2p/<id>`. */
  addr(peerId: string): string
  /** X-Forwarded-For value sent with the next connections (undefined: no header). */
  forwardFor: string | undefined
  close(): Promise<void>
}

export async function forwardingProxy (target: { host: string, port: number }, from = '127.0.0.1'): Promise<ForwardingProxy> {
  const sockets = new Set<Socket>()
  const proxy: ForwardingProxy = {
    forwardFor: undefined,
    addr: (peerId) => `/ip4/127.0.0.1/tcp/${(server.address() as AddressInfo).port}/ws/p2p/${peerId}`,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>(resolve => { server.close(() => { resolve() }) })
    }
  }
  const server: Server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => { client.destroy() })
    const header = proxy.forwardFor // fixed when the client connects
    let head = Buffer.alloc(0)
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) { if (head.length > MAX_HEAD_BYTES) client.destroy(); return }
      client.off('data', onData)
      client.pause()
      const firstLineEnd = head.indexOf('\r\n')
      const added = header != null ? `\r\nX-Forwarded-For: ${header}` : ''
      const out = Buffer.concat([head.subarray(0, firstLineEnd), Buffer.from(added), head.subarray(firstLineEnd)])
      const upstream = connect({ host: target.host, port: target.port, localAddress: from })
      sockets.add(upstream)
      upstream.on('close', () => { sockets.delete(upstream); client.destroy() })
      upstream.on('error', () => { upstream.destroy() })
      client.on('close', () => { upstream.destroy() })
      upstream.write(out)
      client.pipe(upstream)
      upstream.pipe(client)
      client.resume()
    }
    client.on('data', onData)
  })
  await new Promise<void>(resolve => { server.listen(0, '127.0.0.1', resolve) })
  return proxy
}
