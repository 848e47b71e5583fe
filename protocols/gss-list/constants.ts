// `/gini/gss/list/1` — the relay list (docs/protocol.md §22.1). Shared by peers and relays; limits
// are named, with their unit.

/** Protocol id (§22.1). */
export const GSS_LIST_PROTOCOL = '/gini/gss/list/1'

/** §22.1: a reply lists at most this many relays; a longer one is a violation. */
export const GSS_LIST_MAX_RELAYS = 256

/** §22.1: at most this many addresses per relay entry. */
export const GSS_LIST_MAX_ADDRS = 4

/** Longest multiaddr accepted in an entry, in bytes (a /dns4/…/tcp/443/wss/p2p/… address fits easily). */
export const GSS_LIST_MAX_ADDR_BYTES = 256

/** §3.2: 256 entries × (38-byte id + 4 × 256-byte addresses + framing) stay below this. */
export const GSS_LIST_FRAME_MAX_BYTES = 320 * 1024

/** §22.1: the whole request (open stream → reply read) must finish within this time. */
export const GSS_LIST_REQUEST_TIMEOUT_MS = 5_000

/** §22.1: relays look for providers of the service key, and check them, this often. */
export const GSS_LIST_REFRESH_MS = 10_000
