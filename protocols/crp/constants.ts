// /gini/crp/1 — Connection Restore Protocol (docs/protocol.md §9). Shared by peers and the relay.

/** Protocol id (§9). */
export const CRP_PROTOCOL = '/gini/crp/1'

/** Largest frame either end accepts, checked before reading the body (§3.2: 16 KiB). */
export const CRP_FRAME_MAX_BYTES = 16 * 1024

/** `token(ss) = H(32, …)` (§9.1). */
export const CRP_TOKEN_BYTES = 32

/** `Challenge.nonce`: 32 random bytes (§9.1). */
export const CRP_NONCE_BYTES = 32

/** `Proof.mac`: `H(32, …)` (§9.1). */
export const CRP_PROOF_BYTES = 32

/** A matched run must finish within this time after `Matched` (§9.2: EXPIRED to both 180 s after Matched). */
export const CRP_MATCHED_TTL_MS = 180_000

/** A registration stream may wait at most this long before the relay closes it (§9.2: the relay "MAY close a stream unmatched for 300 s"). */
export const CRP_MAX_WAIT_MS = 300_000

/** A parked offer is kept for 24 h from its Register (§9.2), and peers ignore older ones. */
export const CRP_PARKED_TTL_MS = 24 * 3600_000

/** `Session` (the waiting stream) is cleared 24 h after it was set (§9.2). */
export const CRP_SESSION_TTL_MS = 24 * 3600_000

/** Rows expire 365 days after the first registration (§9.2). */
export const CRP_ROW_TTL_MS = 365 * 24 * 3600_000

/** Default bound on RestoreConnections rows (§9.2). */
export const CRP_MAX_ROWS = 1_000_000

/** Default bound on new rows per IP per day (§9.2). */
export const CRP_MAX_NEW_ROWS_PER_IP_PER_DAY = 1_000
