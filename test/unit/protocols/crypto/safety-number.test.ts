// docs/protocol.md §18: safety numbers against test/vectors/gini-safety-v1.json, and against an
// independent computation with node:crypto's SHA-512.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { expect } from 'chai'
import {
  formatSafetyNumber, fromHex, parseSafetyQrPayload, safetyFingerprint, safetyNumber, safetyNumbersMatch, safetyQrPayload
} from '../../../../protocols/crypto/index.js'

interface Side { ed25519_pub: string, ppk: string, peer_id_bytes: string, fingerprint: string }
const VECTORS = JSON.parse(readFileSync(new URL('../../../../../test/vectors/gini-safety-v1.json', import.meta.url), 'utf8')) as
  { iterations: number, cases: Array<{ name: string, a: Side, b: Side, number: string }> }

const keys = (s: Side): { ed25519Pub: Uint8Array, ppk: Uint8Array, peerIdBytes: Uint8Array } =>
  ({ ed25519Pub: fromHex(s.ed25519_pub), ppk: fromHex(s.ppk), peerIdBytes: fromHex(s.peer_id_bytes) })

function independentFingerprint (s: Side): string {
  const e = Buffer.from(s.ed25519_pub, 'hex')
  const p = Buffer.from(s.ppk, 'hex')
  let h = Buffer.concat([Buffer.from([0, 0]), e, p, Buffer.from(s.peer_id_bytes, 'hex')])
  for (let i = 0; i < VECTORS.iterations; i++) h = createHash('sha512').update(Buffer.concat([h, e, p])).digest()
  let out = ''
  for (let c = 0; c < 6; c++) out += String(Number(h.readUIntBE(c * 5, 5)) % 100000).padStart(5, '0')
  return out
}

describe('crypto/safety-number (docs/protocol.md §18)', () => {
  for (const v of VECTORS.cases) {
    it(`${v.name}: fingerprints and number match the vectors and an independent computation`, () => {
      expect(safetyFingerprint(keys(v.a))).to.equal(v.a.fingerprint).and.equal(independentFingerprint(v.a))
      expect(safetyFingerprint(keys(v.b))).to.equal(v.b.fingerprint).and.equal(independentFingerprint(v.b))
      expect(safetyNumber(keys(v.a), keys(v.b))).to.equal(v.number)
      expect(safetyNumber(keys(v.b), keys(v.a))).to.equal(v.number)
      expect(formatSafetyNumber(v.number).split(' ')).to.have.length(12)
    })
  }

  it('a new PPK changes the number', () => {
    expect(VECTORS.cases[0].number).to.not.equal(VECTORS.cases[1].number)
  })

  it('QR payload round-trips; other payloads are refused', () => {
    const n = VECTORS.cases[0].number
    expect(parseSafetyQrPayload(safetyQrPayload(n))).to.equal(n)
    expect(parseSafetyQrPayload('gini:ABCD')).to.be.instanceOf(Error)
    expect(parseSafetyQrPayload('gini-safety:1:123')).to.be.instanceOf(Error)
    expect(safetyNumbersMatch(n, n)).to.equal(true)
    expect(safetyNumbersMatch(n, VECTORS.cases[1].number)).to.equal(false)
  })
})
