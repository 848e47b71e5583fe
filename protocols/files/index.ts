// `/gini/files/1` — file transfer between contacts (docs/protocol.md §17).
import type { Stream } from '@libp2p/interface'
import { frameChannel, FRAME_TIMEOUT_MS, systemClock } from '../common/index.js'
import { FILES_FRAME_MAX_BYTES, FILES_READ_BUFFER_BYTES } from './constants.js'
import { FilesMessage } from './pb/files.js'
import type { FilesChannel } from './peer.js'

export * from './constants.js'
export {
  buildOffer, chunkCountOf, chunkLength, offerFromWire, offerToWire, sanitizeFileName, sha256Hex,
  type ChunkHash, type OfferHashing, type OfferRecord, type ReadAt, type Sha256State
} from './offer.js'
export {
  acceptFiles, chunkFrameParts, chunkOfFrameBody, pullFile, sendDecline, sendOffer, FileIntegrityError, FileRefusedError,
  type AcceptFilesOptions, type AnswerStatus, type ChunkBytes, type ChunkSink, type ChunkSource, type FilesChannel, type PullOptions
} from './peer.js'
export { FilesMessage, FileOffer, FileAnswer, FileRequest, FileChunk, FileDecline, FileStatus } from './pb/files.js'

/** A framed `/gini/files/1` channel on `stream` with the §17.2 frame limit and room for the §17.4 window. */
export function filesChannel (stream: Stream): FilesChannel {
  return frameChannel(stream, FilesMessage, FILES_FRAME_MAX_BYTES, { clock: systemClock, ms: FRAME_TIMEOUT_MS }, FILES_READ_BUFFER_BYTES)
}
