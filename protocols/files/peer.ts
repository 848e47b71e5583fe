// The two ends of `/gini/files/1` (docs/protocol.md §17.3, §17.4): the sender's offer and chunk
// server, the receiver's answer and pull loop. Pure logic over FrameChannels: file bytes come and
// go through injected readers and writers, so it runs over any stream and any storage.
import type { Stream } from '@libp2p/interface'
import { Uint8ArrayList } from 'uint8arraylist'
import {
  PeerLeftError, ProtocolViolationError, classifyReadError, errorFrame, readOrEnd, refuse, varintLength, watchRemoteClose, withOpenErrorCode, writeFrame,
  type FrameChannel, type FrameReadOptions, type GiniError
} from '../common/index.js'
import { fromHex, toHex } from '../crypto/index.js'
import { FILES_CHUNK_RETRIES, FILES_CHUNK_TIMEOUT_MS, FILES_ID_BYTES, FILES_PULL_WINDOW } from './constants.js'
import { chunkLength, offerFromWire, offerToWire, sha256Hex, type ChunkHash, type OfferRecord, type ReadAt } from './offer.js'
import { FileStatus, FilesMessage } from './pb/files.js'

export type FilesChannel = FrameChannel<FilesMessage>

export type AnswerStatus = 'pending' | 'too-large' | 'declined' | 'unknown-file' | 'changed'

const STATUS_TO_WIRE: Record<AnswerStatus, FileStatus> = {
  pending: FileStatus.PENDING,
  'too-large': FileStatus.TOO_LARGE,
  declined: FileStatus.DECLINED,
  'unknown-file': FileStatus.UNKNOWN_FILE,
  changed: FileStatus.CHANGED
}
const STATUS_FROM_WIRE = new Map(Object.entries(STATUS_TO_WIRE).map(([k, v]) => [v, k as AnswerStatus]))

/** The other side said no (or no longer has the file); `maxBytes` is the receiver's limit for `too-large`. */
export class FileRefusedError extends Error {
  constructor (readonly status: AnswerStatus, readonly maxBytes?: number) {
    super(refusalText(status, maxBytes))
    this.name = 'FileRefusedError'
  }
}

/** A chunk kept failing its hash, or the finished file did not match the offer's (§17.4). */
export class FileIntegrityError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'FileIntegrityError'
  }
}

function refusalText (status: AnswerStatus, maxBytes?: number): string {
  switch (status) {
    case 'too-large': return `The file is larger than the receiver accepts${maxBytes != null ? ` (at most ${maxBytes} bytes)` : ''}.`
    case 'declined': return 'The receiver declined the file.'
    case 'unknown-file': return 'The sender no longer offers this file.'
    case 'changed': return 'The file changed on the sender\'s side since it was offered.'
    default: return 'The other side refused the file.'
  }
}

// ---- sender -------------------------------------------------------------------------------------

/** Opener of an offer stream: writes the offer, reads the one answer, closes (§17.3). */
export async function sendOffer (channel: FilesChannel, offer: OfferRecord, signal?: AbortSignal): Promise<{ status: AnswerStatus, maxBytes: number }> {
  const watch = watchRemoteClose(channel.stream)
  try {
    await writeFrame(channel, { offer: offerToWire(offer) }, signal)
    const msg = await channel.read({ signal })
    if (msg.error != null) throw new ProtocolViolationError('The contact refused the file offer frame.')
    const status = msg.answer == null ? undefined : STATUS_FROM_WIRE.get(msg.answer.status)
    if (msg.answer == null || status == null || toHex(msg.answer.fileId) !== offer.id) {
      throw await refuse(channel, errorFrame('PROTOCOL_VIOLATION'), new ProtocolViolationError())
    }
    await channel.close()
    return { status, maxBytes: Number(msg.answer.maxBytes) }
  } finally {
    watch.stop()
  }
}

/**
 * Opener of a decline: tells the sender the receiver will not pull this file (§17.3). `failed`: the
 * receiver ended an accepted transfer as failed (§17.4 item 6), not its user's no.
 */
export async function sendDecline (channel: FilesChannel, fileId: string, signal?: AbortSignal, failed = false): Promise<void> {
  await writeFrame(channel, { decline: { fileId: fromHex(fileId) as Uint8Array<ArrayBuffer>, failed } }, signal)
  await channel.close()
}

/** What the sender serves for one offered file. */
export interface ChunkSource {
  offer: OfferRecord
  readAt: ReadAt
}

export interface AcceptFilesOptions {
  /** A new offer (already checked, §17.2): the answer to write back. */
  onOffer: (offer: OfferRecord) => Promise<{ status: AnswerStatus, maxBytes: number }>
  /** The file being pulled, if this side offered it to this contact and still does. */
  source: (fileId: string) => Promise<ChunkSource | undefined>
  /**
   * The receiver declined one of our offers; `failed`: it ended the accepted transfer as failed (a
   * whole-file or chunk hash that did not match, §17.4 item 6). A sender without the field reads false.
   */
  onDecline: (fileId: string, failed: boolean) => Promise<void>
  /** This side answered CHANGED (§17.4 item 2): the file on disk is no longer the one offered. */
  onChanged?: (fileId: string) => void
  /** Bytes served, per chunk. */
  onServed?: (fileId: string, index: number) => void
  /**
   * The receiver half-closed after this stream served the file's last chunk: it has every chunk
   * (§17.4 item 1). Only then is the file sent: a written chunk may still be in flight, and a
   * sender that stopped at that point would cut it.
   */
  onReceived?: (fileId: string) => void
  /** Hash of a chunk asked for again (default sha256Hex). */
  hash?: ChunkHash
  signal?: AbortSignal
}

/** Chunks the sender reads ahead of the request it answers: the disk works while the link sends. */
const SERVE_READ_AHEAD = 2

/**
 * Acceptor of every `/gini/files/1` stream: the first frame says which it is (§17.3). An offer gets
 * one answer; a decline is noted; a request begins a pull, answered chunk by chunk in order until
 * the receiver closes. A malformed frame is PROTOCOL_VIOLATION for this stream only (§3.4).
 */
export async function acceptFiles (channel: FilesChannel, opts: AcceptFilesOptions): Promise<void> {
  const watch = watchRemoteClose(channel.stream)
  const violation = async (err?: GiniError): Promise<never> => {
    throw await refuse(channel, errorFrame('PROTOCOL_VIOLATION'), err ?? new ProtocolViolationError())
  }
  try {
    let first: FilesMessage | undefined
    try {
      first = await readOrEnd(channel, watch, opts.signal)
    } catch (err) {
      if (err instanceof ProtocolViolationError) await violation(err)
      throw err
    }
    if (first == null) { await channel.close(); return }
    if (first.offer != null) {
      let offer: OfferRecord
      try {
        offer = offerFromWire(first.offer)
      } catch (err) {
        return await violation(err as GiniError)
      }
      const answer = await opts.onOffer(offer)
      await writeFrame(channel, { answer: { fileId: first.offer.fileId, status: STATUS_TO_WIRE[answer.status], maxBytes: BigInt(answer.maxBytes) } }, opts.signal)
      await channel.close()
      return
    }
    if (first.decline != null) {
      if (first.decline.fileId.length !== FILES_ID_BYTES) return await violation()
      await opts.onDecline(toHex(first.decline.fileId), first.decline.failed)
      await channel.close()
      return
    }
    if (first.request == null) return await violation()
    await serveChunks(channel, first, watch, opts, violation)
  } finally {
    watch.stop()
  }
}

async function serveChunks (
  channel: FilesChannel, first: FilesMessage, watch: ReturnType<typeof watchRemoteClose>, opts: AcceptFilesOptions,
  violation: (err?: GiniError) => Promise<never>
): Promise<void> {
  const hash = opts.hash ?? sha256Hex
  let msg: FilesMessage | undefined = first
  let source: ChunkSource | undefined
  let servedLast = false
  // The receiver asks in order (§17.4), so the next chunks are read while this one is sent; a
  // request for another index (a re-fetch, another file) drops what was read ahead.
  let ahead = new Map<number, Promise<Uint8Array>>()
  const prepare = (src: ChunkSource, index: number): Promise<Uint8Array> => {
    const p = src.readAt(index * src.offer.chunkBytes, chunkLength(src.offer, index))
    p.catch(() => {}) // read ahead and dropped: its error is nobody's; the one awaited throws
    return p
  }
  // The receiver checks every chunk (§17.4 item 3): a chunk is hashed here only when it is asked
  // for again on this stream (the receiver found it wrong), to tell an edited file (CHANGED).
  let servedUpTo = -1
  for (;;) {
    const req = msg.request
    if (req == null || req.fileId.length !== FILES_ID_BYTES) return await violation()
    const fileId = toHex(req.fileId)
    if (source?.offer.id !== fileId) { source = await opts.source(fileId); ahead = new Map(); servedUpTo = -1 }
    if (source == null) return await answerAndClose(channel, fileId, 'unknown-file', opts.signal)
    if (req.index >= source.offer.chunkCount) return await violation()
    const current = ahead.get(req.index) ?? prepare(source, req.index)
    const next = new Map<number, Promise<Uint8Array>>()
    for (let i = req.index + 1; i <= req.index + SERVE_READ_AHEAD && i < source.offer.chunkCount; i++) next.set(i, ahead.get(i) ?? prepare(source, i))
    ahead = next
    const data = await current
    if (req.index <= servedUpTo && await hash(data) !== source.offer.chunkSha256[req.index]) {
      opts.onChanged?.(fileId)
      return await answerAndClose(channel, fileId, 'changed', opts.signal)
    }
    servedUpTo = Math.max(servedUpTo, req.index)
    await writeChunk(channel, req.index, data, opts.signal)
    opts.onServed?.(fileId, req.index)
    servedLast = req.index === source.offer.chunkCount - 1
    try {
      msg = await readOrEnd(channel, watch, opts.signal)
    } catch (err) {
      if (err instanceof ProtocolViolationError) await violation(err)
      throw err
    }
    if (msg == null) {
      await channel.close()
      if (servedLast) opts.onReceived?.(fileId)
      return
    }
  }
}

/**
 * The length-prefixed `chunk{index, data}` frame (§17.2) as the bytes FilesMessage.encode writes, but
 * with `data` as a part of its own rather than copied into one buffer: a header, then `data`.
 */
export function chunkFrameParts (index: number, data: Uint8Array): [Uint8Array, Uint8Array] {
  // FileChunk: field 1 (index, varint, left out when 0), field 2 (data, bytes, left out when empty).
  const chunkLen = (index !== 0 ? 1 + varintLength(index) : 0) + (data.length > 0 ? 1 + varintLength(data.length) + data.length : 0)
  // FilesMessage: field 4 (chunk, length-delimited).
  const messageLen = 1 + varintLength(chunkLen) + chunkLen
  const header = new Uint8Array(varintLength(messageLen) + messageLen - data.length)
  let at = 0
  const varint = (n: number): void => {
    while (n >= 0x80) { header[at++] = (n & 0x7f) | 0x80; n = Math.floor(n / 0x80) }
    header[at++] = n
  }
  varint(messageLen)
  header[at++] = 0x22
  varint(chunkLen)
  if (index !== 0) { header[at++] = 0x08; varint(index) }
  if (data.length > 0) { header[at++] = 0x12; varint(data.length) }
  return [header, data]
}

/** writeFrame for a chunk, without the copy of its bytes into an encoded message (chunkFrameParts). */
async function writeChunk (channel: FilesChannel, index: number, data: Uint8Array, signal?: AbortSignal): Promise<void> {
  try {
    signal?.throwIfAborted()
    if (!channel.stream.send(new Uint8ArrayList(...chunkFrameParts(index, data)))) await drained(channel.stream, signal)
  } catch (err) {
    if (signal?.aborted === true) throw signal.reason instanceof Error ? signal.reason : err
    throw new PeerLeftError(undefined, { cause: err })
  }
}

async function drained (stream: Stream, signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const end = (err?: unknown): void => {
      stream.removeEventListener('drain', onDrain)
      stream.removeEventListener('close', onClose)
      signal?.removeEventListener('abort', onAbort)
      if (err == null) resolve()
      else reject(err)
    }
    const onDrain = (): void => { end() }
    const onClose = (evt: Event): void => { end((evt as Event & { error?: Error }).error ?? new Error('the stream closed')) }
    const onAbort = (): void => { end(signal?.reason) }
    stream.addEventListener('drain', onDrain)
    stream.addEventListener('close', onClose)
    signal?.addEventListener('abort', onAbort)
  })
}

async function answerAndClose (channel: FilesChannel, fileId: string, status: AnswerStatus, signal?: AbortSignal): Promise<void> {
  await writeFrame(channel, { answer: { fileId: fromHex(fileId) as Uint8Array<ArrayBuffer>, status: STATUS_TO_WIRE[status], maxBytes: 0n } }, signal)
  await channel.close()
}

// ---- receiver -----------------------------------------------------------------------------------

/** A chunk's bytes as they came off the stream: one array, or the stream's pieces (not copied together). */
export type ChunkBytes = Uint8Array | Uint8ArrayList

/** A frame the pull reads: a chunk keeps its bytes as pieces; anything else is the decoded message. */
type PullFrame = Pick<FilesMessage, 'answer' | 'error'> & { chunk?: { index: number, data: ChunkBytes } }

const FILES_CODEC = withOpenErrorCode(FilesMessage)

/**
 * A frame body laid out as chunkFrameParts writes it (FilesMessage field 4 only, in it field 1 then
 * field 2, each at most once, lengths to the byte): the chunk, its data a sublist of `body` (no
 * copy). Any other layout is undefined, for the protobuf decoder, which gives the same message for
 * this one (§17.2).
 */
export function chunkOfFrameBody (body: Uint8ArrayList): { index: number, data: Uint8ArrayList } | undefined {
  const end = body.byteLength
  let at = 0
  const varint = (): number | undefined => {
    let value = 0
    for (let i = 0; i < 5 && at < end; i++) {
      const b = body.get(at++)
      value += (b & 0x7f) * 2 ** (7 * i)
      if (b < 0x80) return value < 2 ** 32 ? value : undefined
    }
    return undefined
  }
  if (end === 0 || body.get(at++) !== 0x22) return undefined
  const chunkLen = varint()
  if (chunkLen == null || at + chunkLen !== end) return undefined
  let index = 0
  if (at < end && body.get(at) === 0x08) {
    at++
    const i = varint()
    if (i == null) return undefined
    index = i
  }
  if (at === end) return { index, data: body.sublist(end, end) }
  if (body.get(at++) !== 0x12) return undefined
  const dataLen = varint()
  if (dataLen == null || at + dataLen !== end) return undefined
  return { index, data: body.sublist(at, end) }
}

/** The next frame of a pull: a chunk frame parsed in place where the channel gives raw bodies. */
async function readPullFrame (channel: FilesChannel, options: FrameReadOptions): Promise<PullFrame> {
  if (channel.readBody == null) return await channel.read(options)
  const body = await channel.readBody(options)
  const chunk = chunkOfFrameBody(body)
  if (chunk != null) return { chunk }
  try {
    return FILES_CODEC.decode(body)
  } catch (err) {
    throw classifyReadError(err, options.signal)
  }
}

/** Where the receiver puts verified chunks, in index order. */
export interface ChunkSink {
  /**
   * Takes chunk `index` (already verified) for its offset; it may still be on its way to storage
   * when this resolves (the sink owns `data` from then on). Called in index order.
   */
  write(index: number, data: ChunkBytes): Promise<void>
  /**
   * Makes every chunk below `next` durable and records `next`, so a restart asks for `next` first.
   * Runs while later chunks are written; the pull starts no second one before it ends.
   */
  checkpoint(next: number): Promise<void>
  /** SHA-256 (hex) of the whole file as stored: the chunks written, and any part kept from before. */
  sha256(): Promise<string>
}

export interface PullOptions {
  /** The first chunk this side does not have (0 for a new transfer; resuming: the recorded `next`). */
  from: number
  onProgress?: (progress: { received: number, total: number }) => void
  /** Chunks between two checkpoints. */
  checkpointEvery?: number
  retries?: number
  window?: number
  /** No frame for this long with requests outstanding ends the pull (default FILES_CHUNK_TIMEOUT_MS). */
  chunkTimeoutMs?: number
  /** Hash of each chunk received (default sha256Hex). */
  hash?: ChunkHash
  signal?: AbortSignal
}

const CHECKPOINT_EVERY_CHUNKS = 16

/**
 * Opener of a pull stream (§17.4): requests chunks from `from` on, up to `window` in flight, checks
 * each chunk's hash before it is written, fetches a bad one again (at most `retries` times), then
 * checks the whole file's hash and closes. Whatever ends it early, the chunks written so far are
 * checkpointed first, so the next pull resumes after them.
 */
export async function pullFile (channel: FilesChannel, offer: OfferRecord, sink: ChunkSink, opts: PullOptions): Promise<void> {
  const retriesMax = opts.retries ?? FILES_CHUNK_RETRIES
  const window = opts.window ?? FILES_PULL_WINDOW
  const every = opts.checkpointEvery ?? CHECKPOINT_EVERY_CHUNKS
  const hash = opts.hash ?? sha256Hex
  const fileId = fromHex(offer.id) as Uint8Array<ArrayBuffer>
  const total = offer.size
  const received = (next: number): number => Math.min(total, next * offer.chunkBytes)
  let want = Math.max(0, Math.min(opts.from, offer.chunkCount))
  let checkpointed = want
  let requested = want
  const inFlight: number[] = []
  const retries = new Map<number, number>()
  // One checkpoint at a time, in the background: the chunks after it keep coming meanwhile (the
  // crash guarantee of §17.4 holds, since the sink records `next` only after those chunks are durable).
  let running: Promise<void> | undefined
  let checkpointFailed: { err: unknown } | undefined
  const startCheckpoint = (next: number): void => {
    running = sink.checkpoint(next).then(
      () => { checkpointed = Math.max(checkpointed, next) },
      (err) => { checkpointFailed ??= { err } }
    ).finally(() => { running = undefined })
  }
  const checkpointNow = async (next: number, always: boolean): Promise<void> => {
    await running
    if (checkpointFailed != null) throw checkpointFailed.err
    if (always || next > checkpointed) { await sink.checkpoint(next); checkpointed = next }
  }
  const watch = watchRemoteClose(channel.stream)
  try {
    opts.onProgress?.({ received: received(want), total })
    while (want < offer.chunkCount) {
      if (checkpointFailed != null) throw checkpointFailed.err
      while (requested < offer.chunkCount && inFlight.length < window) {
        await writeFrame(channel, { request: { fileId, index: requested } }, opts.signal)
        inFlight.push(requested++)
      }
      // A stalled sender must not hold the pull forever: §17.4's deadline per frame.
      const frameDeadline = AbortSignal.timeout(opts.chunkTimeoutMs ?? FILES_CHUNK_TIMEOUT_MS)
      const msg = await readPullFrame(channel, { signal: opts.signal == null ? frameDeadline : AbortSignal.any([opts.signal, frameDeadline]) })
      if (msg.answer != null) {
        const status = STATUS_FROM_WIRE.get(msg.answer.status)
        throw new FileRefusedError(status ?? 'unknown-file')
      }
      if (msg.error != null) throw new ProtocolViolationError('The contact refused a file request.')
      const expected = inFlight.shift()
      if (msg.chunk == null || msg.chunk.index !== expected) {
        throw await refuse(channel, errorFrame('PROTOCOL_VIOLATION'), new ProtocolViolationError())
      }
      if (expected !== want) continue // requested before a bad chunk: it comes again in order
      const data = msg.chunk.data
      if (data.byteLength !== chunkLength(offer, want) || await hash(data) !== offer.chunkSha256[want]) {
        const n = (retries.get(want) ?? 0) + 1
        if (n > retriesMax) throw new FileIntegrityError(`Chunk ${want} failed its hash ${n} times; the transfer stopped.`)
        retries.set(want, n)
        requested = want
        continue
      }
      await sink.write(want, data)
      want++
      opts.onProgress?.({ received: received(want), total })
      if (want - checkpointed >= every && running == null) startCheckpoint(want)
    }
    await checkpointNow(want, true)
    const whole = await sink.sha256()
    if (whole !== offer.sha256) throw new FileIntegrityError('The received file does not match the offer\'s SHA-256.')
    await channel.close()
  } catch (err) {
    await checkpointNow(want, false).catch(() => {})
    channel.abort(err as Error)
    throw err
  } finally {
    watch.stop()
  }
}
