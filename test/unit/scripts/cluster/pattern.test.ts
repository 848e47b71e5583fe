// The cluster harness's pairing patterns (scripts/cluster/pattern.ts): who pairs with whom.
import { expect } from 'chai'
import { makePairs, maxPairs, defaultPairs, seededRandom } from '../../../../scripts/cluster/pattern.js'
import { pct, summarize } from '../../../../scripts/lib/stats.js'

describe('cluster: pairing patterns', () => {
  it('random × 20 peers, 10 pairs → a perfect matching: every peer exactly once, creator ≠ joiner', () => {
    const pairs = makePairs('random', 20, 10, seededRandom(1))
    expect(pairs).to.have.length(10)
    expect(new Set(pairs.flat()).size).to.equal(20)
    for (const [a, b] of pairs) expect(a).to.not.equal(b)
  })

  it('random × more pairs than M/2 → distinct unordered pairs, peers recur', () => {
    const pairs = makePairs('random', 6, 15, seededRandom(2))
    const keys = pairs.map(([a, b]) => [a, b].sort().join('-'))
    expect(new Set(keys).size).to.equal(15)
  })

  it('same seed → same pairs; another seed → (almost surely) others', () => {
    expect(makePairs('random', 12, 6, seededRandom(7))).to.deep.equal(makePairs('random', 12, 6, seededRandom(7)))
    expect(makePairs('random', 12, 6, seededRandom(7))).to.not.deep.equal(makePairs('random', 12, 6, seededRandom(8)))
  })

  it('ring × 5 peers → 0→1→2→3→4→0; all-to-one × 5 → peer 0 with each other', () => {
    expect(makePairs('ring', 5, 5, seededRandom(1))).to.deep.equal([[0, 1], [1, 2], [2, 3], [3, 4], [4, 0]])
    expect(makePairs('all-to-one', 5, 4, seededRandom(1))).to.deep.equal([[0, 1], [0, 2], [0, 3], [0, 4]])
  })

  it('defaults and bounds: random M/2, ring M, all-to-one M-1; too many or zero pairs → RangeError', () => {
    expect(defaultPairs('random', 7)).to.equal(3)
    expect(defaultPairs('ring', 7)).to.equal(7)
    expect(defaultPairs('all-to-one', 7)).to.equal(6)
    expect(maxPairs('ring', 2)).to.equal(1)
    expect(() => makePairs('random', 4, 7, seededRandom(1))).to.throw(RangeError, /between 1 and 6/)
    expect(() => makePairs('ring', 4, 0, seededRandom(1))).to.throw(RangeError)
  })

  it('percentiles: nearest rank (p50 of 1..10 is 5, p95 is 10); an empty list gives NaN', () => {
    const xs = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5]
    expect(pct(xs, 50)).to.equal(5)
    expect(pct(xs, 95)).to.equal(10)
    expect(summarize(xs)).to.include({ n: 10, min: 1, max: 10, mean: 5.5 })
    expect(Number.isNaN(summarize([]).p50)).to.equal(true)
  })
})
