// The RestoreConnections table as the CRP relay logic sees it (docs/protocol.md
// §9.2): an interface injected into protocols/crp/relay.ts so that logic stays pure. The SQLite
// implementation is relay/restore-store.ts. A row is keyed by the 32-byte token; it holds nothing
// else but sealed parked offers and times (§11).
import type { PairingRole } from '../crypto/index.js'
import type { Sealed } from './pb/crp.js'

/** §2.4: role `A` (0x41) or `B` (0x42). */
export type CrpRole = PairingRole

/** A role's newest parked offer (§9.2), kept 24 h from its `Register`. */
export interface ParkedOffer { readonly sealed: Sealed, readonly atMs: number }

/** One RestoreConnections row (the fields of §9.2's table). The token is the key, never a field. */
export interface RestoreRow {
  /** First registration: the row ends `rowTtlMs` later. */
  readonly firstAtMs: number
  /** `Timestamp`: the latest registration. */
  readonly lastAtMs: number
  /** `Offer` (role A) and `Answer` (role B): newest parked offer per role. */
  readonly parked: Partial<Record<CrpRole, ParkedOffer>>
  /** `Session`: when each role's live stream registered (cleared when it ends, or 24 h on). */
  readonly sessionAtMs: Partial<Record<CrpRole, number>>
}

/** A sweep removes what is at or before each time (epoch ms). */
export interface SweepCutoffs { rowsFirstAtOrBefore: number, parkedAtOrBefore: number, sessionsAtOrBefore: number }
export interface SweepCounts { rows: number, parked: number, sessions: number }

/** RestoreConnections, injected so this logic stays pure (relay/restore-store.ts is the SQLite one). */
export interface RestoreStore {
  /** Rows held now. */
  readonly size: number
  get(token: Uint8Array): RestoreRow | undefined
  /** Upsert (§9.2): refresh `Timestamp`, set the role's `Session`, keep `parked` as its newest. */
  register(token: Uint8Array, role: CrpRole, parked: Sealed | undefined, nowMs: number): RestoreRow
  clearSession(token: Uint8Array, role: CrpRole): void
  /** Every `Session` marker: no stream survives a restart. */
  clearAllSessions(): void
  delete(token: Uint8Array): void
  sweep(cutoffs: SweepCutoffs): Promise<SweepCounts>
}
