// Reachability of a contact (docs/protocol.md §9.5): a pure function of what is
// stored and whether a confirmed session is open now, so the daemon, `gini contacts` and the web UI
// all name the same state.
//   online       a connection with a confirmed §8 session is open
//   offline      not connected, last seen less than `unreachableAfterMs` ago; known addresses re-dialed
//   unreachable  not seen for `unreachableAfterMs` (3 days): the dark-orange dot; CRP running
//   expired      the CRP ran to the end of its schedule (365 days) without success: pair again
import type { ContactRecord, ReachabilityState } from '../storage.js'
import { DAY_MS, type Schedule } from './schedule.js'

/** §9.1: "A contact unreachable for 3 days enters state `unreachable` … and its peer starts the CRP". */
export const UNREACHABLE_AFTER_MS = 3 * DAY_MS

/** §9.4: three runs in a row ending in INCORRECT_SHARED_SECRET → "restore keeps failing". */
export const RESTORE_FAILURES_BEFORE_WARNING = 3

export interface ReachabilityPolicy {
  unreachableAfterMs: number
  crpSchedule: Schedule
}

/** What a person is shown about restoring a contact (§10), beside its state. */
export type RestoreStatus = 'failed' | 'keeps-failing'

export function reachabilityOf (contact: Pick<ContactRecord, 'lastSeenMs' | 'state' | 'crp'>, online: boolean, nowMs: number, policy: ReachabilityPolicy): ReachabilityState {
  if (online) return 'online'
  // `expired` is final until a new pairing replaces the record (docs/protocol.md §13.3 #14).
  if (contact.state === 'expired') return 'expired'
  if (contact.crp != null && nowMs - contact.crp.startedAtMs >= policy.crpSchedule.endMs) return 'expired'
  // A clock that went back makes the difference negative: that is "seen recently", never a crash.
  if (contact.crp != null || nowMs - contact.lastSeenMs >= policy.unreachableAfterMs) return 'unreachable'
  return 'offline'
}

/** When an offline contact turns unreachable (wall-clock ms). */
export function unreachableAtMs (contact: Pick<ContactRecord, 'lastSeenMs'>, policy: ReachabilityPolicy): number {
  return contact.lastSeenMs + policy.unreachableAfterMs
}

export function restoreStatusOf (contact: Pick<ContactRecord, 'crp'>): RestoreStatus | undefined {
  const n = contact.crp?.incorrectInRow ?? 0
  if (n >= RESTORE_FAILURES_BEFORE_WARNING) return 'keeps-failing'
  return n > 0 ? 'failed' : undefined
}

/** The words for a state (CLI human mode, web UI titles). */
export function describeReachability (state: ReachabilityState, restore?: RestoreStatus): string {
  const base = {
    online: 'online',
    offline: 'offline (re-dialing known addresses)',
    unreachable: 'unreachable (restoring the connection through the relay)',
    expired: 'expired: not reached for a year, pair again to reconnect'
  }[state]
  if (restore === 'keeps-failing') return `${base}; restore keeps failing: consider a new pairing`
  if (restore === 'failed') return `${base}; restore failed`
  return base
}
