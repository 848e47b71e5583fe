// A file storage whose chunk reads (sender) or chunk writes (receiver) stop at a given chunk until
// released: the fault that holds a transfer mid-way (test/integration/files.test.ts, files-tcp.test.ts).
import { FileStorage } from '../../peer/index.js'
import type { FileTransferStorage } from '../../peer/core/files/file-transfers.js'
import { FILES_CHUNK_BYTES } from '../../protocols/files/index.js'

/** A FileStorage whose file reads stop at chunk `gateAt` until released: the fault that cuts a transfer mid-way. */
export class GatedStorage extends FileStorage {
  gateAt?: number
  hit?: () => void
  /** The chunk server's read of this chunk fails once (an I/O error on the sender's disk). */
  failOnceAt?: number
  /** Receiver: the write of this chunk waits until released (`writeHit` is called when it is reached). */
  writeGateAt?: number
  writeHit?: () => void
  private release?: () => void
  readonly released = new Promise<void>((resolve) => { this.release = resolve })

  open (): void { this.gateAt = undefined; this.writeGateAt = undefined; this.release?.() }

  override async openFileTransfers (): Promise<FileTransferStorage> {
    const inner = await super.openFileTransfers()
    return {
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
