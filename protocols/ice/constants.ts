// `/gini/ice/1` — ICE servers from the relay (docs/protocol.md §14). Shared by peers and the relay.
// Limits are named, with their unit.

/** Protocol id (§14). */
export const ICE_PROTOCOL = '/gini/ice/1'

/** §3.2, 4 KiB: a few URLs and one credential; longer frames are refused before reading. */
export const ICE_FRAME_MAX_BYTES = 4 * 1024

/** §14: at most this many `IceServer` entries in a reply (a relay lists a STUN and a TURN entry). */
export const ICE_MAX_SERVERS = 4

/** §14: at most this many URLs over all entries (bounds where a hostile relay can point a peer's ICE). */
export const ICE_MAX_URLS = 8

/** §14: longest URL, username or credential, in characters. */
export const ICE_MAX_FIELD_CHARS = 256

/** §14: a reply claiming credentials valid longer than this is a violation (coturn's REST API uses ≤ 24 h). */
export const ICE_MAX_TTL_MS = 24 * 3600_000

/** §14: the peer's whole request (open stream → reply read) must finish within this time, else it uses none. */
export const ICE_REQUEST_TIMEOUT_MS = 5_000

/**
 * §14: the relay's default credential life. coturn checks the timestamp only when an allocation is
 * created (coturn/coturn#774), so a connection outlives its credential; the TTL only bounds reuse.
 */
export const ICE_CREDENTIAL_TTL_MS = 3600_000

/**
 * §14: a peer asks again once less than this share of the TTL is left (at most ICE_REFRESH_MARGIN_MAX_MS),
 * so a credential never reaches coturn expired because of a slow dial.
 */
export const ICE_REFRESH_MARGIN_RATIO = 0.5
export const ICE_REFRESH_MARGIN_MAX_MS = 60_000

/** §14: URL schemes a peer accepts; anything else is a violation. */
export const ICE_URL_SCHEMES = ['stun:', 'stuns:', 'turn:', 'turns:'] as const
