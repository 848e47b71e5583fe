// A file storage whose chunk reads (sender) or chunk writes (receiver) stop at a given chunk until
// released: the fault that holds a transfer mid-way (test/integration/files.test.ts, files-tcp.test.ts).
// Also a sender whose whole-file hash of an offer sees the file changed (`staleWholeHash`).
import { createHash } from 'node:crypto'
import { FileStorage } from '../../peer/index.js'
import type { FileTransferStorage } from '../../peer/core/files/file-transfers.js'
import { FILES_CHUNK_BYTES, type Sha256State } from '../../protocols/files/index.js'

/** A FileStorage whose file reads stop at chunk `gateAt` until released: the fault that cuts a transfer mid-way. */
export class GatedStorage extends FileStorage {
  gateAt?: number
  hit?: () => void
  /** The chunk server's read of this chunk fails once (an I/O error on the sender's disk). */
  failOnceAt?: number
  /** Receiver: the write of this chunk waits until released (`writeHit` is called when it is reached). */
  writeGateAt?: number
  writeHit?: () => void
  /**
   * Sender: the next offers' whole-file SHA-256 sees the file's first byte changed, as when the file
   * on disk changes between the pass that hashed its chunks and the whole-file hash. Every chunk then
   * passes its check and the whole file fails it (docs/protocol.md §17.4 item 5).
   */
  staleWholeHash = false
  private release?: () => void
  readonly released = new Promise<void>((resolve) => { this.release = resolve })

  open (): void { this.gateAt = undefined; this.writeGateAt = undefined; this.release?.() }

  override async openFileTransfers (): Promise<FileTransferStorage> {
    const inner = await super.openFileTransfers()
    const self = this
    return {
      chunkSha256: inner.chunkSha256,
      get sha256State (): (() => Sha256State) | undefined {
        return self.staleWholeHash ? staleSha256 : inner.sha256State
      },
      list: async () => await inner.list(),
      save: async (r) => { await inner.save(r) },
      preparePart: async (r, dir) => { await inner.preparePart(r, dir) },
      openSink: async (r) => {
        const sink = await inner.openSink(r)
        return {
          write: async (index, data) => {
            if (this.writeGateAt === index) { this.writeHit?.(); await this.released }
            await sink.write(index, data)
          },
          checkpoint: async (next) => { await sink.checkpoint(next) },
          sha256: async () => await sink.sha256(),
          finish: async () => await sink.finish(),
          close: async () => { await sink.close() }
        }
      },
      openSource: async (ref) => {
        const src = await inner.openSource(ref)
        return {
          ...src,
          readAt: async (offset, length) => {
            // Offers read the file too; only the chunk server's reads (after the offer) are gated.
            if (this.gateAt != null && this.hit != null && offset >= this.gateAt * FILES_CHUNK_BYTES) { this.hit(); await this.released }
            if (this.failOnceAt != null && offset === this.failOnceAt * FILES_CHUNK_BYTES) {
              this.failOnceAt = undefined
              throw new Error('EIO: i/o error, read')
            }
            return await src.readAt(offset, length)
          }
        }
      }
    }
  }
}

/** A SHA-256 that hashes its first byte flipped: the whole file as it was a moment later. */
function staleSha256 (): Sha256State {
  const hash = createHash('sha256')
  let first = true
  return {
    update: (data) => {
      if (first && data.length > 0) {
        first = false
        const changed = Uint8Array.from(data)
        changed[0] ^= 0xff
        hash.update(changed)
      } else {
        hash.update(data)
      }
    },
    hex: () => hash.digest('hex')
  }
}
