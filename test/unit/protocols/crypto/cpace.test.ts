// docs/protocol.md §6.7 CPace step, and the draft-irtf-cfrg-cpace ristretto255 vector quoted in §12.4.
import { expect } from 'chai'
import { IncorrectMfcError } from '../../../../protocols/common/index.js'
import {
  concat, CPACE_DSI, cpaceGenerator, cpaceGeneratorGeneric, cpaceIskGeneric, createCpaceParty, flashCodeLookup, fromHex,
  generateFlashCode, sodium, toHex, utf8, verifyMfc, wipePairingKeys
} from '../../../../protocols/crypto/index.js'
import type { CpaceParty, PairingRole } from '../../../../protocols/crypto/index.js'

const R = fromHex('0024080112208313e00fe402b6165e5b7e14309c66bed233750458989264364926bdd1d011f5')

interface Run { fc: string, sidA: Uint8Array, sidB: Uint8Array, relayId: Uint8Array }

function party (run: Run, role: PairingRole): CpaceParty {
  return createCpaceParty({ ...run, lookup: flashCodeLookup(run.relayId, run.fc), role })
}

function freshRun (): Run {
  return { fc: generateFlashCode(), sidA: sodium.randombytes_buf(16), sidB: sodium.randombytes_buf(16), relayId: R }
}

describe('crypto/cpace', () => {
  describe('draft-irtf-cfrg-cpace ristretto255 vector (§12.4)', () => {
    const prs = utf8('Password')
    const ci = fromHex('6f630b425f726573706f6e6465720b415f696e69746961746f72')
    const sid = fromHex('7e4b4791d6a8ef019b936c79fb7f2c57')
    const ya = fromHex('da3d23700a9e5699258aef94dc060dfda5ebb61f02a5ea77fad53f4ff0976d08')
    const yb = fromHex('d2316b454718c35362d83d69df6320f38578ed5984651435e2949762d900b80d')

    it('PRS, CI, sid → g, Ya, Yb, K, ISK', () => {
      const g = cpaceGeneratorGeneric(prs, ci, sid)
      expect(toHex(g)).to.equal('a6fc82c3b8968fbb2e06fee81ca858586dea50d248f0c7ca6a18b0902a30b36b')
      const Ya = sodium.crypto_scalarmult_ristretto255(ya, g)
      const Yb = sodium.crypto_scalarmult_ristretto255(yb, g)
      expect(toHex(Ya)).to.equal('d40fb265a7abeaee7939d91a585fe59f7053f982c296ec413c624c669308f87a')
      expect(toHex(Yb)).to.equal('08bcf6e9777a9c313a3db6daa510f2d398403319c2341bd506a92e672eb7e307')
      const K = sodium.crypto_scalarmult_ristretto255(ya, Yb)
      expect(toHex(K)).to.equal('e22b1ef7788f661478f3cddd4c600774fc0f41e6b711569190ff88fa0e607e09')
      expect(toHex(sodium.crypto_scalarmult_ristretto255(yb, Ya))).to.equal(toHex(K))
      expect(toHex(cpaceIskGeneric(CPACE_DSI, sid, K, Ya, utf8('ADa'), Yb, utf8('ADb')))).to.equal(
        '4c5469a16b2364c4b944ebc1a79e51d1674ad47db26e8718154f59faebfaa52d8346f30aa58377117eb20d527f2cbc5c76381f7fd372e89df8239f87f2e02ed1')
    })
  })

  it('A and B with random scalars × shares exchanged → same ISK, T and keys; each expects the other\'s MFC', () => {
    const run = freshRun()
    const a = party(run, 'A')
    const b = party(run, 'B')
    expect(a.share).to.have.length(32)
    expect(toHex(a.share)).not.to.equal(toHex(b.share))
    const ka = a.finish(b.share)
    const kb = b.finish(a.share)
    expect(toHex(ka.isk)).to.equal(toHex(kb.isk))
    expect(ka.isk).to.have.length(64)
    expect(toHex(ka.transcript)).to.equal(toHex(kb.transcript))
    expect(verifyMfc(ka.expectedPeerMfc, kb.ownMfc)).to.equal(true)
    expect(verifyMfc(kb.expectedPeerMfc, ka.ownMfc)).to.equal(true)
    expect(toHex(ka.ownMfc)).not.to.equal(toHex(kb.ownMfc))
    for (const k of ['kOffer', 'kAnswer', 'kContact'] as const) expect(toHex(ka[k])).to.equal(toHex(kb[k]))
    expect(new Set([ka.kOffer, ka.kAnswer, ka.kContact].map(toHex)).size).to.equal(3)
  })

  it('typed and normalized forms of one code × pairing → MFCs match', () => {
    const run = { ...freshRun(), fc: '5H7M8GQ2' }
    const a = party(run, 'A')
    const b = party({ ...run, fc: '5h7m-8gq2' }, 'B')
    const ka = a.finish(b.share)
    expect(verifyMfc(ka.expectedPeerMfc, b.finish(a.share).ownMfc)).to.equal(true)
  })

  it('joiner typed another code × MFC check → mismatch', () => {
    const run = freshRun()
    const a = party(run, 'A')
    const b = party({ ...run, fc: run.fc === '00000000' ? '00000001' : '00000000' }, 'B')
    const ka = a.finish(b.share)
    const kb = b.finish(a.share)
    expect(verifyMfc(ka.expectedPeerMfc, kb.ownMfc)).to.equal(false)
    expect(verifyMfc(kb.expectedPeerMfc, ka.ownMfc)).to.equal(false)
  })

  it('relay swaps B\'s share for its own × MFC check → mismatch on both sides', () => {
    const run = freshRun()
    const a = party(run, 'A')
    const b = party(run, 'B')
    // The relay runs CPace with each side under a guessed code and forwards its own shares.
    const mallory = party({ ...run, fc: generateFlashCode() }, 'B')
    const ka = a.finish(mallory.share)
    const kb = b.finish(a.share)
    expect(verifyMfc(ka.expectedPeerMfc, kb.ownMfc)).to.equal(false)
    expect(verifyMfc(kb.expectedPeerMfc, ka.ownMfc)).to.equal(false)
  })

  it('relay hands the two sides different sids × MFC check → mismatch', () => {
    const run = freshRun()
    const a = party(run, 'A')
    const b = party({ ...run, sidB: sodium.randombytes_buf(16) }, 'B')
    expect(verifyMfc(a.finish(b.share).expectedPeerMfc, b.finish(a.share).ownMfc)).to.equal(false)
  })

  it('relay reflects A\'s own MFC back × check → mismatch (role byte differs)', () => {
    const run = freshRun()
    const a = party(run, 'A')
    const ka = a.finish(party(run, 'B').share)
    expect(verifyMfc(ka.expectedPeerMfc, ka.ownMfc)).to.equal(false)
  })

  for (const [what, share] of [
    ['identity point (32 zero bytes)', new Uint8Array(32)],
    ['non-canonical encoding', new Uint8Array(32).fill(0xff)],
    ['only 31 bytes', new Uint8Array(31).fill(1)],
    ['33 bytes long', new Uint8Array(33).fill(1)]
  ] as const) {
    it(`peer share is ${what} × finish → IncorrectMfcError`, () => {
      const a = party(freshRun(), 'A')
      expect(() => a.finish(share)).to.throw(IncorrectMfcError)
    })
  }

  it('finished party × finish again → throws (y was wiped)', () => {
    const run = freshRun()
    const a = party(run, 'A')
    const b = party(run, 'B')
    a.finish(b.share)
    expect(() => a.finish(b.share)).to.throw(/already finished/)
  })

  it('disposed party × finish → throws', () => {
    const run = freshRun()
    const a = party(run, 'A')
    a.dispose()
    a.dispose()
    expect(() => a.finish(party(run, 'B').share)).to.throw(/disposed/)
  })

  it('fixed test scalar × finish → caller\'s scalar left intact, same share as scalarmult(y, g)', () => {
    const run = freshRun()
    const y = sodium.crypto_core_ristretto255_scalar_random()
    const copy = y.slice()
    const a = createCpaceParty({ ...run, lookup: flashCodeLookup(R, run.fc), role: 'A', scalar: y })
    const g = cpaceGenerator(run.fc, R, concat(run.sidA, run.sidB))
    expect(toHex(a.share)).to.equal(toHex(sodium.crypto_scalarmult_ristretto255(y, g)))
    a.finish(party(run, 'B').share)
    expect(toHex(y)).to.equal(toHex(copy))
  })

  it('pairing keys × wipePairingKeys → all zero', () => {
    const run = freshRun()
    const keys = party(run, 'A').finish(party(run, 'B').share)
    wipePairingKeys(keys)
    for (const k of [keys.isk, keys.ownMfc, keys.expectedPeerMfc, keys.kOffer, keys.kAnswer, keys.kContact]) {
      expect(k.every(byte => byte === 0)).to.equal(true)
    }
  })

  it('verifyMfc × wrong length → false', () => {
    expect(verifyMfc(new Uint8Array(32), new Uint8Array(31))).to.equal(false)
  })
})
