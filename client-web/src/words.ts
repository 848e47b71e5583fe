// What the user reads: pairing progress (from the core's PairingEvents) and every error in plain
// words. Error texts come from protocols/common/errors.ts (USER_MESSAGES), the one source the CLI
// uses too; the headline is the protocol's own name for the outcome (docs/protocol.md §10).
import {
  GiniError, USER_MESSAGES, WIRE_MESSAGES, InvalidFlashCodeError, RelayUnreachableError,
  type GiniErrorCode
} from '../../protocols/common/index.js'
import type { PairingEvent } from '../../peer/core/pairing/events.js'

/** The four steps a person sees, in order (waiting, verifying, connecting, syncing; README "Web client"). */
export type PairingStep = 'waiting' | 'verifying' | 'connecting' | 'syncing'
export const PAIRING_STEPS: ReadonlyArray<{ step: PairingStep, label: string }> = [
  { step: 'waiting', label: 'Waiting' },
  { step: 'verifying', label: 'Verifying' },
  { step: 'connecting', label: 'Connecting' },
  { step: 'syncing', label: 'Syncing contact' }
]

/** Which step an event puts the pairing in, and the sentence for it. */
export function describeEvent (e: PairingEvent): { step: PairingStep | 'done', text: string } | undefined {
  switch (e.event) {
    case 'flash-code': return undefined
    case 'waiting':
      if (e.for === 'peer') return { step: 'waiting', text: 'Waiting for your contact to enter the code…' }
      if (e.for === 'match') return { step: 'waiting', text: 'Looking for the code at the relay…' }
      return { step: 'connecting', text: 'Verified. Connecting to your contact…' }
    case 'matched': return { step: 'verifying', text: 'Found the other side. Checking the code on both sides…' }
    case 'verified': return { step: 'verifying', text: 'Verified: both sides know the same code.' }
    case 'connected': return {
      step: 'connecting',
      text: e.path === 'turn'
        ? 'Connected (WebRTC through a TURN server, still end-to-end encrypted).'
        : e.direct ? 'Connected directly (WebRTC).' : 'Connected through the relay (a direct connection was not possible).'
    }
    case 'syncing': return { step: 'syncing', text: 'Exchanging contact cards…' }
    case 'contact-added': return { step: 'done', text: `Added ${e.name} to your contacts.` }
  }
}

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
  UNREACHABLE: 'Could not connect to your contact'
}
const RETRYABLE: ReadonlySet<GiniErrorCode> = new Set(['RATE_LIMITED', 'UNREACHABLE', 'UNSPECIFIED'])
const LOCAL_DETAIL: ReadonlySet<string> = new Set(['KeyChangedError', 'PeerIdNotProvenError'])

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
