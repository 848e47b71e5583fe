// AddressUpdate on its own `/gini/session/1` stream (docs/protocol.md §8).
import { expect } from 'chai'
import { multiaddr } from '@multiformats/multiaddr'
import { readAddressUpdate, sendAddressUpdate } from '../../../../protocols/session/address-update.js'
import { SESSION_FRAME_MAX_BYTES } from '../../../../protocols/session/constants.js'
import { SessionMessage } from '../../../../protocols/session/pb/session.js'
import { readOrEnd, watchRemoteClose } from '../../../../protocols/common/index.js'
import { channelPair, resetAll, within } from '../contact/fixtures.js'

const MAX = SESSION_FRAME_MAX_BYTES
const ADDRS = ['/ip4/192.0.2.7/tcp/4001', '/dns4/relay.example.org/tcp/443/wss/p2p-circuit/webrtc']

describe('session/address-update (§8)', () => {
  afterEach(resetAll)

  it('new addresses × update sent → receiver reads them with their seq, then a clean end', async () => {
    const [sender, receiver] = await channelPair(SessionMessage, MAX)
    const watch = watchRemoteClose(receiver.stream)
    await sendAddressUpdate(sender, { multiaddrs: ADDRS.map(a => multiaddr(a).bytes), seq: 3n })
    const update = readAddressUpdate(await receiver.read())
    expect(update.seq).to.equal(3n)
    expect(update.multiaddrs.map(String)).to.deep.equal(ADDRS)
    expect(await within(2_000, readOrEnd(receiver, watch))).to.equal(undefined)
    expect(sender.stream.writeStatus).to.equal('closed')
  })

  const malformed: Array<[string, SessionMessage]> = [
    ['a multiaddr that does not decode', { addressUpdate: { multiaddrs: [new Uint8Array([0xff, 0xff, 0x01])], seq: 1n } }],
    ['an empty multiaddr', { addressUpdate: { multiaddrs: [new Uint8Array(0)], seq: 1n } }],
    ['seq 0 (seq starts at 1)', { addressUpdate: { multiaddrs: [multiaddr(ADDRS[0]).bytes], seq: 0n } }],
    ['a hello instead', { hello: { e: new Uint8Array(32), multiaddrs: [], atMs: 0n } }],
    ['no body', {}]
  ]
  for (const [what, msg] of malformed) {
    it(`first frame × ${what} → ProtocolViolationError`, async () => {
      const [sender, receiver] = await channelPair(SessionMessage, MAX)
      await sender.write(msg) // straight through the codec, as a faulty peer would
      const first = await receiver.read()
      expect(() => readAddressUpdate(first)).to.throw().with.property('name', 'ProtocolViolationError')
    })
  }

  it('sender × seq 0 → RangeError, nothing sent', async () => {
    const [sender] = await channelPair(SessionMessage, MAX)
    let error: unknown
    try {
      await sendAddressUpdate(sender, { multiaddrs: [], seq: 0n })
    } catch (err) {
      error = err
    }
    expect(error).to.be.instanceOf(RangeError)
  })
})
