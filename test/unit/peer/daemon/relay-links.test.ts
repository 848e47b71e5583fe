// docs/protocol.md §22.5: the order a presence node falls back through its remembered relays (HRW
// over its presence id), against test/vectors/gini-hrw-presence-v1.json, which an independent
// implementation produced.
import { expect } from 'chai'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromBytes } from '../../../../protocols/gss-list/index.js'
import { fromHex, hrwScore, toHex } from '../../../../protocols/crypto/index.js'
import { fallbackOrder } from '../../../../peer/core/daemon/relay-links.js'
import vectors from '../../../vectors/gini-hrw-presence-v1.json' with { type: 'json' }

const idOf = (hex: string): ReturnType<typeof peerIdFromBytes> & {} => {
  const id = peerIdFromBytes(fromHex(hex))
  if (id == null) throw new Error(`vector id ${hex} is not a peer id`)
  return id
}
/** The vector relays as remembered addresses, each on its own IPv4 address. */
const remembered = vectors.relays.map((hex, i) => multiaddr(`/ip4/192.0.2.${i + 1}/tcp/4001/p2p/${idOf(hex).toString()}`))
const hexOf = (ma: ReturnType<typeof multiaddr>): string => toHex(idOf(vectors.relays[remembered.findIndex(m => m.equals(ma))]).toMultihash().bytes)

describe('daemon/relay links: the fallback order (docs/protocol.md §22.5)', () => {
  for (const [i, c] of vectors.cases.entries()) {
    it(`presence id ${i + 1} → the published scores and ranking`, () => {
      const presence = fromHex(c.presenceId)
      for (const s of c.scores) expect(hrwScore(fromHex(s.relayId), presence).toString(16).padStart(16, '0')).to.equal(s.score)
      expect(fallbackOrder([...remembered].reverse(), idOf(c.presenceId)).map(hexOf)).to.deep.equal(c.ranking)
    })
  }

  it('the configured relay and the relays that failed are left out; the order of the others stays', () => {
    const c = vectors.cases[0]
    const leaveOut = new Set([idOf(c.ranking[0]).toString(), idOf(c.ranking[3]).toString()])
    expect(fallbackOrder(remembered, idOf(c.presenceId), leaveOut).map(hexOf)).to.deep.equal(c.ranking.filter((_, j) => j !== 0 && j !== 3))
  })

  it('two presence ids rank the relays differently (peers spread), an empty list gives none', () => {
    const [a, b] = vectors.cases
    expect(a.ranking[0]).to.not.equal(b.ranking[0])
    expect(fallbackOrder([], idOf(a.presenceId))).to.deep.equal([])
  })
})
