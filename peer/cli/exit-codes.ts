// `gini` exit codes (README "CLI reference"): scripts branch on these.
// errors.js alone, not the protocol's index (which loads libp2p's stream helpers): every command loads this.
import { GiniError, InvalidFlashCodeError, RelayUnreachableError } from '../../protocols/common/errors.js'

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2
export const EXIT_NO_MATCH = 3
export const EXIT_INCORRECT_MFC = 4
export const EXIT_EXPIRED = 5
export const EXIT_RELAY_UNREACHABLE = 6
/** A read-only command on a data dir without an identity (`gini init` creates one). */
export const EXIT_NO_IDENTITY = 7
/** `gini verify`: the safety numbers differ (docs/protocol.md §18); nothing was stored. */
export const EXIT_SAFETY_MISMATCH = 8
export const EXIT_INTERRUPTED = 130

export function exitCodeFor (err: unknown): number {
  // By name too: a running daemon's errors arrive as plain Errors that keep their name (daemon-link.ts).
  if (err instanceof InvalidFlashCodeError || (err instanceof Error && ['UsageError', 'ChatInputError', 'InvalidFlashCodeError', 'ManualContactError'].includes(err.name))) return EXIT_USAGE
  if (err instanceof RelayUnreachableError) return EXIT_RELAY_UNREACHABLE
  if (err instanceof Error && err.name === 'IdentityMissingError') return EXIT_NO_IDENTITY
  if (err instanceof Error && err.name === 'SafetyNumberMismatchError') return EXIT_SAFETY_MISMATCH
  if (err instanceof GiniError) {
    switch (err.code) {
      case 'NO_MATCHING_FLASH_CODE': return EXIT_NO_MATCH
      case 'INCORRECT_MFC': return EXIT_INCORRECT_MFC
      case 'EXPIRED': return EXIT_EXPIRED
      default: return EXIT_FAILURE
    }
  }
  if (err instanceof Error && err.name === 'TimeoutError') return EXIT_EXPIRED
  if (err instanceof Error && err.name === 'AbortError') return EXIT_INTERRUPTED
  return EXIT_FAILURE
}

/** A wire-style code for the `error` JSON event. */
export function errorCodeFor (err: unknown): string {
  if (err instanceof GiniError) return err.code
  if (err instanceof InvalidFlashCodeError || (err instanceof Error && err.name === 'InvalidFlashCodeError')) return 'INVALID_FLASH_CODE'
  if (err instanceof RelayUnreachableError) return 'RELAY_UNREACHABLE'
  if (err instanceof Error && (err.name === 'UsageError' || err.name === 'ChatInputError')) return 'USAGE'
  if (err instanceof Error && err.name === 'TimeoutError') return 'EXPIRED'
  if (err instanceof Error && err.name === 'ProfileMissingError') return 'NO_PROFILE'
  if (err instanceof Error && err.name === 'IdentityMissingError') return 'NO_IDENTITY'
  if (err instanceof Error && err.name === 'DataDirInUseError') return 'DATA_DIR_IN_USE'
  if (err instanceof Error && err.name === 'SafetyNumberMismatchError') return 'SAFETY_NUMBER_MISMATCH'
  if (err instanceof Error && err.name === 'ManualContactError') return 'MANUAL_CONTACT'
  return 'FAILED'
}

export class UsageError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
