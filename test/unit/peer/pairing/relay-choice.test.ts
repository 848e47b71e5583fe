// docs/protocol.md §22.2: a list is remembered at each relay's first address the peer's own
// transports can dial, so a browser (WebSocket, WebRTC and circuit only) keeps WebSocket addresses
// of relays that list TCP first. Real libp2p nodes, asked through their own isDialable.
import { expect } from 'chai'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { dialableAddrs } from '../../../../peer/core/pairing/relay-choice.js'
import type { RelayListEntry } from '../../../../protocols/gss-list/index.js'

async function entry (i: number, kinds: Array<'tcp' | 'ws'>): Promise<RelayListEntry> {
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const addr = (k: 'tcp' | 'ws'): string => k === 'tcp' ? `/ip4/192.0.2.${i}/tcp/4001` : `/ip4/192.0.2.${i}/tcp/4002/ws`
  return { peerId, multiaddrs: kinds.map(k => multiaddr(`${addr(k)}/p2p/${peerId.toString()}`)), firstSeenMs: 0 }
}

describe('pairing/relay choice: the addresses remembered (docs/protocol.md §22.2)', () => {
  const nodes: Libp2p[] = []
  after(async () => { for (const n of nodes) await n.stop() })

  it('a WebSocket-only node keeps each relay\'s WebSocket address, a TCP node its first; a relay it cannot dial is left out', async () => {
    const wsOnly = await createLibp2p({ transports: [webSockets()] })
    const withTcp = await createLibp2p({ transports: [tcp(), webSockets()] })
    nodes.push(wsOnly, withTcp)
    const entries = [await entry(1, ['tcp', 'ws']), await entry(2, ['ws', 'tcp']), await entry(3, ['tcp'])]

    expect((await dialableAddrs(wsOnly, entries)).map(String)).to.deep.equal([entries[0].multiaddrs[1], entries[1].multiaddrs[0]].map(String))
    expect((await dialableAddrs(withTcp, entries)).map(String)).to.deep.equal(entries.map(e => e.multiaddrs[0].toString()))
  })
})
