// The published /gini/files/1 vectors (test/vectors/gini-files-v1.json, docs/protocol.md §17): the
// fixed file's hashes computed independently (node:crypto), our offer for it, and the exact bytes of
// an offer, a request and a too-large answer. The offer's field tags were checked by hand against §17.2.
import { expect } from 'chai'
import { createHash } from 'node:crypto'
import { FilesMessage, FileStatus, buildOffer, offerFromWire, offerToWire, type OfferRecord } from '../../../../protocols/files/index.js'
import { fromHex, ready, toHex } from '../../../../protocols/crypto/index.js'
import vectors from '../../../vectors/gini-files-v1.json' with { type: 'json' }

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

describe('files vectors (test/vectors/gini-files-v1.json)', () => {
  const data = Uint8Array.from({ length: vectors.file.size }, (_, i) => (7 * i + 3) % 251)
  const record = vectors.offer.record as OfferRecord
  before(async () => { await ready() })

  it('the fixed file → the published whole-file and per-chunk SHA-256 (node:crypto)', () => {
    expect(sha(data)).to.equal(vectors.file.sha256)
    const chunks = record.chunkSha256.map((_, i) => sha(data.slice(i * record.chunkBytes, (i + 1) * record.chunkBytes)))
    expect(chunks).to.deep.equal(record.chunkSha256)
  })

  it('buildOffer on the fixed file → the published record; encoded → the published bytes, and back', async () => {
    const built = await buildOffer(fromHex(record.id), record.name, data.length, async (o, l) => data.slice(o, o + l), record.chunkBytes)
    expect(built).to.deep.equal(record)
    expect(toHex(FilesMessage.encode({ offer: offerToWire(built) }))).to.equal(vectors.offer.files_message_hex)
    expect(offerFromWire(FilesMessage.decode(fromHex(vectors.offer.files_message_hex)).offer!)).to.deep.equal(record)
  })

  it('offer: hand-decoded tags (0a af01 offer; 0a 10 id; 12 09 name; 18 c0b802 size; 22 20 sha256; 28 808001 chunk; 30 03 count; 3a 20 ×3)', () => {
    const hex = vectors.offer.files_message_hex
    expect(hex.startsWith('0aaf01' + '0a10' + record.id + '1209' + toHex(new TextEncoder().encode('hello.bin')) + '18c0b802' + '2220' + record.sha256 + '2880800130033a20')).to.equal(true)
  })

  it('request and too-large answer → the published bytes', () => {
    const fileId = fromHex(vectors.request.file_id) as Uint8Array<ArrayBuffer>
    expect(toHex(FilesMessage.encode({ request: { fileId, index: vectors.request.index } }))).to.equal(vectors.request.files_message_hex)
    expect(toHex(FilesMessage.encode({ answer: { fileId, status: FileStatus.TOO_LARGE, maxBytes: BigInt(vectors.answer_too_large.max_bytes) } }))).to.equal(vectors.answer_too_large.files_message_hex)
  })

  it('decline and failed decline (§17.3 item 2, §17.4 item 6) → the published bytes, and back', () => {
    for (const v of [vectors.decline, vectors.decline_failed]) {
      const fileId = fromHex(v.file_id) as Uint8Array<ArrayBuffer>
      expect(toHex(FilesMessage.encode({ decline: { fileId, failed: v.failed } }))).to.equal(v.files_message_hex)
      expect(FilesMessage.decode(fromHex(v.files_message_hex)).decline).to.deep.equal({ fileId, failed: v.failed })
    }
    // Hand-decoded: 2a 14 decline; 0a 10 file_id; 10 01 failed = true (field 2, varint), after the plain decline's bytes.
    expect(vectors.decline_failed.files_message_hex).to.equal('2a14' + vectors.decline.files_message_hex.slice(4) + '1001')
  })
})
