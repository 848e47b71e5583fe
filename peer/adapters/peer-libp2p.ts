// The libp2p node a Node.js peer runs (for one pairing, a restore run, or the daemon's presence identity of the day):
// the shared configuration (peer-libp2p-options.ts) plus TCP, and node-datachannel for WebRTC.
// The browser build has its own twin (peer-libp2p.browser.ts).
import { networkInterfaces } from 'node:os'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { installDialerDtlsClientRole } from './webrtc-dtls-role.js'
import { nodeRtcConfiguration } from './webrtc-config.js'
import { peerLibp2pOptions } from './peer-libp2p-options.js'
import { nodeNoiseCrypto } from './noise-node-crypto.js'
import { isDirectTcpAddr, registerDirectTcpAddrs, type PeerNodeOptions } from '../core/peer-node.js'
import { IceServerSource, connectedRelayIceFetch } from '../core/ice-servers.js'

/** Every IPv4 interface, a port the system picks (docs/protocol.md §17.6). */
const DIRECT_TCP_LISTEN = '/ip4/0.0.0.0/tcp/0'

export async function createPeerNode (opts: PeerNodeOptions = {}): Promise<Libp2p> {
  installDialerDtlsClientRole()
  // Without an explicit provider (daemon, restore runs): the configured servers plus those of the
  // relay this node is connected to, asked on /gini/ice/1 when a WebRTC connection needs them.
  // eslint-disable-next-line prefer-const -- `fallback` reads it, and may run before createLibp2p returns
  let node: Libp2p | undefined
  const fromRelay = new IceServerSource({ configured: opts.iceServers })
  const fallback = async (): Promise<NonNullable<PeerNodeOptions['iceServers']>> => {
    if (node != null && !fromRelay.hasRelay) fromRelay.useRelay(connectedRelayIceFetch(node), { eager: false })
    return await fromRelay.servers()
  }
  // §17.6: the TCP listener is for contacts only. identify (which every connection runs, the
  // relay's included) never lists it; §8 tells contacts (directTcpAddrsOf), and the daemon closes an
  // inbound TCP connection that carries no contact's session (peer/core/daemon/tcp-links.ts).
  const directTcp = opts.directTcp === true
  let revealTcp = false
  node = await createLibp2p(peerLibp2pOptions(opts, {
    transports: [tcp()],
    noiseCrypto: nodeNoiseCrypto,
    rtcConfiguration: nodeRtcConfiguration(opts, fallback),
    ...(directTcp
      ? {
          listen: [DIRECT_TCP_LISTEN],
          announceFilter: (addrs) => addrs.filter(a => isDirectTcpAddr(a) === revealTcp)
        }
      : {})
  }))
  if (directTcp) {
    const listening = node
    registerDirectTcpAddrs(listening, () => {
      revealTcp = true
      let known: Multiaddr[]
      try { known = listening.getMultiaddrs() } finally { revealTcp = false }
      return withPublicInterfaces(known, listening.peerId.toString())
    })
  }
  return node
}

/**
 * libp2p lists a public interface address only once something verified it (no AutoNAT here): add
 * every IPv4 interface address at the listener's port, so a contact on a public network can dial it.
 */
function withPublicInterfaces (known: Multiaddr[], peerId: string): Multiaddr[] {
  const port = known.map(ma => /\/tcp\/(\d+)/.exec(ma.toString())?.[1]).find(p => p != null)
  if (port == null) return known
  const texts = new Set(known.map(ma => ma.toString()))
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4') texts.add(`/ip4/${a.address}/tcp/${port}/p2p/${peerId}`)
    }
  }
  return [...texts].map(t => multiaddr(t))
}

/** Frees node-datachannel's native threads; call once after every node in the process stopped. */
export async function releaseWebRtc (): Promise<void> {
  const ndc = await import('node-datachannel')
  ndc.default.cleanup()
}
