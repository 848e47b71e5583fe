// Faults for the direct TCP link between contacts (docs/protocol.md §17.6): a presence node that
// tells its contacts a TCP port nobody listens on, as behind a firewall or after the port closed.
import { createServer } from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { createPeerNode } from '../../peer/index.js'
import { registerDirectTcpAddrs, type CreatePeerNode } from '../../peer/core/peer-node.js'

/** A loopback TCP port that was free a moment ago and that nobody listens on now. */
export async function closedLoopbackPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve) })
  const address = server.address()
  await new Promise<void>((resolve) => { server.close(() => { resolve() }) })
  if (address == null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/**
 * The platform's createPeerNode, except that a presence node (one with a TCP listener)
 * announces `/ip4/127.0.0.1/tcp/<port>` to contacts instead of where it really listens.
 */
export function announcingTcpPort (port: number): CreatePeerNode {
  return async (opts) => {
    const node = await createPeerNode(opts)
    if (opts?.directTcp === true) registerDirectTcpAddrs(node, () => [multiaddr(`/ip4/127.0.0.1/tcp/${port}/p2p/${node.peerId.toString()}`)])
    return node
  }
}
