// The one PeerInfo codec (protocols/common/peer-info.ts) that the pairing offer/answer and the CRP
// offer, answer and parked offer share: what it accepts, and every way it refuses.
import { expect } from 'chai'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { PeerInfo, decodePeerInfo, encodePeerInfo, wire } from '../../../../protocols/common/index.js'

describe('PeerInfo codec', function () {
  const address = multiaddr('/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWJe39wcZK5X4QF24uG6yFDWSpZ5hR9gpA5pjZCkZiDsrc/p2p-circuit')

  it('encode → decode gives back the peer id, addresses in order and at_ms', async () => {
    const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const second = multiaddr('/ip4/127.0.0.1/udp/4002/webrtc-direct')
    const decoded = decodePeerInfo(encodePeerInfo({ peerId, multiaddrs: [address, second], atMs: 1_700_000_000_123 }))
    expect(decoded?.peerId.equals(peerId)).to.equal(true)
    expect(decoded?.multiaddrs.map(ma => ma.toString())).to.deep.equal([address.toString(), second.toString()])
    expect(decoded?.atMs).to.equal(1_700_000_000_123)
  })

  it('encode writes the three fields of common.proto (peer_id = 1, multiaddrs = 2, at_ms = 3)', async () => {
    const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const bytes = encodePeerInfo({ peerId, multiaddrs: [address], atMs: 42 })
    expect(PeerInfo.decode(bytes)).to.deep.equal({
      peerId: wire(peerId.toMultihash().bytes), multiaddrs: [wire(address.bytes)], atMs: 42n
    })
  })

  it('no address → undefined', async () => {
    const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    expect(decodePeerInfo(encodePeerInfo({ peerId, multiaddrs: [], atMs: 1 }))).to.equal(undefined)
  })

  it('a peer id that is no multihash, an address that does not parse, or bytes that are no PeerInfo → undefined', async () => {
    const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const good = { peerId: wire(peerId.toMultihash().bytes), multiaddrs: [wire(address.bytes)], atMs: 1n }
    expect(decodePeerInfo(PeerInfo.encode({ ...good, peerId: wire(Uint8Array.of(0xff, 0xff, 0xff)) }))).to.equal(undefined)
    expect(decodePeerInfo(PeerInfo.encode({ ...good, multiaddrs: [wire(Uint8Array.of(0xff, 0xff))] }))).to.equal(undefined)
    expect(decodePeerInfo(Uint8Array.of(0x0a, 0x7f))).to.equal(undefined)
  })

  it('at_ms beyond the safe integer range → undefined (it could not be compared exactly)', async () => {
    const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const bytes = PeerInfo.encode({
      peerId: wire(peerId.toMultihash().bytes), multiaddrs: [wire(address.bytes)], atMs: BigInt(Number.MAX_SAFE_INTEGER) + 1n
    })
    expect(decodePeerInfo(bytes)).to.equal(undefined)
  })
})
