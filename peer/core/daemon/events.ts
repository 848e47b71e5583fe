// The status events of a running daemon: one plain stream, never a secret (docs/architecture.md
// "Events"). The CLI prints them as `--json` lines or words, the web UI colours its dots from them.
// No token, SharedSecret, key or run identity ever appears here.
import type { ReachabilityState } from '../storage.js'
import type { RestoreStatus } from './reachability.js'
import type { ChatEvent } from '../chat/chat-service.js'
import type { FileEvent } from '../files/file-transfers.js'
import type { LinkKind } from '../dial-peer.js'

/** Steps of the Connection Restore Protocol as a person may follow them (§9). */
export type CrpStep =
  | 'started' // the contact turned unreachable: the CRP schedule begins
  | 'registered' // a run registered its token(s) at the relay
  | 'parked-offer' // a run found the contact's parked offer and dials it
  | 'matched' // the relay joined us with someone holding the same token
  | 'verified' // both proofs checked: the other side holds the SharedSecret
  | 'connecting' // dialing (B) or waiting for the dial (A) of the restored connection
  | 'restored' // §8 confirmed on the restored connection: the contact is online
  | 'incorrect-shared-secret' // a run ended in "Incorrect SharedSecret" (§10)
  | 'keeps-failing' // the third such run in a row: a new pairing is suggested; the schedule goes on
  | 'run-ended' // a run's exchange ended otherwise (peer left, expired, unreachable…): silent in the UI
  | 'expired' // 365 days of CRP without success: a new pairing is needed

/**
 * A relay link's status, reported when it changes: `unreachable` once however many re-dials fail,
 * `connected` when the relay answers again. With `fallback: true` the relay is one of the
 * remembered list, taken while no configured relay answers (docs/protocol.md §22.5).
 */
export type RelayStatus = 'connected' | 'disconnected' | 'unreachable'

export type DaemonEvent =
  /** `peerId`: the long-term id; `presenceId`: the day's presence id the addresses name (docs/protocol.md §21). */
  | { event: 'listening', peerId: string, presenceId?: string, addrs: string[] }
  /** A new UTC day's presence identity holds the reservation (§21.4). */
  | { event: 'presence-rotated', presenceId: string, day: number }
  | { event: 'relay', status: RelayStatus, relay: string, fallback?: boolean }
  /** §22.5: the relay list asked of `relay`; `saved`: remembered (a list of two or more), else the old one kept. */
  | { event: 'relay-list', relay: string, relays: number, saved: boolean }
  | { event: 'contact-state', id: string, name: string, state: ReachabilityState, restore?: RestoreStatus }
  | { event: 'session', id: string, direct: boolean, link: LinkKind, remoteAddr: string, via: 'dial' | 'inbound' | 'restore' }
  /** A TCP dial to the contact's addresses ended without a link (docs/protocol.md §17.6 item 3): it stays on the one it has. */
  | { event: 'tcp-failed', id: string }
  | { event: 'crp', id: string, step: CrpStep, code?: string }
  | { event: 'address-update', id: string, direction: 'sent' | 'received', seq: number }
  // §18.1: a re-pairing brought a new permanent key for this contact; pending until accepted or rejected.
  | { event: 'key-change', id: string, name: string, oldSafetyNumber?: string, newSafetyNumber: string }
  // §19: the contact's signed card update was accepted (its new name; the web client re-reads contacts).
  | { event: 'contact-updated', id: string, name: string }
  // §19 local edits made through this daemon (e.g. `gini contact block` over the control socket), so
  // other views of the same contact book follow: `name` is the card name, `nickname` the new one or null.
  | { event: 'contact-renamed', id: string, name: string, nickname: string | null }
  | { event: 'contact-blocked', id: string, name: string }
  | { event: 'contact-unblocked', id: string, name: string }
  | { event: 'contact-deleted', id: string, name: string }
  | ChatEvent
  | FileEvent

export type DaemonEventListener = (event: DaemonEvent) => void
