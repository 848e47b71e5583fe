// `/gini/contact/1` — contact sync (docs/protocol.md §7). Limits are named, with their unit.

/** Protocol id (§7). */
export const CONTACT_PROTOCOL = '/gini/contact/1'

/** §3.2: 1 MiB; a longer declared frame is refused before its body is read. */
export const CONTACT_FRAME_MAX_BYTES = 1024 * 1024

/** §7 "vCard 4.0 (RFC 6350), ≤ 256 KiB as UTF-8". */
export const VCARD_MAX_BYTES = 256 * 1024

/** §7 "`ppk` is 32 bytes": the permanent X25519 public key. */
export const PPK_BYTES = 32

/** §7 binding = H(32, …): 32 bytes. */
export const BINDING_BYTES = 32

/**
 * Local deadline for the whole exchange (both cards and the closing handshake). §7 sets none; the
 * pairing connection is already up and both cards go out at once, so this only catches a stalled
 * peer. The glue turns it into `AbortSignal.timeout(...)`; the logic owns no timers.
 */
export const CONTACT_EXCHANGE_TIMEOUT_MS = 30_000
