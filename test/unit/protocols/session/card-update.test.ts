// docs/protocol.md §19 CardUpdate against test/vectors/gini-card-update-v1.json: the signature input
// and signature of our code, node:crypto's Ed25519 as an independent check, the codec, the bounds.
import { createPublicKey, verify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { expect } from 'chai'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { cardUpdateSigningInput, fromHex, ready, signCardUpdate, toHex, verifyCardUpdate } from '../../../../protocols/crypto/index.js'
import { SessionMessage, cardUpdateFields, photoMediaType, CARD_UPDATE_PHOTO_MAX_BYTES } from '../../../../protocols/session/index.js'
import { buildCardUpdateVectors, CARD_UPDATE_VECTORS_URL } from '../../../../scripts/gen-vectors.js'

const published = readFileSync(CARD_UPDATE_VECTORS_URL, 'utf8')
const VECTORS = JSON.parse(published) as Awaited<ReturnType<typeof buildCardUpdateVectors>>

/** The §19 signing input written out with Buffer, not with our code. */
function independentInput (seq: string, name: string, email: string, photo: Buffer): Buffer {
  const lv = (b: Buffer): Buffer => { const n = Buffer.alloc(4); n.writeUInt32BE(b.length); return Buffer.concat([n, b]) }
  const s = Buffer.alloc(8)
  s.writeBigUInt64BE(BigInt(seq))
  return Buffer.concat([Buffer.from('gini/session/1/card_update'), s, lv(Buffer.from(name, 'utf8')), lv(Buffer.from(email, 'utf8')), lv(photo)])
}

describe('session/card-update (docs/protocol.md §19)', () => {
  before(async () => { await ready() })

  it('the published file is what scripts/gen-vectors.ts builds (no drift)', async () => {
    expect(JSON.stringify(await buildCardUpdateVectors(), null, 2) + '\n').to.equal(published)
  })

  for (const v of VECTORS.cases) {
    it(`${v.name}: signing input, signature, node:crypto verify and codec match the vectors`, async () => {
      const key = await generateKeyPairFromSeed('Ed25519', fromHex(VECTORS.seed))
      expect(toHex(key.publicKey.raw)).to.equal(VECTORS.public_key)
      const fields = { seq: BigInt(v.seq), name: v.card_name, email: v.email, photo: fromHex(v.photo) }
      expect(toHex(cardUpdateSigningInput(fields))).to.equal(v.signing_input)
        .and.equal(independentInput(v.seq, v.card_name, v.email, Buffer.from(v.photo, 'hex')).toString('hex'))
      expect(toHex(signCardUpdate(key.raw, fields))).to.equal(v.signature)
      expect(verifyCardUpdate(key.publicKey.raw, fields, fromHex(v.signature))).to.equal(true)
      const jwk = { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(VECTORS.public_key, 'hex').toString('base64url') }
      expect(verify(null, Buffer.from(v.signing_input, 'hex'), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(v.signature, 'hex'))).to.equal(true)
      const decoded = SessionMessage.decode(fromHex(v.session_message)).cardUpdate
      expect(decoded).to.not.equal(undefined)
      expect(cardUpdateFields(decoded!)).to.deep.equal(fields)
      expect(toHex(decoded!.signature)).to.equal(v.signature)
      expect(toHex(SessionMessage.encode({ cardUpdate: decoded }))).to.equal(v.session_message)
    })
  }

  it('a changed field, seq or key fails verification', async () => {
    const v = VECTORS.cases[1]
    const pub = fromHex(VECTORS.public_key)
    const sig = fromHex(v.signature)
    const fields = { seq: BigInt(v.seq), name: v.card_name, email: v.email, photo: fromHex(v.photo) }
    expect(verifyCardUpdate(pub, { ...fields, name: 'Mallory' }, sig)).to.equal(false)
    expect(verifyCardUpdate(pub, { ...fields, seq: fields.seq + 1n }, sig)).to.equal(false)
    expect(verifyCardUpdate(pub, { ...fields, photo: new Uint8Array(0) }, sig)).to.equal(false)
    const other = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(7))
    expect(verifyCardUpdate(other.publicKey.raw, fields, sig)).to.equal(false)
    expect(verifyCardUpdate(pub, fields, sig.subarray(0, 63))).to.equal(false)
  })

  it('bounds: seq 0, an empty or 65-byte name, a 255-byte email, an unknown or oversized photo, a short signature → refused', () => {
    const ok = { seq: 1n, name: 'Bob', email: '', photo: new Uint8Array(0), signature: new Uint8Array(64) }
    expect(cardUpdateFields(ok)).to.not.equal(undefined)
    expect(cardUpdateFields({ ...ok, name: 'é'.repeat(32) })).to.not.equal(undefined) // 64 bytes
    const png = new Uint8Array(CARD_UPDATE_PHOTO_MAX_BYTES + 1)
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    for (const bad of [
      { seq: 0n }, { name: '' }, { name: '   ' }, { name: 'x'.repeat(65) }, { name: 'é'.repeat(33) }, { email: 'e'.repeat(255) },
      { photo: new Uint8Array([1, 2, 3, 4]) }, { photo: png }, { signature: new Uint8Array(63) }
    ]) expect(cardUpdateFields({ ...ok, ...bad }), JSON.stringify(Object.keys(bad))).to.equal(undefined)
  })

  it('photo types by magic bytes', () => {
    expect(photoMediaType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).to.equal('image/jpeg')
    expect(photoMediaType(fromHex(VECTORS.cases[1].photo))).to.equal('image/png')
    expect(photoMediaType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).to.equal('image/webp')
    expect(photoMediaType(new TextEncoder().encode('GIF89a'))).to.equal(undefined)
  })
})
