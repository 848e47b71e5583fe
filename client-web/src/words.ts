// What the user reads: pairing progress and every error in plain words, from the sources the CLI
// uses too: the progress sentences from peer/core/pairing/describe.ts, error texts from
// protocols/common/errors.ts (USER_MESSAGES); an error's headline is the protocol's own name for
// the outcome (docs/protocol.md §10).
import {
  GiniError, USER_MESSAGES, WIRE_MESSAGES, InvalidFlashCodeError, RelayUnreachableError, type GiniErrorCode
} from '../../protocols/common/index.js'
import type { PairingStep } from '../../peer/core/pairing/describe.js'

/** Which step an event puts the pairing in, and the sentence for it. */
export { describePairingEvent as describeEvent, type PairingStep } from '../../peer/core/pairing/describe.js'

export const PAIRING_STEPS: ReadonlyArray<{ step: PairingStep, label: string }> = [
  { step: 'waiting', label: 'Waiting' },
  { step: 'verifying', label: 'Verifying' },
  { step: 'connecting', label: 'Connecting' },
  { step: 'syncing', label: 'Syncing contact' }
]

export interface ShownError {
  /** Stable, for tests and styling: the wire code, or a local one. */
  code: string
  title: string
  detail: string
  /** Trying the same thing again may work (relay down, network): offer a retry button. */
  retryable: boolean
}

const TITLES: Partial<Record<GiniErrorCode, string>> = {
  EXPIRED: 'The code expired',
  PEER_LEFT: 'Your contact left',
  UNREACHABLE: 'Could not connect to your contact',
  RELAY_SHUTTING_DOWN: 'The relay is restarting'
}
const RETRYABLE: ReadonlySet<GiniErrorCode> = new Set(['RATE_LIMITED', 'UNREACHABLE', 'UNSPECIFIED', 'RELAY_SHUTTING_DOWN'])
const LOCAL_DETAIL: ReadonlySet<string> = new Set(['PeerIdNotProvenError'])

export function describeError (err: unknown): ShownError {
  if (err instanceof GiniError) {
    // Our own refusals of a card say why (a changed key, an unproven peer id); wire errors never do.
    const detail = LOCAL_DETAIL.has(err.name) ? err.message : USER_MESSAGES[err.code]
    return { code: err.code, title: TITLES[err.code] ?? WIRE_MESSAGES[err.code], detail, retryable: RETRYABLE.has(err.code) }
  }
  if (err instanceof InvalidFlashCodeError) {
    return { code: 'INVALID_FLASH_CODE', title: 'Not a Flash Code', detail: `${err.message}. Nothing was sent.`, retryable: false }
  }
  if (err instanceof RelayUnreachableError) {
    return { code: 'RELAY_UNREACHABLE', title: 'Relay unreachable', detail: err.message, retryable: true }
  }
  const name = err instanceof Error ? err.name : ''
  if (name === 'ProfileMissingError') {
    return { code: 'NO_PROFILE', title: 'Your card is missing', detail: 'Enter your name first.', retryable: false }
  }
  if (name === 'TimeoutError') {
    return { code: 'EXPIRED', title: 'Timed out', detail: 'The other side did not answer in time. Make a new code.', retryable: true }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'FAILED', title: 'Something went wrong', detail: message, retryable: true }
}

export const NO_RELAY: ShownError = {
  code: 'NO_RELAY',
  title: 'No relay set',
  detail: 'This page was not given a relay address. Enter one in Settings.',
  retryable: false
}

/** "2:05" for a countdown. */
export function formatRemaining (ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`
}
