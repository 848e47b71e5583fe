// `/gini/chat/1` — messages between contacts (docs/protocol.md §15). Limits are named, with their unit.

/** Protocol id (§15). */
export const CHAT_PROTOCOL = '/gini/chat/1'

/** §15.2: a longer declared frame is refused before its body is read (§3.2). */
export const CHAT_FRAME_MAX_BYTES = 16 * 1024

/** §15.2: `content` as UTF-8; the sender refuses a longer text, it never cuts one. */
export const CHAT_CONTENT_MAX_BYTES = 4096

/** §15.2: every envelope id, and every `target`, is 16 random bytes. */
export const CHAT_ID_BYTES = 16

/** §15.2: ids in one ChatAck. */
export const CHAT_ACK_MAX_IDS = 64

/** §15.4: a reaction names one emoji short code, or is empty to remove this author's reaction. */
export const CHAT_REACTION_PATTERN = /^:[a-z0-9_+-]{1,32}:$/

/** Concurrent chat streams per connection: one each way (§15.1), and one more while an old one closes. */
export const CHAT_MAX_INBOUND_STREAMS = 2
export const CHAT_MAX_OUTBOUND_STREAMS = 2

/** A written envelope that is not acknowledged within this time counts as a broken stream. */
export const CHAT_ACK_TIMEOUT_MS = 15_000
