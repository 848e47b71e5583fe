// Errors a user can see (docs/protocol.md §10). One class per outcome, each with a fixed `name`, the wire
// code and a message written for a person. No error ever carries a secret (code, key, lookup, sid).
import { ErrorCode, type ErrorFrame } from './pb/common.js'

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
  // The codec refuses enum numbers it does not know; this guards callers outside the codec.
  return new BY_CODE[code != null && Object.hasOwn(BY_CODE, code) ? code : 'UNSPECIFIED']()
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
