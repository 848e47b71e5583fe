// `/gini/session/1` — SharedSecret and address updates (docs/protocol.md §8). Limits are named,
// with their unit.

/** Protocol id (§8). */
export const SESSION_PROTOCOL = '/gini/session/1'

/** §3.2: 72 KiB (a CardUpdate with a 64 KiB photo, §19); a longer declared frame is refused before its body is read. */
export const SESSION_FRAME_MAX_BYTES = 72 * 1024

/** §8.1: E_I, E_R (X25519 public keys) are 32 bytes; the peer's PPK too. */
export const SESSION_KEY_BYTES = 32

/** §8.2 confirm_X = H(32, …): 32 bytes. */
export const SESSION_CONFIRM_BYTES = 32

/** §8.2 SharedSecret = H(64, …): 512 bits. */
export const SHARED_SECRET_BYTES = 64

/**
 * Local deadline for one handshake (hello → reply → confirm → R's close). §8 sets none; three small
 * frames on a live connection, so this only catches a stalled peer. The glue makes the signal.
 */
export const SESSION_HANDSHAKE_TIMEOUT_MS = 20_000

/** Local deadline for sending, or reading, one AddressUpdate stream (§8.4). */
export const ADDRESS_UPDATE_TIMEOUT_MS = 10_000

/** §19 CardUpdate bounds: name 1..64 bytes of UTF-8, email at most 254 bytes, photo at most 64 KiB. */
export const CARD_UPDATE_NAME_MAX_BYTES = 64
export const CARD_UPDATE_EMAIL_MAX_BYTES = 254
export const CARD_UPDATE_PHOTO_MAX_BYTES = 64 * 1024

/** Local deadline for sending, or reading, one CardUpdate stream (§19). */
export const CARD_UPDATE_TIMEOUT_MS = 10_000
