// Offers and both ends of /gini/files/1 (protocols/files, docs/protocol.md §17) over in-memory
// streams: name sanitizing, the receiver's offer checks, a whole pull, resuming from a partial
// state, a corrupt chunk fetched again (and given up on after the retries), the final hash checked.
import { expect } from 'chai'
import {
  FILES_CHUNK_MIN_BYTES, FILES_FRAME_MAX_BYTES, FILES_NAME_MAX_BYTES, FileIntegrityError, FilesMessage, acceptFiles,
  buildOffer, chunkFrameParts, chunkOfFrameBody, offerFromWire, offerToWire, pullFile, sanitizeFileName, sendDecline, sendOffer, sha256Hex, type ChunkBytes, type ChunkSink, type OfferRecord
} from '../../../../protocols/files/index.js'
import { ProtocolViolationError, varintLength, type FrameChannel } from '../../../../protocols/common/index.js'
import { ready } from '../../../../protocols/crypto/index.js'
import { channelPair, resetAll, within } from '../contact/fixtures.js'
import { Uint8ArrayList } from 'uint8arraylist'

const CHUNK = FILES_CHUNK_MIN_BYTES
const fileBytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) % 251)
const ID = new Uint8Array(16).fill(0xab)
const readerOf = (data: Uint8Array) => async (offset: number, length: number): Promise<Uint8Array> => data.slice(offset, offset + length)

class MemorySink implements ChunkSink {
  readonly chunks: Uint8Array[] = []
  checkpoints: number[] = []
  async write (index: number, data: ChunkBytes): Promise<void> { this.chunks[index] = data.slice() }
  async checkpoint (next: number): Promise<void> { this.checkpoints.push(next) }
  async sha256 (): Promise<string> {
    const all = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0))
    let at = 0
    for (const c of this.chunks) { all.set(c, at); at += c.length }
    return await sha256Hex(all)
  }
}

/** A sender written by hand: answers requests in order, corrupting the chunks `corrupt` says to. */
async function handServer (ch: FrameChannel<FilesMessage>, data: Uint8Array, corrupt: (index: number, nth: number) => boolean, requests: number[]): Promise<void> {
  const seen = new Map<number, number>()
  for (;;) {
    let msg: FilesMessage
    try { msg = await ch.read() } catch { return }
    const i = msg.request!.index
    requests.push(i)
    const nth = (seen.get(i) ?? 0) + 1
    seen.set(i, nth)
    const chunk = data.slice(i * CHUNK, (i + 1) * CHUNK)
    if (corrupt(i, nth)) chunk[0] ^= 0xff
    await ch.write({ chunk: { index: i, data: chunk as Uint8Array<ArrayBuffer> } })
  }
}

describe('file names (§17.2)', () => {
  const cases: Array<[string, string]> = [
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['C:\\Users\\me\\report.pdf', 'report.pdf'],
    ['a\u0000b.txt', 'ab.txt'],
    ['line\nbreak\r.txt', 'linebreak.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'], // right-to-left override: would show as "invoiceexe.pdf"
    ['\u2066x\u2069.txt', 'x.txt'],
    ['zero\u200Bwidth.txt', 'zerowidth.txt'],
    ['..', 'file'],
    ['.hidden', 'hidden'],
    ['/', 'file'],
    ['ok name (1).tar.gz', 'ok name (1).tar.gz'],
    ['what?.txt', 'what_.txt']
  ]
  for (const [raw, want] of cases) {
    it(`${JSON.stringify(raw)} → ${JSON.stringify(want)}`, () => { expect(sanitizeFileName(raw)).to.equal(want) })
  }

  it('a 300-character name → at most 255 bytes of UTF-8, cut on a character, the extension kept', () => {
    const name = sanitizeFileName('é'.repeat(300) + '.jpeg')
    expect(new TextEncoder().encode(name).length).to.be.at.most(FILES_NAME_MAX_BYTES)
    expect(name.endsWith('é.jpeg')).to.equal(true)
  })
})

describe('file offers (§17.2)', () => {
  let offer: OfferRecord
  before(async () => {
    await ready()
    offer = await buildOffer(ID, 'data.bin', 40_000, readerOf(fileBytes(40_000)), CHUNK)
  })

  it('a 40 000-byte file at 16 KiB → 3 chunks, each hashed, the whole hashed; wire round trip', async () => {
    expect(offer).to.include({ size: 40_000, chunkCount: 3, chunkBytes: CHUNK, sha256: await sha256Hex(fileBytes(40_000)) })
    expect(offer.chunkSha256[2]).to.equal(await sha256Hex(fileBytes(40_000).slice(2 * CHUNK)))
    expect(offerFromWire(offerToWire(offer))).to.deep.equal(offer)
  })

  const bad: Array<[string, (o: ReturnType<typeof offerToWire>) => void]> = [
    ['a 15-byte id', o => { o.fileId = o.fileId.slice(1) }],
    ['a short sha256', o => { o.sha256 = o.sha256.slice(1) }],
    ['a chunk count that does not match the size', o => { o.chunkCount = 4 }],
    ['one hash missing', o => { o.chunkSha256.pop() }],
    ['a chunk size under the minimum', o => { o.chunkBytes = 1024; o.chunkCount = 40 }],
    ['a name with a path', o => { o.name = '../x' }],
    ['a name with NUL', o => { o.name = 'a\u0000b' }],
    ['a name with a bidi override', o => { o.name = 'a\u202Eb' }]
  ]
  for (const [what, mutate] of bad) {
    it(`${what} → PROTOCOL_VIOLATION`, () => {
      const wire = offerToWire(offer)
      mutate(wire)
      expect(() => offerFromWire(wire)).to.throw(ProtocolViolationError)
    })
  }
})

describe('chunk frames (§17.2)', () => {
  for (const [index, size] of [[0, 1], [1, 127], [127, 128], [128, 16_384], [300, 70_000], [16_383, 512 * 1024]]) {
    it(`chunk ${index} of ${size} bytes → the bytes of its length prefix and FilesMessage.encode`, () => {
      const data = fileBytes(size)
      const encoded = FilesMessage.encode({ chunk: { index, data: data as Uint8Array<ArrayBuffer> } })
      const prefix: number[] = []
      for (let n = encoded.length; ; n = Math.floor(n / 0x80)) { if (n < 0x80) { prefix.push(n); break } prefix.push((n & 0x7f) | 0x80) }
      expect(prefix).to.have.length(varintLength(encoded.length))
      const [header, body] = chunkFrameParts(index, data)
      expect(body).to.equal(data) // the chunk's own bytes, not a copy
      expect(Buffer.concat([header, body]).equals(Buffer.concat([Uint8Array.from(prefix), encoded]))).to.equal(true)
    })
  }
})

describe('chunk frames read in place (§17.2)', () => {
  /** `bytes` cut into pieces of `size` (the way a stream hands them over). */
  const split = (bytes: Uint8Array, size: number): Uint8ArrayList => {
    const list = new Uint8ArrayList()
    for (let at = 0; at < bytes.length; at += size) list.append(bytes.subarray(at, at + size))
    return list
  }
  for (const [index, size, piece] of [[0, 0, 7], [0, 1, 1], [1, 127, 5], [127, 128, 64], [128, 16_384, 1000], [300, 70_000, 65_519], [16_383, 512 * 1024, 65_519], [2 ** 32 - 1, 3, 2]]) {
    it(`chunk ${index} of ${size} bytes in pieces of ${piece} → the index and data FilesMessage.decode gives, the data not copied`, () => {
      const data = fileBytes(size)
      const body = FilesMessage.encode({ chunk: { index, data: data as Uint8Array<ArrayBuffer> } })
      const list = split(body, piece)
      const got = chunkOfFrameBody(list)
      const decoded = FilesMessage.decode(body)
      expect(got?.index).to.equal(decoded.chunk?.index)
      expect(Buffer.from(got!.data.subarray()).equals(Buffer.from(decoded.chunk!.data))).to.equal(true)
      if (size > piece) expect([...got!.data].length).to.be.greaterThan(1) // pieces, not one joined copy
    })
  }
  const other: Array<[string, Uint8Array]> = [
    ['a request', FilesMessage.encode({ request: { fileId: ID as Uint8Array<ArrayBuffer>, index: 3 } })],
    ['data before index', Uint8Array.from([0x22, 6, 0x12, 2, 9, 9, 0x08, 5])],
    ['an unknown field in the chunk', Uint8Array.from([0x22, 7, 0x08, 1, 0x12, 1, 9, 0x18, 1])],
    ['a field after the chunk', Uint8Array.from([0x22, 5, 0x08, 1, 0x12, 1, 9, 0x0a, 0])],
    ['a data length past the end', Uint8Array.from([0x22, 5, 0x08, 1, 0x12, 2, 9])],
    ['a chunk length short of the end', Uint8Array.from([0x22, 2, 0x08, 1, 0x12, 1, 9])],
    ['an index of 2^32', Uint8Array.from([0x22, 6, 0x08, 0x80, 0x80, 0x80, 0x80, 0x10])],
    ['an empty body', new Uint8Array(0)]
  ]
  for (const [what, body] of other) {
    it(`${what} → left to the protobuf decoder`, () => {
      expect(chunkOfFrameBody(split(body, 3))).to.equal(undefined)
    })
  }
})

describe('pulling a file (§17.4)', () => {
  afterEach(resetAll)
  const data = fileBytes(5 * CHUNK + 123)
  let offer: OfferRecord
  before(async () => {
    await ready()
    offer = await buildOffer(ID, 'data.bin', data.length, readerOf(data), CHUNK)
  })

  it('offer → pending; pull from 0 → every chunk in order, progress to the total, the hash matches', async () => {
    const [a, b] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    const offered: OfferRecord[] = []
    const serving = acceptFiles(b, { onOffer: async (o) => { offered.push(o); return { status: 'pending', maxBytes: 1e9 } }, source: async () => undefined, onDecline: async () => {} })
    expect(await sendOffer(a, offer)).to.deep.equal({ status: 'pending', maxBytes: 1e9 })
    await within(5_000, serving)
    expect(offered).to.deep.equal([offer])

    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    const served: number[] = []
    const received: string[] = []
    const server = acceptFiles(s, {
      onOffer: async () => ({ status: 'pending', maxBytes: 0 }),
      source: async (id) => id === offer.id ? { offer, readAt: readerOf(data) } : undefined,
      onDecline: async () => {},
      onServed: (_id, i) => served.push(i),
      onReceived: (id) => received.push(id)
    })
    const sink = new MemorySink()
    const progress: number[] = []
    await within(10_000, pullFile(r, offer, sink, { from: 0, onProgress: p => progress.push(p.received) }))
    await within(5_000, server)
    expect(served).to.deep.equal([0, 1, 2, 3, 4, 5])
    expect(received).to.deep.equal([offer.id])
    expect(await sink.sha256()).to.equal(offer.sha256)
    expect(progress.at(-1)).to.equal(data.length)
    expect(sink.checkpoints.at(-1)).to.equal(6)
  })

  it('the last chunk served, but the receiver resets (its whole-file hash failed) → the sender does not count the file received', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    const served: number[] = []
    const received: string[] = []
    const server = acceptFiles(s, {
      onOffer: async () => ({ status: 'pending', maxBytes: 0 }),
      source: async (id) => id === offer.id ? { offer, readAt: readerOf(data) } : undefined,
      onDecline: async () => {},
      onServed: (_id, i) => served.push(i),
      onReceived: (id) => received.push(id)
    })
    const sink = new MemorySink()
    sink.sha256 = async () => '00'.repeat(32)
    await within(10_000, pullFile(r, offer, sink, { from: 0 }).then(() => { throw new Error('the pull should fail') }, (err) => { expect(err).to.be.instanceOf(FileIntegrityError) }))
    await within(5_000, server.catch(() => {}))
    expect(served.at(-1)).to.equal(5)
    expect(received).to.deep.equal([])
  })

  it('§17.4 item 6: a decline with `failed` → the sender hears failed; a plain decline (the user\'s no) → not failed', async () => {
    const declines: Array<[string, boolean]> = []
    for (const failed of [true, false]) {
      const [a, b] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
      const serving = acceptFiles(b, { onOffer: async () => ({ status: 'pending', maxBytes: 0 }), source: async () => undefined, onDecline: async (id, f) => { declines.push([id, f]) } })
      await within(5_000, sendDecline(a, offer.id, undefined, failed))
      await within(5_000, serving)
    }
    expect(declines).to.deep.equal([[offer.id, true], [offer.id, false]])
  })

  it('§17.4 item 2: the sender answers CHANGED → it is told (onChanged) as well as the receiver', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    const edited = data.slice()
    edited[2 * CHUNK] ^= 0xff
    const changed: string[] = []
    const server = acceptFiles(s, {
      onOffer: async () => ({ status: 'pending', maxBytes: 0 }),
      source: async (id) => id === offer.id ? { offer, readAt: readerOf(edited) } : undefined,
      onDecline: async () => {},
      onChanged: (id) => changed.push(id)
    })
    const err = await within(10_000, pullFile(r, offer, new MemorySink(), { from: 0 }).then(() => undefined, (e) => e))
    expect(err).to.include({ name: 'FileRefusedError', status: 'changed' })
    await within(5_000, server.catch(() => {}))
    expect(changed).to.deep.equal([offer.id])
  })

  it('a checkpoint still running → later chunks are written meanwhile, one checkpoint at a time, every one in order', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    void handServer(s, data, () => false, [])
    let release!: () => void
    const held = new Promise<void>((resolve) => { release = resolve })
    let running = 0
    let most = 0
    const writtenDuringFirst: number[] = []
    const sink = new MemorySink()
    const slow: ChunkSink = {
      write: async (i, d) => { if (running > 0) writtenDuringFirst.push(i); if (i === 4) release(); await sink.write(i, d) },
      sha256: async () => await sink.sha256(),
      checkpoint: async (next) => {
        running++
        most = Math.max(most, running)
        if (sink.checkpoints.length === 0) await held // the first one waits until chunk 4 is written
        await sink.checkpoint(next)
        running--
      }
    }
    await within(10_000, pullFile(r, offer, slow, { from: 0, checkpointEvery: 2 }))
    expect(writtenDuringFirst).to.include.members([2, 3, 4])
    expect(most).to.equal(1)
    expect(sink.checkpoints[0]).to.equal(2)
    expect(sink.checkpoints).to.deep.equal([...sink.checkpoints].sort((a, b) => a - b))
    expect(sink.checkpoints.at(-1)).to.equal(6)
    expect(await sink.sha256()).to.equal(offer.sha256)
  })

  it('a checkpoint fails → the pull fails with that error', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    void handServer(s, data, () => false, [])
    const sink = new MemorySink()
    const failing: ChunkSink = {
      write: async (i, d) => { await sink.write(i, d) },
      sha256: async () => await sink.sha256(),
      checkpoint: async () => { throw new Error('ENOSPC: no space left on device') }
    }
    const err = await within(10_000, pullFile(r, offer, failing, { from: 0, checkpointEvery: 2 }).catch(e => e))
    expect(err.message).to.include('ENOSPC')
  })

  it('the file changes on the sender\'s side after the offer → the receiver finds chunk 3 wrong, asks again, and the pull fails with CHANGED', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    const edited = data.slice()
    edited[3 * CHUNK] ^= 0xff
    const served: number[] = []
    const reads: number[] = []
    const server = acceptFiles(s, {
      onOffer: async () => ({ status: 'pending', maxBytes: 0 }),
      source: async () => ({ offer, readAt: async (o, l) => { reads.push(o / CHUNK); return edited.slice(o, o + l) } }),
      onDecline: async () => {},
      onServed: (_id, i) => served.push(i)
    }).catch(() => {})
    const sink = new MemorySink()
    const err = await within(10_000, pullFile(r, offer, sink, { from: 0 }).catch(e => e))
    await within(5_000, server)
    expect(err.name).to.equal('FileRefusedError')
    expect(err.status).to.equal('changed')
    expect(served.slice(0, 4)).to.deep.equal([0, 1, 2, 3]) // served unhashed the first time
    expect(served.filter(i => i === 3)).to.have.length(1) // not a second time
    expect(sink.chunks).to.have.length(3) // nothing wrong written
    expect(reads).to.include(5) // read ahead of the requests it answered
  })

  it('a chunk asked for again that is right (corrupted on the way) → served again, the pull completes', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    let flipped = false
    const served: number[] = []
    const server = acceptFiles(s, {
      onOffer: async () => ({ status: 'pending', maxBytes: 0 }),
      // The first read of chunk 2 comes back damaged (a bad read); the file itself is unchanged.
      source: async () => ({ offer, readAt: async (o, l) => { const d = data.slice(o, o + l); if (o === 2 * CHUNK && !flipped) { flipped = true; d[0] ^= 1 } return d } }),
      onDecline: async () => {},
      onServed: (_id, i) => served.push(i)
    })
    const sink = new MemorySink()
    await within(10_000, pullFile(r, offer, sink, { from: 0, window: 1 }))
    await within(5_000, server)
    expect(served).to.deep.equal([0, 1, 2, 2, 3, 4, 5])
    expect(await sink.sha256()).to.equal(offer.sha256)
  })

  it('resume with chunks 0–2 on disk → the first request is for chunk 3; the whole file matches', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    const requests: number[] = []
    void handServer(s, data, () => false, requests)
    const sink = new MemorySink()
    for (let i = 0; i < 3; i++) sink.chunks[i] = data.slice(i * CHUNK, (i + 1) * CHUNK)
    const progress: number[] = []
    await within(10_000, pullFile(r, offer, sink, { from: 3, onProgress: p => progress.push(p.received) }))
    expect(requests).to.deep.equal([3, 4, 5])
    expect(progress[0]).to.equal(3 * CHUNK)
    expect(await sink.sha256()).to.equal(offer.sha256)
  })

  it('chunk 2 arrives corrupt once → it is fetched again, nothing corrupt is written, the hash matches', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    const requests: number[] = []
    void handServer(s, data, (i, nth) => i === 2 && nth === 1, requests)
    const sink = new MemorySink()
    await within(10_000, pullFile(r, offer, sink, { from: 0, window: 1 }))
    expect(requests).to.deep.equal([0, 1, 2, 2, 3, 4, 5])
    expect(await sink.sha256()).to.equal(offer.sha256)
  })

  it('chunk 2 corrupt once with 8 in flight → the later chunks are re-requested after it, in order', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    const requests: number[] = []
    void handServer(s, data, (i, nth) => i === 2 && nth === 1, requests)
    const sink = new MemorySink()
    await within(10_000, pullFile(r, offer, sink, { from: 0 }))
    expect(requests.slice(6)).to.deep.equal([2, 3, 4, 5])
    expect(await sink.sha256()).to.equal(offer.sha256)
  })

  it('chunk 2 always corrupt → FileIntegrityError after 3 retries; chunks 0–1 checkpointed for a resume', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    const requests: number[] = []
    void handServer(s, data, i => i === 2, requests)
    const sink = new MemorySink()
    const err = await within(10_000, pullFile(r, offer, sink, { from: 0, window: 1 }).catch(e => e))
    expect(err).to.be.instanceOf(FileIntegrityError)
    expect(requests.filter(i => i === 2)).to.have.length(4)
    expect(sink.chunks).to.have.length(2)
    expect(sink.checkpoints.at(-1)).to.equal(2)
  })

  it('the sender stops answering after chunk 1, its stream left open → the pull ends at the frame deadline, chunks 0–1 checkpointed for a resume', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    const requests: number[] = []
    // Answers chunks 0 and 1, then reads requests and never answers (a stalled sender).
    void (async () => {
      for (;;) {
        let msg: FilesMessage
        try { msg = await s.read() } catch { return }
        const i = msg.request!.index
        requests.push(i)
        if (i < 2) await s.write({ chunk: { index: i, data: data.slice(i * CHUNK, (i + 1) * CHUNK) as Uint8Array<ArrayBuffer> } })
      }
    })()
    const sink = new MemorySink()
    const err = await within(10_000, pullFile(r, offer, sink, { from: 0, window: 1, chunkTimeoutMs: 200 }).catch(e => e))
    expect(err).to.be.instanceOf(Error)
    expect((err as Error).name).to.be.oneOf(['TimeoutError', 'AbortError'])
    expect(requests).to.deep.equal([0, 1, 2])
    expect(sink.chunks).to.have.length(2)
    expect(sink.checkpoints.at(-1)).to.equal(2)
  })

  it('every chunk right but the offer\'s whole-file hash wrong → FileIntegrityError at the end', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    void handServer(s, data, () => false, [])
    const lying = { ...offer, sha256: '00'.repeat(32) }
    const err = await within(10_000, pullFile(r, lying, new MemorySink(), { from: 0 }).catch(e => e))
    expect(err).to.be.instanceOf(FileIntegrityError)
    expect(err.message).to.include('SHA-256')
  })

  it('a request for a file not offered → unknown-file answer, the pull fails with FileRefusedError', async () => {
    const [r, s] = await channelPair(FilesMessage, FILES_FRAME_MAX_BYTES)
    void acceptFiles(s, { onOffer: async () => ({ status: 'pending', maxBytes: 0 }), source: async () => undefined, onDecline: async () => {} }).catch(() => {})
    const err = await within(10_000, pullFile(r, offer, new MemorySink(), { from: 0 }).catch(e => e))
    expect(err.name).to.equal('FileRefusedError')
    expect(err.status).to.equal('unknown-file')
  })
})
