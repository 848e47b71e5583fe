// Errors a user can see (docs/protocol.md §10). One class per outcome, each with a fixed `name`, the wire
// code and a message written for a person. No error ever carries a secret (code, key, lookup, sid).
import type { Uint8ArrayList } from 'uint8arraylist'
import { ErrorCode, ErrorFrame } from './pb/common.js'

/** The wire `ErrorCode` values, shared by every /gini/* protocol (docs/protocol.md §6.2, §10). */
export type GiniErrorCode = `${ErrorCode}`

/** The text that travels in `Error.message` on the wire (short, fixed, no secrets). */
export const WIRE_MESSAGES: Record<GiniErrorCode, string> = {
  UNSPECIFIED: 'Unspecified error',
  NO_MATCHING_FLASH_CODE: 'No matching Flash Code',
  INCORRECT_MFC: 'Incorrect MFC',
  EXPIRED: 'Expired',
  FLASH_CODE_IN_USE: 'Flash Code in use',
  PROTOCOL_VIOLATION: 'Protocol violation',
  RATE_LIMITED: 'Rate limited',
  PEER_LEFT: 'Peer left',
  INCORRECT_SHARED_SECRET: 'Incorrect SharedSecret',
  UNSUPPORTED_VERSION: 'Unsupported version',
  INVALID_CARD: 'Invalid contact card',
  SESSION_FAILED: 'Session failed',
  UNREACHABLE: 'Unreachable',
  RELAY_SHUTTING_DOWN: 'Relay shutting down'
}

/** What a person reads (docs/protocol.md §10, "the user sees"). */
export const USER_MESSAGES: Record<GiniErrorCode, string> = {
  UNSPECIFIED: 'Something went wrong on the other side.',
  NO_MATCHING_FLASH_CODE: 'No matching Flash Code: check it or ask for a new one.',
  INCORRECT_MFC: 'The code did not match, or the connection was tampered with. Make a new code.',
  EXPIRED: 'The code expired (3 minutes). Make a new code.',
  FLASH_CODE_IN_USE: 'That Flash Code is already in use. Make a new code.',
  PROTOCOL_VIOLATION: 'The other side sent something this version does not understand.',
  RATE_LIMITED: 'Too many attempts. Wait a minute and try again.',
  PEER_LEFT: 'The other side left.',
  INCORRECT_SHARED_SECRET: 'Restore failed: the other side could not prove it is your contact.',
  UNSUPPORTED_VERSION: 'The other side runs an incompatible version.',
  INVALID_CARD: 'The contact card could not be verified.',
  SESSION_FAILED: 'The secure session could not be confirmed.',
  UNREACHABLE: 'Could not connect to the other side, directly or through the relay.',
  RELAY_SHUTTING_DOWN: 'The relay is restarting; try again in a moment.'
}

export class GiniError extends Error {
  readonly code: GiniErrorCode

  constructor (code: GiniErrorCode, message: string = USER_MESSAGES[code], options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

function errorClass (code: GiniErrorCode, name: string): new (message?: string, options?: ErrorOptions) => GiniError {
  const cls = class extends GiniError {
    constructor (message?: string, options?: ErrorOptions) {
      super(code, message ?? USER_MESSAGES[code], options)
      this.name = name
    }
  }
  Object.defineProperty(cls, 'name', { value: name })
  return cls
}

export const NoMatchingFlashCodeError = errorClass('NO_MATCHING_FLASH_CODE', 'NoMatchingFlashCodeError')
export const IncorrectMfcError = errorClass('INCORRECT_MFC', 'IncorrectMfcError')
export const ExpiredError = errorClass('EXPIRED', 'ExpiredError')
export const FlashCodeInUseError = errorClass('FLASH_CODE_IN_USE', 'FlashCodeInUseError')
export const ProtocolViolationError = errorClass('PROTOCOL_VIOLATION', 'ProtocolViolationError')
export const RateLimitedError = errorClass('RATE_LIMITED', 'RateLimitedError')
export const PeerLeftError = errorClass('PEER_LEFT', 'PeerLeftError')
export const IncorrectSharedSecretError = errorClass('INCORRECT_SHARED_SECRET', 'IncorrectSharedSecretError')
export const UnsupportedVersionError = errorClass('UNSUPPORTED_VERSION', 'UnsupportedVersionError')
export const InvalidCardError = errorClass('INVALID_CARD', 'InvalidCardError')
export const SessionFailedError = errorClass('SESSION_FAILED', 'SessionFailedError')
export const UnreachableError = errorClass('UNREACHABLE', 'UnreachableError')
export const RelayShuttingDownError = errorClass('RELAY_SHUTTING_DOWN', 'RelayShuttingDownError')

const BY_CODE: Record<GiniErrorCode, new (message?: string) => GiniError> = {
  UNSPECIFIED: errorClass('UNSPECIFIED', 'GiniError'),
  NO_MATCHING_FLASH_CODE: NoMatchingFlashCodeError,
  INCORRECT_MFC: IncorrectMfcError,
  EXPIRED: ExpiredError,
  FLASH_CODE_IN_USE: FlashCodeInUseError,
  PROTOCOL_VIOLATION: ProtocolViolationError,
  RATE_LIMITED: RateLimitedError,
  PEER_LEFT: PeerLeftError,
  INCORRECT_SHARED_SECRET: IncorrectSharedSecretError,
  UNSUPPORTED_VERSION: UnsupportedVersionError,
  INVALID_CARD: InvalidCardError,
  SESSION_FAILED: SessionFailedError,
  UNREACHABLE: UnreachableError,
  RELAY_SHUTTING_DOWN: RelayShuttingDownError
}

// The generated enum's values are its member names, so a GiniErrorCode indexes the enum and an
// enum value is a GiniErrorCode: one mapping each way, checked by the compiler.

/** The wire enum value of an error name. */
export function wireErrorCode (code: GiniErrorCode): ErrorCode {
  return ErrorCode[code]
}

/**
 * The `error` body of a frame for `code`, with its fixed wire text (never the user text or a
 * secret). Every /gini/* message has this `error` field, so it is a whole frame of any of them.
 */
export function errorFrame (code: GiniErrorCode): { error: ErrorFrame } {
  return { error: { code: wireErrorCode(code), message: WIRE_MESSAGES[code] } }
}

/** The typed error for a wire `Error` frame. The remote's free text is not trusted for display. */
export function errorFromWire (code: GiniErrorCode | undefined): GiniError {
  // withOpenErrorCode maps unknown numbers to UNSPECIFIED at decode; this guards other callers.
  return new BY_CODE[code != null && Object.hasOwn(BY_CODE, code) ? code : 'UNSPECIFIED']()
}

interface FrameCodec<T> {
  encode(msg: T): Uint8Array
  decode(buf: Uint8Array | Uint8ArrayList): T
}

const openCodecs = new WeakMap<object, FrameCodec<any>>()
let knownCodeNumbers: Set<number> | undefined

/**
 * `codec`, except that an `error` frame whose `code` number this build does not know decodes as
 * UNSPECIFIED (docs/protocol.md §10) instead of failing as undecodable. The generated codecs refuse
 * unknown enum numbers, so on such a failure the frame is read again with that one field dropped
 * (proto3 reads an absent enum as 0, UNSPECIFIED). Every other decode failure is left as it was.
 */
export function withOpenErrorCode<T> (codec: FrameCodec<T>): FrameCodec<T> {
  const cached = openCodecs.get(codec)
  if (cached != null) return cached
  // The envelope's field number for `error`, read off a probe frame: [tag, len, ...].
  const probe = codec.encode(errorFrame('PROTOCOL_VIOLATION') as T)
  const tag = probe.length > 0 ? readVarint(probe, 0) : undefined
  const errorField = tag != null && (tag.value & 7) === 2 ? Math.floor(tag.value / 8) : undefined
  const open: FrameCodec<T> = errorField == null
    ? codec
    : {
        encode: (msg) => codec.encode(msg),
        decode: (buf) => {
          try {
            return codec.decode(buf)
          } catch (err) {
            const bytes = buf instanceof Uint8Array ? buf : buf.subarray()
            const fixed = dropUnknownErrorCode(bytes, errorField)
            if (fixed == null) throw err
            return codec.decode(fixed)
          }
        }
      }
  openCodecs.set(codec, open)
  return open
}

/** The frame with an unknown `error.code` removed, or undefined if it has none (or does not parse). */
function dropUnknownErrorCode (buf: Uint8Array, errorField: number): Uint8Array | undefined {
  knownCodeNumbers ??= new Set(Object.values(ErrorCode).filter((c): c is ErrorCode => typeof c === 'string').map(c => {
    const b = ErrorFrame.encode({ code: c, message: '' })
    return b.length === 0 ? 0 : (readVarint(b, 1)?.value ?? 0)
  }))
  const out: Uint8Array[] = []
  let changed = false
  let pos = 0
  while (pos < buf.length) {
    const start = pos
    const tag = readVarint(buf, pos)
    if (tag == null) return undefined
    pos = tag.next
    const wireType = tag.value & 7
    if (wireType === 0) {
      const v = readVarint(buf, pos); if (v == null) return undefined
      pos = v.next
    } else if (wireType === 1 || wireType === 5) {
      pos += wireType === 1 ? 8 : 4
    } else if (wireType === 2) {
      const len = readVarint(buf, pos); if (len == null) return undefined
      const bodyStart = len.next
      pos = bodyStart + len.value
      if (pos > buf.length) return undefined
      if (Math.floor(tag.value / 8) === errorField) {
        const body = dropUnknownCodeField(buf.subarray(bodyStart, pos))
        if (body == null) return undefined
        if (body !== true) {
          out.push(buf.subarray(start, tag.next), encodeVarint(body.length), body)
          changed = true
          continue
        }
      }
    } else {
      return undefined
    }
    if (pos > buf.length) return undefined
    out.push(buf.subarray(start, pos))
  }
  if (!changed) return undefined
  const joined = new Uint8Array(out.reduce((n, b) => n + b.length, 0))
  let at = 0
  for (const b of out) { joined.set(b, at); at += b.length }
  return joined
}

/** ErrorFrame bytes without field 1 (code) if its number is unknown; true if nothing to drop. */
function dropUnknownCodeField (body: Uint8Array): Uint8Array | true | undefined {
  const kept: Uint8Array[] = []
  let dropped = false
  let pos = 0
  while (pos < body.length) {
    const start = pos
    const tag = readVarint(body, pos); if (tag == null) return undefined
    pos = tag.next
    const wireType = tag.value & 7
    if (wireType === 0) {
      const v = readVarint(body, pos); if (v == null) return undefined
      pos = v.next
      if (tag.value === 8 && knownCodeNumbers?.has(v.value) !== true) { dropped = true; continue }
    } else if (wireType === 1 || wireType === 5) {
      pos += wireType === 1 ? 8 : 4
    } else if (wireType === 2) {
      const len = readVarint(body, pos); if (len == null) return undefined
      pos = len.next + len.value
    } else {
      return undefined
    }
    if (pos > body.length) return undefined
    kept.push(body.subarray(start, pos))
  }
  if (!dropped) return true
  const joined = new Uint8Array(kept.reduce((n, b) => n + b.length, 0))
  let at = 0
  for (const b of kept) { joined.set(b, at); at += b.length }
  return joined
}

/** An unsigned varint of up to 8 bytes (all a frame limit allows) at `pos`. */
function readVarint (buf: Uint8Array, pos: number): { value: number, next: number } | undefined {
  let value = 0
  for (let i = 0; i < 8 && pos + i < buf.length; i++) {
    const b = buf[pos + i]
    value += (b & 0x7f) * 2 ** (7 * i)
    if (b < 0x80) return { value, next: pos + i + 1 }
  }
  return undefined
}

function encodeVarint (n: number): Uint8Array {
  const out: number[] = []
  while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80) }
  out.push(n)
  return Uint8Array.from(out)
}

/** A typed flash-code input error: shown locally, nothing is sent (docs/protocol.md §4.2). */
export class InvalidFlashCodeError extends Error {
  constructor (reason: string) {
    super(`Invalid Flash Code: ${reason}`)
    this.name = 'InvalidFlashCodeError'
  }
}

/** The relay could not be dialed at all (a local outcome, never on the wire). */
export class RelayUnreachableError extends Error {
  constructor (message = 'Could not reach the relay (GSS). Check the relay address and your network.', options?: ErrorOptions) {
    super(message, options)
    this.name = 'RelayUnreachableError'
  }
}
