// `/gini/contact/1` — contact sync (PROTOCOL.md §4). Limits are named, with their unit.

/** Protocol id (§4). */
export const CONTACT_PROTOCOL = '/gini/contact/1'

/** §4 "Frame limit 1 MiB": a longer declared frame is refused before its body is read (§0). */
export const CONTACT_FRAME_MAX_BYTES = 1024 * 1024

/** §4 "vCard 4.0 (RFC 6350) text, ≤ 256 KiB", counted as UTF-8 bytes. */
export const VCARD_MAX_BYTES = 256 * 1024

/** §4 "`ppk` 32 bytes": the permanent X25519 public key. */
export const PPK_BYTES = 32

/** §4 binding = H(32, …): 32 bytes. */
export const BINDING_BYTES = 32

/**
 * Local deadline for the whole exchange (both cards and the closing handshake). §4 sets none; the
 * pairing connection is already up and both cards go out at once, so this only catches a stalled
 * peer. The glue turns it into `AbortSignal.timeout(...)`; the logic owns no timers (STYLE.md).
 */
export const CONTACT_EXCHANGE_TIMEOUT_MS = 30_000
