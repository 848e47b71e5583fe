// FileTransferStorage in the browser (docs/protocol.md §17.4): an IndexedDB database of its own beside
// the profile's (`<name>-files`) with the transfer records, the received chunks (one Blob per chunk,
// key [transfer, index]) and the files this side offers. Chunks are written relaxed and each record
// strict: one database orders its transactions, so a record that survived says its chunks did too,
// and a reload resumes at the recorded `next` (openSink drops whatever lies past it). A finished
// download stays as its chunks; `blobOf` assembles them into one Blob (disk-backed, not read into memory).
//
// Offered files: the picked File is kept in this tab, and copied into IndexedDB when it is at most
// STORED_SOURCE_MAX_BYTES, so an offer survives a reload. A larger one lives only as long as the tab:
// after a reload its record reads as failed (the receiver is then told UNKNOWN_FILE, §17.4). The
// copy is deleted when the transfer fails; a sent one is kept (nothing removes transfers yet).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import { sodium, toHex } from '../../protocols/crypto/index.js'
import { FileIntegrityError } from '../../protocols/files/index.js'
import { FileInputError, type FileSinkHandle, type FileSourceHandle, type FileTransferStorage, type TransferRecord } from '../core/files/file-transfers.js'

/** Bump with a new `if (oldVersion < N)` step in `upgrade`, never by editing an old step. */
const DB_VERSION = 1
/** Offered files up to this size are copied into IndexedDB (kept across a reload); larger ones stay in the tab only. */
export const STORED_SOURCE_MAX_BYTES = 256 * 1024 * 1024
/** The refs `register` hands out: a stored copy, or only this tab's File. */
const STORED = 'indexeddb:'
const TAB = 'tab:'
export const TAB_SOURCE_GONE = 'The file was only held by the page, which has been reloaded since: offer it again.'

/** A record as stored: the engine's, plus when this side first saw it (the view's order). */
interface TransferRow extends TransferRecord { firstSeenMs: number }

interface FilesDb extends DBSchema {
  transfers: { key: string, value: TransferRow }
  /** Received chunks, verified by the engine before they are written. */
  chunks: { key: [string, number], value: Blob }
  /** Offered files kept across a reload, by ref. */
  sources: { key: string, value: { name: string, blob: Blob } }
}

/** Bytes moved so far: received (`in`, written) or read for the contact (`out`); `ref` while an offer is still being hashed. */
export interface TransferProgress { id?: string, ref?: string, direction: 'in' | 'out', bytes: number }

export class IndexedDbFileTransferStorage implements FileTransferStorage {
  private readonly tabSources = new Map<string, { name: string, blob: Blob }>()
  /** Which transfer an offered ref belongs to (for progress). */
  private readonly refToId = new Map<string, string>()
  private readonly firstSeen = new Map<string, number>()
  private readonly listeners = new Set<(p: TransferProgress) => void>()

  private constructor (private readonly db: IDBPDatabase<FilesDb>) {}

  static async open (profileDbName: string): Promise<IndexedDbFileTransferStorage> {
    const db = await openDB<FilesDb>(`${profileDbName}-files`, DB_VERSION, {
      upgrade (db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('transfers', { keyPath: 'id' })
          db.createObjectStore('chunks')
          db.createObjectStore('sources')
        }
      },
      blocking () { db.close() }
    })
    return new IndexedDbFileTransferStorage(db)
  }

  /** Told of every chunk written or read; returns the unsubscribe. */
  onProgress (fn: (p: TransferProgress) => void): () => void {
    this.listeners.add(fn)
    return () => { this.listeners.delete(fn) }
  }

  /**
   * Makes a picked file offerable: returns the ref to hand to FileTransfers.offer. Stored in
   * IndexedDB (survives a reload) when small enough and the quota allows, else kept by this tab only.
   */
  async register (file: Blob, name: string): Promise<string> {
    const id = toHex(sodium.randombytes_buf(16))
    if (file.size <= STORED_SOURCE_MAX_BYTES) {
      try {
        await this.db.put('sources', { name, blob: file }, STORED + id)
        return STORED + id
      } catch {} // over the quota: this tab keeps it
    }
    this.tabSources.set(TAB + id, { name, blob: file })
    return TAB + id
  }

  /** Forgets a registered file that was never offered (the offer was refused before it was stored). */
  async unregister (ref: string): Promise<void> {
    this.tabSources.delete(ref)
    if (ref.startsWith(STORED)) await this.db.delete('sources', ref)
  }

  /** True when the ref's file lives only as long as this tab. */
  static tabOnly (ref: string | undefined): boolean {
    return ref?.startsWith(TAB) === true
  }

  /** When this side first saw the transfer (ms), for ordering; undefined if unknown. */
  firstSeenMs (id: string): number | undefined {
    return this.firstSeen.get(id)
  }

  async list (): Promise<TransferRecord[]> {
    const out: TransferRecord[] = []
    for (const { firstSeenMs, ...r } of await this.db.getAll('transfers')) {
      this.firstSeen.set(r.id, firstSeenMs)
      let record: TransferRecord = r
      // A tab-only file this tab does not hold (it was reloaded): nothing here can serve it. Not
      // written back: another open tab of the profile may still hold it; the engine's next save does.
      if (r.direction === 'out' && (r.state === 'offered' || r.state === 'progress') && IndexedDbFileTransferStorage.tabOnly(r.source) && !this.tabSources.has(r.source!)) {
        record = { ...r, state: 'failed', error: TAB_SOURCE_GONE }
      }
      if (record.source != null) this.refToId.set(record.source, record.id)
      out.push(record)
    }
    return out.sort((a, b) => (this.firstSeen.get(a.id) ?? 0) - (this.firstSeen.get(b.id) ?? 0))
  }

  async save (record: TransferRecord): Promise<void> {
    if (!/^[0-9a-f]{32}$/.test(record.id)) throw new Error('bad transfer id')
    let firstSeenMs = this.firstSeen.get(record.id)
    if (firstSeenMs == null) {
      firstSeenMs = Date.now()
      this.firstSeen.set(record.id, firstSeenMs)
    }
    if (record.source != null) this.refToId.set(record.source, record.id)
    // Strict: this record vouches for the chunks written before it (see the top of the file).
    const tx = this.db.transaction('transfers', 'readwrite', { durability: 'strict' })
    await tx.store.put({ ...record, firstSeenMs })
    await tx.done
    // Never to be served: the stored copy is no longer needed. A done one is kept: a receiver that
    // reloaded before its last checkpoint pulls the last chunks again (the engine serves a done file).
    if (record.direction === 'out' && record.state === 'failed' && record.source != null) {
      this.tabSources.delete(record.source)
      if (record.source.startsWith(STORED)) await this.db.delete('sources', record.source)
    }
  }

  async openSource (ref: string): Promise<FileSourceHandle> {
    const source = this.tabSources.get(ref) ?? (ref.startsWith(STORED) ? await this.db.get('sources', ref) : undefined)
    if (source == null) throw new Error(IndexedDbFileTransferStorage.tabOnly(ref) ? TAB_SOURCE_GONE : 'The offered file is no longer kept in this browser.')
    const { blob } = source
    return {
      name: source.name,
      size: blob.size,
      readAt: async (offset, length) => {
        const data = new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer())
        const id = this.refToId.get(ref)
        this.tell(id != null ? { id, direction: 'out', bytes: offset + data.length } : { ref, direction: 'out', bytes: offset + data.length })
        return data
      },
      close: async () => {}
    }
  }

  async preparePart (record: TransferRecord): Promise<void> {
    // Refused before anything is pulled when the browser says there is no room (an estimate: other sites share the disk).
    const estimate = await navigator.storage?.estimate?.().catch(() => undefined)
    if (estimate?.quota != null && estimate.usage != null && estimate.quota - estimate.usage < record.offer.size) {
      throw new FileInputError(`Not enough room in this browser for ${record.offer.name}: it needs ${record.offer.size} bytes, about ${Math.max(0, estimate.quota - estimate.usage)} are free.`)
    }
    // Nothing of an earlier attempt may count as received.
    await this.db.delete('chunks', IDBKeyRange.bound([record.id, 0], [record.id, Infinity]))
    record.partPath = `${STORED}${record.id}`
  }

  async openSink (record: TransferRecord): Promise<FileSinkHandle> {
    const { id, offer } = record
    // Chunks past the recorded resume point were never vouched for: the pull asks for them again.
    await this.db.delete('chunks', IDBKeyRange.bound([id, record.next], [id, Infinity]))
    return {
      write: async (index, data) => {
        try {
          const tx = this.db.transaction('chunks', 'readwrite', { durability: 'relaxed' })
          await tx.store.put(new Blob(data instanceof Uint8Array ? [data as Uint8Array<ArrayBuffer>] : [...data] as Array<Uint8Array<ArrayBuffer>>), [id, index])
          await tx.done
        } catch (err: any) {
          // Retrying at every session would fail the same way: the engine ends the transfer as failed with these words.
          if (err?.name === 'QuotaExceededError') throw new FileIntegrityError('This browser ran out of storage room for the file; the download stopped.')
          throw err
        }
        this.tell({ id, direction: 'in', bytes: index * offer.chunkBytes + data.byteLength })
      },
      // Each write has committed when it resolves; the strict record save that follows makes them durable.
      checkpoint: async () => {},
      sha256: async () => {
        const whole = sodium.crypto_hash_sha256_init()
        for (let i = 0; i < offer.chunkCount; i++) {
          const chunk = await this.db.get('chunks', [id, i])
          if (chunk == null) return '' // a chunk is missing: cannot match the offer
          sodium.crypto_hash_sha256_update(whole, new Uint8Array(await chunk.arrayBuffer()))
        }
        return toHex(sodium.crypto_hash_sha256_final(whole))
      },
      finish: async () => `${STORED}${id}`,
      close: async () => {}
    }
  }

  /** A finished download as one Blob (undefined unless every chunk is here). */
  async blobOf (id: string): Promise<Blob | undefined> {
    const record = await this.db.get('transfers', id)
    if (record == null || record.direction !== 'in' || record.state !== 'done') return undefined
    const chunks = await this.db.getAll('chunks', IDBKeyRange.bound([id, 0], [id, Infinity]))
    if (chunks.length !== record.offer.chunkCount) return undefined
    return new Blob(chunks)
  }

  close (): void {
    this.db.close()
  }

  private tell (p: TransferProgress): void {
    for (const fn of this.listeners) fn(p)
  }
}
