// A file offer (docs/protocol.md §17.2, §17.3): building one from a file's bytes, the checks a
// receiver applies before it keeps one, and name sanitizing. Plain records use lowercase hex.
import { ProtocolViolationError } from '../common/index.js'
import { fromHex, sodium, toHex } from '../crypto/index.js'
import {
  FILES_CHUNK_BYTES, FILES_CHUNK_MAX_BYTES, FILES_CHUNK_MIN_BYTES, FILES_HASH_BYTES, FILES_ID_BYTES, FILES_MAX_CHUNKS,
  FILES_NAME_MAX_BYTES
} from './constants.js'
import type { FileOffer } from './pb/files.js'
import type { Uint8ArrayList } from 'uint8arraylist'

/** An offer as stored and shown: wire fields with hex ids and hashes and plain numbers. */
export interface OfferRecord {
  /** 32 hex characters (16 bytes). */
  id: string
  name: string
  size: number
  /** 64 hex characters: SHA-256 of the whole file. */
  sha256: string
  chunkBytes: number
  chunkCount: number
  chunkSha256: string[]
}

/** Reads `length` bytes at `offset` of a file (fewer only at its end). */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>

/**
 * SHA-256 (hex) of one chunk. The default is WebCrypto (sha256Hex); a platform may pass a faster one
 * (Node: node:crypto, synchronous, no copy and no thread-pool round trip per chunk).
 */
export type ChunkHash = (data: Uint8Array | Uint8ArrayList) => string | Promise<string>

/** A SHA-256 fed piece by piece (the whole file's, §17.2). */
export interface Sha256State {
  update(data: Uint8Array): void
  /** Hex; ends the state. */
  hex(): string
}

/** The hashes buildOffer uses; the defaults are WebCrypto per chunk and libsodium for the whole file. */
export interface OfferHashing {
  chunk?: ChunkHash
  whole?: () => Sha256State
}

function sodiumSha256 (): Sha256State {
  const state = sodium.crypto_hash_sha256_init()
  return {
    update: (data) => { sodium.crypto_hash_sha256_update(state, data) },
    hex: () => toHex(sodium.crypto_hash_sha256_final(state))
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Chunks of `size` bytes at `chunkBytes` each (an empty file has none). */
export function chunkCountOf (size: number, chunkBytes: number): number {
  return Math.ceil(size / chunkBytes)
}

/** Byte length of chunk `index` of the offer. */
export function chunkLength (offer: Pick<OfferRecord, 'size' | 'chunkBytes'>, index: number): number {
  return Math.min(offer.chunkBytes, offer.size - index * offer.chunkBytes)
}

/**
 * SHA-256 of one chunk, hex. WebCrypto (native in Node and browsers) rather than libsodium's WASM:
 * measured 323 vs 65 MiB/s on 256 KiB chunks here, and both ends hash every chunk.
 */
export async function sha256Hex (data: Uint8Array | Uint8ArrayList): Promise<string> {
  const bytes = data instanceof Uint8Array ? data : data.subarray() // WebCrypto takes one buffer
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)))
}

/**
 * §17.2 name rules, applied by the sender and again by the receiver: the last path component only,
 * no control, bidi or other format characters, no leading dots, at most 255 bytes of UTF-8 (cut on a
 * character boundary, the extension kept when it can be). An empty result is "file".
 */
export function sanitizeFileName (raw: string): string {
  let name = raw.normalize('NFC')
  name = name.split(/[/\\]/).filter(p => p !== '').pop() ?? ''
  // Cc (controls incl. NUL), Cf (bidi overrides, zero-width), Zl/Zp separators, unassigned/private use.
  name = name.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}]/gu, '')
  name = name.replace(/[<>:"|?*]/g, '_') // reserved on some file systems
  name = name.trim().replace(/^\.+/, '').trim()
  if (name === '') name = 'file'
  if (encoder.encode(name).length > FILES_NAME_MAX_BYTES) {
    const dot = name.lastIndexOf('.')
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : ''
    name = cutUtf8(name.slice(0, name.length - ext.length), FILES_NAME_MAX_BYTES - encoder.encode(ext).length) + ext
  }
  return name
}

function cutUtf8 (s: string, maxBytes: number): string {
  let out = ''
  let bytes = 0
  for (const ch of s) {
    const n = encoder.encode(ch).length
    if (bytes + n > maxBytes) break
    out += ch
    bytes += n
  }
  return out
}

/** The sender's offer for a file read through `readAt`: every chunk hashed, and the whole file. */
export async function buildOffer (
  id: Uint8Array, name: string, size: number, readAt: ReadAt, chunkBytes = FILES_CHUNK_BYTES, hashing: OfferHashing = {}
): Promise<OfferRecord> {
  const count = chunkCountOf(size, chunkBytes)
  if (count > FILES_MAX_CHUNKS) throw new RangeError(`the file is too large to offer: at most ${FILES_MAX_CHUNKS * chunkBytes} bytes (§17.2)`)
  const whole = (hashing.whole ?? sodiumSha256)()
  const chunkHash = hashing.chunk ?? sha256Hex
  const chunkSha256: string[] = []
  for (let i = 0; i < count; i++) {
    const data = await readAt(i * chunkBytes, chunkLength({ size, chunkBytes }, i))
    if (data.length !== chunkLength({ size, chunkBytes }, i)) throw new Error('the file changed while it was read')
    whole.update(data)
    chunkSha256.push(await chunkHash(data))
  }
  return {
    id: toHex(id),
    name: sanitizeFileName(name),
    size,
    sha256: whole.hex(),
    chunkBytes,
    chunkCount: count,
    chunkSha256
  }
}

export function offerToWire (o: OfferRecord): FileOffer {
  return {
    fileId: fromHex(o.id) as Uint8Array<ArrayBuffer>,
    name: o.name,
    size: BigInt(o.size),
    sha256: fromHex(o.sha256) as Uint8Array<ArrayBuffer>,
    chunkBytes: o.chunkBytes,
    chunkCount: o.chunkCount,
    chunkSha256: o.chunkSha256.map(h => fromHex(h) as Uint8Array<ArrayBuffer>)
  }
}

/**
 * The receiver's checks (§17.2): id and hash lengths, a chunk size in range, a chunk count that
 * matches the size, one hash per chunk, and a name that is already sanitized. Anything else is a
 * PROTOCOL_VIOLATION of the offer stream.
 */
export function offerFromWire (o: FileOffer): OfferRecord {
  const bad = (why: string): never => { throw new ProtocolViolationError(`bad file offer: ${why}`) }
  if (o.fileId.length !== FILES_ID_BYTES) bad('file id')
  if (o.sha256.length !== FILES_HASH_BYTES) bad('sha256')
  if (o.size > BigInt(Number.MAX_SAFE_INTEGER)) bad('size')
  const size = Number(o.size)
  if (o.chunkBytes < FILES_CHUNK_MIN_BYTES || o.chunkBytes > FILES_CHUNK_MAX_BYTES) bad('chunk size')
  if (o.chunkCount > FILES_MAX_CHUNKS || o.chunkCount !== chunkCountOf(size, o.chunkBytes)) bad('chunk count')
  if (o.chunkSha256.length !== o.chunkCount || o.chunkSha256.some(h => h.length !== FILES_HASH_BYTES)) bad('chunk hashes')
  if (encoder.encode(o.name).length > FILES_NAME_MAX_BYTES || sanitizeFileName(o.name) !== o.name) bad('name')
  if (decoder.decode(encoder.encode(o.name)) !== o.name) bad('name')
  return {
    id: toHex(o.fileId),
    name: o.name,
    size,
    sha256: toHex(o.sha256),
    chunkBytes: o.chunkBytes,
    chunkCount: o.chunkCount,
    chunkSha256: o.chunkSha256.map(toHex)
  }
}
