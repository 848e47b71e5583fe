// /gini/fc/1 — pairing through the relay (docs/protocol.md §6). Shared by the peer and the relay (GSS):
// the wire sizes and the protocol id are what both ends must agree on; the GSS_* values below are
// the relay's defaults, each overridable in the relay's options.

/** Protocol id of the pairing exchange (docs/protocol.md §6). */
export const FC_PROTOCOL = '/gini/fc/1'

/** Largest frame either end accepts on /gini/fc/1, checked before reading the body (§3.2: 16 KiB). */
export const FC_FRAME_MAX_BYTES = 16 * 1024

/** Whole exchange: at most 180 s from `Create` (§6.5 rule 7; each peer counts its own 180 s, §6.6). */
export const PAIRING_TTL_MS = 180_000

/** `lookup = H(3, …)`: 24 bits sent to the relay (§5). */
export const LOOKUP_BYTES = 3

/** `sid`: 16 random bytes in `Create`/`Join`, echoed in `Matched` (§6.2). */
export const SID_BYTES = 16

/** `TempKey.share`: a CPace ristretto255 share (§6.7). */
export const SHARE_BYTES = 32

/** `Mfc.mac`: `H(32, …)` (§6.8). */
export const MFC_BYTES = 32

// ---- relay (GSS) defaults, §6.5 ------------------------------------------------------------

/** A stream must deliver its first frame (`Create` or `Join`) within this time, else it is closed. */
export const GSS_FIRST_FRAME_TIMEOUT_MS = 10_000

/** A frame whose first byte arrived must be complete within this time, else its stream is reset (docs/protocol.md §3.2). */
export const GSS_FRAME_TIMEOUT_MS = 10_000

/** A frame forwarded to a side that does not read it within this time counts as that side leaving. */
export const GSS_WRITE_TIMEOUT_MS = 10_000

/** After the relay ends a stream (Error sent, or both Done), the peer has this long to close its side before a reset. */
export const GSS_CLOSE_GRACE_MS = 5_000

/** Bound on live NewConnections rows (§6.5 rule 9): past it new `Create`s get `RATE_LIMITED`, live rows are never evicted. */
export const GSS_MAX_PENDING_PAIRINGS = 10_000
