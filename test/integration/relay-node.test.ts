// The relay as a libp2p node: its addresses, the services it runs, and the circuit relay limits
// set explicitly instead of libp2p's defaults (15 reservations, 128 KiB a link).
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { pbStream } from '@libp2p/utils'
import { expect } from 'chai'
import { createLibp2p, type Libp2p } from 'libp2p'
import { FC_PROTOCOL } from '../../protocols/fc/index.js'
import { Cleanup, WAIT_MS, startRelay, waitFor } from '../helpers/relay-clients.js'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Uint8ArrayList } from 'uint8arraylist'

/** A peer that takes a reservation on the relays it connects to (as a pairing peer does, §6.1). */
async function reservingPeer (cleanup: Cleanup): Promise<Libp2p> {
  const node = await createLibp2p({
    addresses: { listen: ['/p2p-circuit'] },
    transports: [tcp(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
  cleanup.add(async () => { await node.stop() })
  return node
}

const HOP_PROTOCOL = '/libp2p/circuit/relay/0.2.0/hop'
/** Circuit relay v2 HopMessage bodies, hand-encoded (the library does not export its codec). */
const HOP_RESERVE = Uint8Array.of(0x08, 0x00) // type = RESERVE
const HOP_STATUS_RESERVATION_REFUSED = Uint8Array.of(0x08, 0x02, 0x28, 0xc8, 0x01) // type = STATUS, status = 200
const RAW = { encode: (b: Uint8Array) => b, decode: (b: Uint8Array | Uint8ArrayList) => b.subarray() }

function circuitAddr (node: Libp2p): Multiaddr | undefined {
  return node.getMultiaddrs().find(ma => ma.toString().includes('/p2p-circuit'))
}

describe('relay node (libp2p services and limits)', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  it('started relay × default listen → TCP and WS addresses, each ending in /p2p/<relay id>', async () => {
    const relay = await startRelay(cleanup, { listen: undefined })
    const addrs = relay.multiaddrs.map(ma => ma.toString())
    for (const a of addrs) expect(a.endsWith(`/p2p/${relay.peerId.toString()}`), a).to.equal(true)
    expect(addrs.some(a => a.includes('/tcp/') && !a.includes('/ws'))).to.equal(true)
    expect(addrs.some(a => a.includes('/ws'))).to.equal(true)
  })

  it('started relay × protocols → /gini/fc/1, circuit hop; no kad-dht (strangers could write it)', async () => {
    const relay = await startRelay(cleanup)
    const protocols = relay.node.getProtocols()
    expect(protocols).to.include(FC_PROTOCOL)
    expect(protocols).to.include('/libp2p/circuit/relay/0.2.0/hop')
    expect(protocols).to.not.include('/gini/kad/1.0.0')
    expect(protocols.filter(p => p.includes('/kad/'))).to.deep.equal([])
    expect((relay.node.services as Record<string, unknown>).dht).to.equal(undefined)
  })

  it('peer reserves × relayed link → 8 MiB data limit; the reservation ends when the peer leaves', async () => {
    const relay = await startRelay(cleanup)
    const server = relay.node.services.relay as CircuitRelayService
    const a = await reservingPeer(cleanup)
    await a.dial(relay.multiaddrs[0])
    await waitFor(() => circuitAddr(a) != null, 'a circuit reservation')
    expect(server.reservations.size).to.equal(1)
    expect(server.reservations.get(a.peerId)?.limit?.data).to.equal(8n * 1024n * 1024n)
    expect(server.reservations.get(a.peerId)?.limit?.duration).to.equal(600_000)

    const b = await reservingPeer(cleanup)
    const conn = await b.dial(circuitAddr(a)!, { signal: AbortSignal.timeout(5_000) })
    expect(Number(conn.limits?.bytes)).to.be.greaterThan(8_000_000) // libp2p's default would be 128 KiB

    await a.stop()
    await waitFor(() => server.reservations.get(a.peerId) == null, 'the reservation to be dropped')
  })

  it('maxReservations × one more peer than allowed → that peer gets no circuit address', async () => {
    const relay = await startRelay(cleanup, { maxReservations: 1 })
    const server = relay.node.services.relay as CircuitRelayService
    const a = await reservingPeer(cleanup)
    await a.dial(relay.multiaddrs[0])
    await waitFor(() => circuitAddr(a) != null, 'the first reservation')
    const b = await reservingPeer(cleanup)
    await b.dial(relay.multiaddrs[0])
    // b asks by hand as well: the relay's answer is the event to wait for, not a while.
    const stream = await b.dialProtocol(relay.multiaddrs[0], HOP_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
    const hop = pbStream(stream).pb(RAW)
    await hop.write(HOP_RESERVE)
    expect([...await hop.read({ signal: AbortSignal.timeout(WAIT_MS) })], 'STATUS RESERVATION_REFUSED').to.deep.equal([...HOP_STATUS_RESERVATION_REFUSED])
    expect(server.reservations.has(b.peerId), 'no reservation for b').to.equal(false)
    expect([...server.reservations.keys()].map(String)).to.deep.equal([a.peerId.toString()])
    expect(circuitAddr(b)).to.equal(undefined)
  })
})
