// docs/protocol.md §22.1–§22.3 (service key, HRW score, lookup_bits, shortened lookup) against
// test/vectors/gini-hrw-v1.json, which an independent implementation produced.
import { expect } from 'chai'
import {
  flashCodeLookup, fromHex, gssServiceKey, hrwScore, lookupBitsFor, lookupPrefixEqual, normalizeFlashCode, shortenLookup, toHex
} from '../../../../protocols/crypto/index.js'
import vectors from '../../../vectors/gini-hrw-v1.json' with { type: 'json' }

describe('crypto/hrw (docs/protocol.md §22)', () => {
  it('the service key is the published one', () => {
    expect(toHex(gssServiceKey())).to.equal(vectors.serviceKey)
  })

  for (const c of vectors.cases) {
    it(`published vector, code ${c.fc} → same score for each relay, same ranking`, () => {
      for (const s of c.scores) expect(hrwScore(fromHex(s.relayId), c.fc).toString(16).padStart(16, '0')).to.equal(s.score)
      const ranked = [...vectors.relays].sort((a, b) => {
        const d = hrwScore(fromHex(b), c.fc) - hrwScore(fromHex(a), c.fc)
        return d > 0n ? 1 : d < 0n ? -1 : 0
      })
      expect(ranked).to.deep.equal(c.ranking)
    })

    it(`published vector, code ${c.fc} → same lookup at its top two relays, same shortened lookup`, () => {
      for (const l of c.lookups) {
        const lookup = flashCodeLookup(fromHex(l.relayId), c.fc)
        expect(toHex(lookup)).to.equal(l.lookup)
        expect(lookupBitsFor(vectors.relays.length)).to.equal(l.lookupBits)
        expect(toHex(shortenLookup(lookup, l.lookupBits))).to.equal(l.sent)
        expect(lookupPrefixEqual(lookup, fromHex(l.sent), l.lookupBits)).to.equal(true)
      }
    })
  }

  it('a typed code scores as its normalized form', () => {
    for (const t of vectors.typedForms) {
      expect(normalizeFlashCode(t.typed)).to.equal(t.fc)
      expect(hrwScore(fromHex(vectors.relays[0]), t.typed)).to.equal(hrwScore(fromHex(vectors.relays[0]), t.fc))
    }
  })

  it('lookup_bits = 24 − ⌈log2 N⌉, at least 16: the published table', () => {
    for (const row of vectors.lookupBits) expect(lookupBitsFor(row.n), `N = ${row.n}`).to.equal(row.lookupBits)
  })

  it('a lookup shortened outside 16…24 bits, or not 3 bytes → a clear error', () => {
    expect(() => shortenLookup(new Uint8Array(3), 15)).to.throw(RangeError)
    expect(() => shortenLookup(new Uint8Array(3), 25)).to.throw(RangeError)
    expect(() => shortenLookup(new Uint8Array(2), 20)).to.throw(RangeError)
  })
})
