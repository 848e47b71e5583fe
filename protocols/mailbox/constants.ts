// /gini/mailbox/1 — relay mailbox for offline delivery (docs/protocol.md §16). Shared by peers and the relay.

/** Protocol id (§16). */
export const MAILBOX_PROTOCOL = '/gini/mailbox/1'

/** Largest frame either end accepts (§16.3): one blob of the largest bucket with its framing fits. */
export const MAILBOX_FRAME_MAX_BYTES = 20 * 1024

/** `token(day, d) = H(32, …)` (§16.1). */
export const MAILBOX_TOKEN_BYTES = 32

/** Chain and message keys are `H(32, …)` (§16.2). */
export const MAILBOX_KEY_BYTES = 32

/** One mailbox day: `day = floor(unix_ms / 86 400 000)` (§16.1). */
export const MAILBOX_DAY_MS = 86_400_000

/** A receiver fetches the tokens of this many days, today included (§16.1). */
export const MAILBOX_FETCH_DAYS = 7

/** Padded plaintext sizes (§16.4): a sealed blob is one of these plus the 16-byte tag. */
export const MAILBOX_BUCKETS_BYTES = [256, 1024, 4096, 16384] as const

/** XChaCha20-Poly1305 tag (§16.4). */
export const MAILBOX_TAG_BYTES = 16

/** A receiver keeps at most this many skipped message keys per chain, and skips at most this far ahead (§16.2). */
export const MAILBOX_MAX_SKIPPED_KEYS = 1000

/** A blob lives this long on the relay from its deposit (§16.5). */
export const MAILBOX_BLOB_TTL_MS = 7 * MAILBOX_DAY_MS

/** Tokens in one `Fetch` (§16.3): 7 days × 2 SharedSecrets fits with room. */
export const MAILBOX_MAX_FETCH_TOKENS = 32

/** Ids in one `Delete` (§16.3). */
export const MAILBOX_MAX_DELETE_IDS = 1024

/** Requests on one stream before the relay closes it (§16.3). */
export const MAILBOX_MAX_REQUESTS_PER_STREAM = 16

/** Defaults of the relay's bounds (§16.5); each is a relay setting. */
export const MAILBOX_MAX_BLOB_BYTES = 16384 + MAILBOX_TAG_BYTES
export const MAILBOX_MAX_BLOBS_PER_TOKEN = 256
export const MAILBOX_MAX_BYTES_PER_TOKEN = 1024 * 1024
export const MAILBOX_MAX_DEPOSITS_PER_IP_PER_HOUR = 600
export const MAILBOX_MAX_TOTAL_BYTES = 1024 * 1024 * 1024
