// NodeFileTransferStorage (peer/adapters/file-transfer-storage.ts, docs/protocol.md §17.4) on a real
// temp dir: records round-trip, a `.part` file is cut back to the last checkpoint on reopen, and the
// finished file never replaces an existing one.
import { expect } from 'chai'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NodeFileTransferStorage, nodeChunkSha256, nodeSha256State } from '../../../../peer/adapters/file-transfer-storage.js'
import type { TransferRecord } from '../../../../peer/core/files/file-transfers.js'
import { buildOffer, sha256Hex } from '../../../../protocols/files/index.js'
import { ready } from '../../../../protocols/crypto/index.js'
import { Uint8ArrayList } from 'uint8arraylist'

const CHUNK = 16 * 1024

describe('NodeFileTransferStorage', () => {
  let dir: string
  let storage: NodeFileTransferStorage
  let record: TransferRecord
  const data = Uint8Array.from({ length: 3 * CHUNK + 10 }, (_, i) => i % 253)

  beforeEach(async () => {
    await ready()
    dir = await mkdtemp(join(tmpdir(), 'gini-files-'))
    storage = new NodeFileTransferStorage(join(dir, 'state'), join(dir, 'downloads'))
    const offer = await buildOffer(new Uint8Array(16).fill(1), 'photo.jpg', data.length, async (o, l) => data.slice(o, o + l), CHUNK)
    record = { id: offer.id, contact: 'c', direction: 'in', offer, state: 'progress', next: 0 }
  })
  afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

  it('an offer built with node:crypto\'s hashes → the same offer as with the defaults (WebCrypto, libsodium)', async () => {
    const read = async (o: number, l: number): Promise<Uint8Array> => data.slice(o, o + l)
    const fast = await buildOffer(new Uint8Array(16).fill(1), 'photo.jpg', data.length, read, CHUNK, { chunk: nodeChunkSha256, whole: nodeSha256State })
    expect(fast).to.deep.equal(record.offer)
  })

  it('save, list → the same record; a torn state file is skipped, the others load', async () => {
    await storage.save(record)
    await writeFile(join(dir, 'state', `${'f'.repeat(32)}.json`), '{"torn')
    expect(await storage.list()).to.deep.equal([record])
  })

  it('the state dir removed after a save → the next save makes it again', async () => {
    await storage.save(record)
    await rm(join(dir, 'state'), { recursive: true })
    await storage.save({ ...record, next: 1 })
    expect(await storage.list()).to.deep.equal([{ ...record, next: 1 }])
  })

  it('chunks 0–1 checkpointed, chunk 2 written after → reopened, the part holds 2 chunks only', async () => {
    await storage.preparePart(record)
    let sink = await storage.openSink(record)
    for (let i = 0; i < 3; i++) await sink.write(i, data.slice(i * CHUNK, (i + 1) * CHUNK))
    await sink.checkpoint(2)
    await sink.close()
    record.next = 2
    sink = await storage.openSink(record)
    expect((await stat(record.partPath!)).size).to.equal(2 * CHUNK)
    for (let i = 2; i < 4; i++) await sink.write(i, data.slice(i * CHUNK, (i + 1) * CHUNK))
    expect(await sink.sha256()).to.equal(await sha256Hex(data))
    expect(await sink.finish()).to.equal(join(dir, 'downloads', 'photo.jpg'))
    expect(new Uint8Array(await readFile(join(dir, 'downloads', 'photo.jpg')))).to.deep.equal(data)
  })

  it('a new part written in order → its SHA-256 is the running hash of the chunks written (no read back)', async () => {
    await storage.preparePart(record)
    const sink = await storage.openSink(record)
    for (let i = 0; i < 4; i++) await sink.write(i, data.slice(i * CHUNK, (i + 1) * CHUNK))
    await sink.checkpoint(4)
    await writeFile(record.partPath!, 'changed under us') // a read back would see this
    expect(await sink.sha256()).to.equal(await sha256Hex(data))
    await sink.close()
  })

  it('chunks handed over as pieces (as a stream gives them) → the part holds their bytes, hashes match the joined bytes', async () => {
    await storage.preparePart(record)
    const sink = await storage.openSink(record)
    const pieces = (bytes: Uint8Array): Uint8ArrayList => new Uint8ArrayList(bytes.subarray(0, 1), bytes.subarray(1, 5000), bytes.subarray(5000))
    for (let i = 0; i < 4; i++) {
      const chunk = data.slice(i * CHUNK, (i + 1) * CHUNK)
      expect(nodeChunkSha256(pieces(chunk))).to.equal(nodeChunkSha256(chunk))
      expect(await sha256Hex(pieces(chunk))).to.equal(nodeChunkSha256(chunk))
      await sink.write(i, pieces(chunk))
    }
    expect(await sink.sha256()).to.equal(await sha256Hex(data))
    await sink.finish()
    expect(new Uint8Array(await readFile(join(dir, 'downloads', 'photo.jpg')))).to.deep.equal(data)
  })

  it('a resumed part whose kept chunks changed on disk → its SHA-256 reads them back and differs', async () => {
    await storage.preparePart(record)
    let sink = await storage.openSink(record)
    for (let i = 0; i < 2; i++) await sink.write(i, data.slice(i * CHUNK, (i + 1) * CHUNK))
    await sink.checkpoint(2)
    await sink.close()
    const onDisk = new Uint8Array(await readFile(record.partPath!))
    onDisk[5] ^= 0xff
    await writeFile(record.partPath!, onDisk)
    record.next = 2
    sink = await storage.openSink(record)
    for (let i = 2; i < 4; i++) await sink.write(i, data.slice(i * CHUNK, (i + 1) * CHUNK))
    expect(await sink.sha256()).to.not.equal(await sha256Hex(data))
    await sink.close()
  })

  it('chunks written out of order → the SHA-256 falls back to reading the part back, and is right', async () => {
    await storage.preparePart(record)
    const sink = await storage.openSink(record)
    for (const i of [0, 2, 1, 3]) await sink.write(i, data.slice(i * CHUNK, (i + 1) * CHUNK))
    expect(await sink.sha256()).to.equal(await sha256Hex(data))
    await sink.close()
  })

  it('a chunk write fails (here: after the sink was closed) → the next write and the checkpoint fail with it', async () => {
    await storage.preparePart(record)
    const sink = await storage.openSink(record)
    await sink.write(0, data.slice(0, CHUNK))
    await sink.close()
    await sink.write(1, data.slice(CHUNK, 2 * CHUNK)) // taken; its write fails on its way to the file
    const err = await sink.checkpoint(2).then(() => undefined, (e: Error) => e)
    expect(err).to.be.instanceOf(Error)
    expect(await sink.write(2, data.slice(2 * CHUNK, 3 * CHUNK)).then(() => undefined, (e: Error) => e)).to.equal(err)
  })

  it('photo.jpg and photo.jpg.part exist → the new part and the final file take " (1)"; nothing overwritten', async () => {
    const downloads = join(dir, 'downloads')
    await storage.preparePart({ ...record }) // creates photo.jpg.part
    await writeFile(join(downloads, 'photo.jpg'), 'mine')
    await storage.preparePart(record)
    expect(record.partPath).to.equal(join(downloads, 'photo (1).jpg.part'))
    const sink = await storage.openSink(record)
    await sink.write(0, data.slice(0, CHUNK))
    expect(await sink.finish()).to.equal(join(downloads, 'photo (1).jpg'))
    expect(await readFile(join(downloads, 'photo.jpg'), 'utf8')).to.equal('mine')
    expect((await readdir(downloads)).sort()).to.deep.equal(['photo (1).jpg', 'photo.jpg', 'photo.jpg.part'])
  })
})
