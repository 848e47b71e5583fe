// `/gini/files/1` — file transfer between contacts (docs/protocol.md §17). Limits are named, with their unit.

/** Protocol id (§17). */
export const FILES_PROTOCOL = '/gini/files/1'

/** §17.2: a longer declared frame is refused before its body is read (§3.2); fits the largest offer. */
export const FILES_FRAME_MAX_BYTES = 1024 * 1024

/** §17.2: every file id is 16 random bytes. */
export const FILES_ID_BYTES = 16

/** §17.2: every hash is SHA-256. */
export const FILES_HASH_BYTES = 32

/** §17.2: the chunk size a sender uses (the receiver accepts any in the range below). */
export const FILES_CHUNK_BYTES = 512 * 1024
export const FILES_CHUNK_MIN_BYTES = 16 * 1024
export const FILES_CHUNK_MAX_BYTES = 512 * 1024

/** §17.2: chunks per file, so the offer's hash list fits one frame (16 384 × 34 bytes ≈ 544 KiB). */
export const FILES_MAX_CHUNKS = 16_384

/** §17.2: a name, as UTF-8, after sanitizing. */
export const FILES_NAME_MAX_BYTES = 255

/** §17.4: a chunk whose hash does not match is fetched again at most this many times. */
export const FILES_CHUNK_RETRIES = 3

/** §17.4: a pull stream with requests outstanding and no frame for this long is ended and pulled again. */
export const FILES_CHUNK_TIMEOUT_MS = 15_000

/** §17.4: requests the receiver keeps in flight on one pull stream (the sender answers in order). */
export const FILES_PULL_WINDOW = 16

/**
 * §17.4: unread bytes a files stream may hold: every chunk of the window at the largest chunk size
 * with its frame overhead, plus one largest frame. A fast link (TCP, §17.6) delivers the whole window
 * before the receiver has checked the first chunk; more than this is a sender ignoring the window.
 */
export const FILES_READ_BUFFER_BYTES = FILES_PULL_WINDOW * (FILES_CHUNK_MAX_BYTES + 64) + FILES_FRAME_MAX_BYTES

/** §17.3: the receiver's default size limit; each receiver may set its own. */
export const FILES_DEFAULT_MAX_BYTES = 4 * 1024 * 1024 * 1024

/**
 * §17.1: the largest file sent over a relayed circuit, and then only if the user allows it: the
 * relay limits bytes per circuit (8 MiB by default) to protect itself.
 */
export const FILES_RELAYED_MAX_BYTES = 1024 * 1024

/** §17.3: offers one contact may have waiting for this side's user; more are answered DECLINED. */
export const FILES_MAX_PENDING_OFFERS = 32

/** Streams per connection: an offer stream and a pull stream each way, and one more while one closes. */
export const FILES_MAX_INBOUND_STREAMS = 4
export const FILES_MAX_OUTBOUND_STREAMS = 4

/** §17.3: the offer stream's answer must come within this time. */
export const FILES_ANSWER_TIMEOUT_MS = 15_000
