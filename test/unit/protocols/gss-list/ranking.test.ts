// docs/protocol.md §22.2: ranking a relay list for a code, against test/vectors/gini-hrw-v1.json.
import { expect } from 'chai'
import { multiaddr } from '@multiformats/multiaddr'
import { dedupeRelays, lookupBitsForList, peerIdFromBytes, rankRelays, type RelayListEntry } from '../../../../protocols/gss-list/index.js'
import { fromHex, toHex } from '../../../../protocols/crypto/index.js'
import vectors from '../../../vectors/gini-hrw-v1.json' with { type: 'json' }

/** The vector relays as list entries, each on its own IPv4 address. */
function entries (): RelayListEntry[] {
  return vectors.relays.map((hex, i) => {
    const peerId = peerIdFromBytes(fromHex(hex))
    if (peerId == null) throw new Error(`vector relay ${i} is not a peer id`)
    return { peerId, multiaddrs: [multiaddr(`/ip4/192.0.2.${i + 1}/tcp/4001/p2p/${peerId.toString()}`)], firstSeenMs: 0 }
  })
}

const idHex = (e: RelayListEntry): string => toHex(e.peerId.toMultihash().bytes)

describe('gss-list/ranking (docs/protocol.md §22.2)', () => {
  for (const c of vectors.cases) {
    it(`code ${c.fc} → the published ranking, whatever the list's order`, () => {
      expect(rankRelays(entries(), c.fc).map(idHex)).to.deep.equal(c.ranking)
      expect(rankRelays(entries().reverse(), c.fc).map(idHex)).to.deep.equal(c.ranking)
    })
  }

  it('one host under two peer ids → one place (the lower id), so lookup_bits counts it once', () => {
    const list = entries()
    const twin = { ...list[1], multiaddrs: [multiaddr(`/ip4/192.0.2.1/tcp/4002/p2p/${list[1].peerId.toString()}`)] }
    const deduped = dedupeRelays([list[0], twin, ...list.slice(2)])
    expect(deduped).to.have.length(list.length - 1)
    expect(lookupBitsForList([list[0], twin, ...list.slice(2)])).to.equal(22)
    expect(lookupBitsForList(list)).to.equal(21)
    expect(lookupBitsForList(list.slice(0, 1))).to.equal(24)
  })
})
