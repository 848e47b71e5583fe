// File transfer with contacts (docs/protocol.md §17) on top of the daemon's links: an offer goes to
// the contact on its own stream; once the user accepts, the receiver pulls the chunks over the
// direct link (a relayed one only for small files, and only if the user allows it, §17.1),
// verifying each, and resumes after a disconnect or restart from its recorded state. The platform's
// file access comes in through FileTransferStorage (peer/adapters/file-transfer-storage.ts in Node).
import type { Connection, Stream } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { sodium } from '../../../protocols/crypto/index.js'
import { isDirectConnection, linkKindOf, LINK_RANK, type LinkKind } from '../dial-peer.js'
import { RetryLadder } from '../retry-ladder.js'
import {
  FILES_DEFAULT_MAX_BYTES, FILES_ID_BYTES, FILES_MAX_PENDING_OFFERS, FILES_MAX_OUTBOUND_STREAMS, FILES_PROTOCOL, FILES_RELAYED_MAX_BYTES,
  FileIntegrityError, FileRefusedError, acceptFiles, buildOffer, filesChannel, pullFile, sendDecline, sendOffer,
  type ChunkHash, type ChunkSink, type ChunkSource, type OfferRecord, type ReadAt, type Sha256State
} from '../../../protocols/files/index.js'

const log = logger('gini:files')

export type TransferState = 'offered' | 'progress' | 'done' | 'failed'

/** One transfer, as persisted: enough to resume it after a restart. */
export interface TransferRecord {
  id: string
  contact: string
  direction: 'in' | 'out'
  offer: OfferRecord
  state: TransferState
  /** Receiver: the first chunk not yet durable on disk (§17.4 resume point). */
  next: number
  /** Sender: where the file is (a path in Node). */
  source?: string
  /** Receiver: the `.part` file, chosen when accepted; then the finished file. */
  partPath?: string
  path?: string
  error?: string
}

export interface FileSourceHandle {
  name: string
  size: number
  readAt: ReadAt
  close(): Promise<void>
}

export interface FileSinkHandle extends ChunkSink {
  /** Makes the file durable and moves it to its final name (never over an existing file); returns it. */
  finish(): Promise<string>
  close(): Promise<void>
}

/** The platform's side: transfer records and file bytes (Node: peer/adapters/file-transfer-storage.ts). */
export interface FileTransferStorage {
  list(): Promise<TransferRecord[]>
  save(record: TransferRecord): Promise<void>
  openSource(ref: string): Promise<FileSourceHandle>
  /** Picks (and records in `record.partPath`) a `.part` file for a new download. */
  preparePart(record: TransferRecord, dir?: string): Promise<void>
  /** Opens the `.part` file, dropping whatever lies past `record.next` chunks. */
  openSink(record: TransferRecord): Promise<FileSinkHandle>
  /** The platform's fastest SHA-256 of one chunk, for both ends (default: WebCrypto). */
  chunkSha256?: ChunkHash
  /** The platform's fastest SHA-256 fed piece by piece, for the offer's whole-file hash (default: libsodium). */
  sha256State?: () => Sha256State
}

export interface FileEvent {
  event: 'file'
  id: string
  contact: string
  direction: 'in' | 'out'
  name: string
  size: number
  state: TransferState
  /** The offer's SHA-256 of the whole file (hex). */
  sha256: string
  /** Receiver, in progress: bytes durable so far. */
  received?: number
  /** Receiver, in progress: the link the pull runs on (docs/protocol.md §17.6). */
  link?: LinkKind
  path?: string
  error?: string
}

/** What the user asked for cannot be done (not online, no direct link, nothing to accept). */
export class FileInputError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'FileInputError'
  }
}

export interface FileLink { connection: Connection, direct: boolean }

export interface FileTransfersInit {
  storage: FileTransferStorage
  emit: (event: FileEvent) => void
  linkOf: (contactId: string) => FileLink | undefined
  /** True once `connection` carries a confirmed session with this contact (§17.1), waiting briefly for one in progress. */
  sessionOn: (contactId: string, connection: Connection) => Promise<boolean>
  isContact: (contactId: string) => Promise<boolean>
  /** Largest file this side accepts (§17.3). */
  maxBytes?: number
  /** The user allows small files over a relayed circuit (§17.1). */
  allowRelayed?: boolean
}

const STREAM_OPEN_TIMEOUT_MS = 10_000
/** What the sender shows when the receiver ended the transfer as failed (§17.4 item 6). */
const RECEIVER_FAILED_TEXT = 'The contact\'s copy did not match the offered file (a SHA-256 check failed); the transfer failed. Offer it again.'
/**
 * A pull that ends on a transient error (a stream refused because the other side has not yet
 * stored the session, a stream reset) while the link stays up is tried again after these delays;
 * after the last one it waits for the next session.
 */
export const FILES_PULL_RETRY_DELAYS_MS = [250, 1_000, 3_000, 10_000]

/** A running pull, and the connection it runs on once it has one. */
interface Pull { ctl: AbortController, done: Promise<void>, connection?: Connection }

export class FileTransfers {
  private readonly init: FileTransfersInit
  private readonly records = new Map<string, TransferRecord>()
  private readonly pulls = new Map<string, Pull>()
  private readonly retries = new RetryLadder(FILES_PULL_RETRY_DELAYS_MS)
  private readonly sources = new Map<string, FileSourceHandle>()
  private loaded?: Promise<void>
  private stopped = false

  constructor (init: FileTransfersInit) {
    this.init = init
  }

  get maxBytes (): number {
    return this.init.maxBytes ?? FILES_DEFAULT_MAX_BYTES
  }

  async list (): Promise<TransferRecord[]> {
    await this.load()
    return [...this.records.values()].map(r => ({ ...r }))
  }

  async get (id: string): Promise<TransferRecord | undefined> {
    await this.load()
    const r = this.records.get(id)
    return r == null ? undefined : { ...r }
  }

  /** Offers the file at `source` to the contact (§17.3). Resolves once the contact answered. */
  async offer (contactId: string, source: string): Promise<TransferRecord> {
    await this.load()
    if (!await this.init.isContact(contactId)) throw new FileInputError('Not sent: not a contact (or the contact expired and needs a new pairing, or you blocked them: `gini contact unblock`).')
    const link = this.init.linkOf(contactId)
    if (link == null) throw new FileInputError('Not sent: the contact is not online; files go peer to peer only.')
    const file = await this.init.storage.openSource(source)
    let offer: OfferRecord
    try {
      this.checkPath(link, file.size)
      offer = await buildOffer(sodium.randombytes_buf(FILES_ID_BYTES), file.name, file.size, file.readAt, undefined, {
        chunk: this.init.storage.chunkSha256, whole: this.init.storage.sha256State
      })
    } finally {
      await file.close()
    }
    const record: TransferRecord = { id: offer.id, contact: contactId, direction: 'out', offer, state: 'offered', next: 0, source }
    await this.put(record)
    try {
      const stream = await this.openStream(link)
      const answer = await sendOffer(filesChannel(stream), offer, AbortSignal.timeout(15_000))
      if (answer.status !== 'pending') {
        const err = new FileRefusedError(answer.status, answer.maxBytes)
        await this.put({ ...record, state: 'failed', error: err.message })
        throw err
      }
    } catch (err: any) {
      if (!(err instanceof FileRefusedError)) await this.put({ ...record, state: 'failed', error: 'The offer could not be delivered.' })
      throw err
    }
    return { ...record }
  }

  /** Accepts an offer: the pull starts now if the contact is online, else at its next session. */
  async accept (offerId: string, dir?: string): Promise<TransferRecord> {
    await this.load()
    const r = this.records.get(offerId)
    if (r == null || r.direction !== 'in') throw new FileInputError('No such file offer.')
    if (r.state !== 'offered') throw new FileInputError(`This file is already ${r.state}.`)
    const next: TransferRecord = { ...r, state: 'progress', next: 0 }
    await this.init.storage.preparePart(next, dir)
    await this.put(next)
    this.startPull(next.id)
    return { ...next }
  }

  /** Declines an offer: nothing is pulled, the sender is told if it can be. */
  async decline (offerId: string): Promise<void> {
    await this.load()
    const r = this.records.get(offerId)
    if (r == null || r.direction !== 'in' || r.state !== 'offered') throw new FileInputError('No such pending file offer.')
    await this.put({ ...r, state: 'failed', error: 'Declined.' })
    const link = this.init.linkOf(r.contact)
    if (link == null) return
    try {
      await sendDecline(filesChannel(await this.openStream(link)), r.id, AbortSignal.timeout(STREAM_OPEN_TIMEOUT_MS))
    } catch (err: any) {
      log('could not tell the sender: %s', err?.name)
    }
  }

  /**
   * A contact came online, or got a better link: resume every accepted download from it. A pull
   * running on a worse link than the best one now (a TCP link came, §17.6 item 5) ends its stream at
   * the last verified chunk and pulls on from there over the new link.
   */
  linkUp (contactId: string): void {
    void this.load().then(() => {
      const best = this.init.linkOf(contactId)?.connection
      for (const r of this.records.values()) {
        if (r.contact !== contactId || r.direction !== 'in' || r.state !== 'progress') continue
        this.retries.cancel(r.id)
        const running = this.pulls.get(r.id)
        if (running?.connection != null && best != null && running.connection !== best &&
          LINK_RANK[linkKindOf(best)] < LINK_RANK[linkKindOf(running.connection)]) {
          running.ctl.abort(new Error('a better link came'))
          continue // the pull's end starts the next one (startPull)
        }
        this.startPull(r.id)
      }
    }).catch((err) => { log('resume failed: %s', err?.message) })
  }

  /** Resolves when the running pull of `id` (if any) ends. */
  async settled (id: string): Promise<void> {
    await this.pulls.get(id)?.done
  }

  /** An inbound /gini/files/1 stream: only from a contact with a session on this connection (§17.1, §15.1). */
  async handleInbound (stream: Stream, connection: Connection, contactId = connection.remotePeer.toString()): Promise<void> {
    if (this.stopped || !await this.init.sessionOn(contactId, connection) || !await this.init.isContact(contactId)) {
      stream.abort(new Error('not a contact with a session'))
      return
    }
    await this.load()
    try {
      await acceptFiles(filesChannel(stream), {
        onOffer: async (offer) => await this.offered(contactId, offer),
        source: async (fileId) => await this.sourceFor(contactId, fileId, connection),
        onDecline: async (fileId, failed) => {
          const r = this.records.get(fileId)
          if (r?.direction !== 'out' || r.contact !== contactId || r.state === 'done' || r.state === 'failed') return
          await this.put({ ...r, state: 'failed', error: failed ? RECEIVER_FAILED_TEXT : 'The contact declined the file.' })
          this.closeSource(fileId)
        },
        onChanged: (fileId) => {
          // §17.4 item 2: we answered CHANGED, so the receiver fails it and pulls it no more.
          const r = this.records.get(fileId)
          if (r?.direction !== 'out' || r.contact !== contactId || r.state === 'done' || r.state === 'failed') return
          void this.put({ ...r, state: 'failed', error: 'The file changed on disk after it was offered; offer it again.' }).catch(() => {})
          this.closeSource(fileId)
        },
        hash: this.init.storage.chunkSha256,
        onReceived: (fileId) => {
          const r = this.records.get(fileId)
          if (r == null || r.direction !== 'out' || r.contact !== contactId || r.state === 'done') return
          void this.put({ ...r, state: 'done', next: r.offer.chunkCount }).catch(() => {})
          this.closeSource(fileId)
        }
      })
    } catch (err: any) {
      // A failed read of the file must not leave the receiver waiting on a silent stream: reset
      // it, and its pull tries again (FILES_PULL_RETRY_DELAYS_MS).
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      log('inbound files stream ended: %s', err?.name ?? err)
    }
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.retries.cancelAll()
    for (const p of this.pulls.values()) p.ctl.abort(new Error('stopping'))
    await Promise.allSettled([...this.pulls.values()].map(async p => { await p.done }))
    for (const s of this.sources.values()) await s.close().catch(() => {})
    this.sources.clear()
  }

  // ---- inside -----------------------------------------------------------------------------------

  private closeSource (fileId: string): void {
    const file = this.sources.get(fileId)
    this.sources.delete(fileId)
    void file?.close().catch(() => {})
  }

  /**
   * §17.4 item 6: a transfer this side ended as failed is told to the sender (`decline` with
   * `failed`), best effort, on the link the pull used or the contact's best one, so it stops waiting.
   */
  private async tellSenderFailed (r: TransferRecord, used?: Connection): Promise<void> {
    const best = this.init.linkOf(r.contact)
    const link = used != null && used.status === 'open' ? { connection: used, direct: isDirectConnection(used) } : best
    if (link == null) return
    try {
      await sendDecline(filesChannel(await this.openStream(link)), r.id, AbortSignal.timeout(STREAM_OPEN_TIMEOUT_MS), true)
    } catch (err: any) {
      log('could not tell the sender the transfer failed: %s', err?.name)
    }
  }

  private async offered (contactId: string, offer: OfferRecord): Promise<{ status: 'pending' | 'too-large' | 'declined', maxBytes: number }> {
    if (offer.size > this.maxBytes) {
      this.emitOf({ id: offer.id, contact: contactId, direction: 'in', offer, state: 'failed', next: 0, error: `Refused: larger than ${this.maxBytes} bytes.` })
      return { status: 'too-large', maxBytes: this.maxBytes }
    }
    const known = this.records.get(offer.id)
    if (known == null) {
      // A contact cannot fill this side's disk with offers nobody looked at (§17.3).
      let pending = 0
      for (const r of this.records.values()) if (r.contact === contactId && r.direction === 'in' && r.state === 'offered') pending++
      if (pending >= FILES_MAX_PENDING_OFFERS) return { status: 'declined', maxBytes: this.maxBytes }
    }
    if (known == null) await this.put({ id: offer.id, contact: contactId, direction: 'in', offer, state: 'offered', next: 0 })
    return { status: 'pending', maxBytes: this.maxBytes }
  }

  private async sourceFor (contactId: string, fileId: string, connection: Connection): Promise<ChunkSource | undefined> {
    const r = this.records.get(fileId)
    if (r == null || r.direction !== 'out' || r.contact !== contactId || r.source == null || r.state === 'failed') return undefined
    if (!this.pathAllowed(connection, r.offer.size)) return undefined
    let file = this.sources.get(fileId)
    if (file == null) {
      file = await this.init.storage.openSource(r.source)
      this.sources.set(fileId, file)
    }
    if (r.state === 'offered') await this.put({ ...r, state: 'progress' })
    return { offer: r.offer, readAt: file.readAt }
  }

  /**
   * Starts the pull of `id` unless one runs. When a pull ends short of done or failed (its link
   * closed, or a better one came) and the contact's best link is another connection, the pull goes
   * on over that one from the recorded index (§17.4, §17.6 item 5); else it waits for a session.
   */
  private startPull (id: string): void {
    if (this.stopped || this.pulls.has(id)) return
    const ctl = new AbortController()
    const entry: Pull = { ctl, done: Promise.resolve() }
    entry.done = this.pull(id, ctl.signal, entry)
      .then(() => { this.retries.succeeded(id) }, (err) => {
        log('pull ended: %s', err?.message)
        // A link change (§17.6 item 5) is not a transient error of the link: pullOn below goes on.
        if (!(err instanceof FileIntegrityError || err instanceof FileRefusedError) && !ctl.signal.aborted) this.retryLater(id)
      })
      .finally(() => {
        if (this.pulls.get(id) === entry) this.pulls.delete(id)
        const used = entry.connection
        if (used == null || this.stopped || this.records.get(id)?.state !== 'progress') return
        // The stream may end a moment before its connection does: look again once it has.
        if (used.status !== 'closed' && used === this.bestConnection(id)) used.addEventListener('close', () => { this.pullOn(id, used) }, { once: true })
        else this.pullOn(id, used)
      })
    this.pulls.set(id, entry)
  }

  /** After a pull on `used` ended short: on, over the contact's best link, if that is another one. */
  private pullOn (id: string, used: Connection): void {
    const best = this.bestConnection(id)
    if (this.records.get(id)?.state !== 'progress' || best == null || best === used) return
    this.retries.cancel(id)
    this.startPull(id)
  }

  private bestConnection (id: string): Connection | undefined {
    const r = this.records.get(id)
    return r == null ? undefined : this.init.linkOf(r.contact)?.connection
  }

  private retryLater (id: string): void {
    const r = this.records.get(id)
    if (this.stopped || r?.state !== 'progress' || this.init.linkOf(r.contact) == null) return // the next session resumes it
    this.retries.schedule(id, () => { this.startPull(id) })
  }

  private async pull (id: string, signal: AbortSignal, entry: Pull): Promise<void> {
    let r = this.records.get(id)
    if (r == null) return
    const link = this.init.linkOf(r.contact)
    if (link == null) return // resumed at the next session
    if (!this.pathAllowed(link.connection, r.offer.size)) { log('no direct link for a large file: waiting'); return }
    entry.connection = link.connection
    const sink = await this.init.storage.openSink(r)
    try {
      const stream = await this.openStream(link)
      await pullFile(filesChannel(stream), r.offer, {
        write: async (index, data) => { await sink.write(index, data) },
        sha256: async () => await sink.sha256(),
        checkpoint: async (next) => {
          await sink.checkpoint(next)
          r = { ...this.records.get(id)!, next }
          await this.put(r)
        }
      }, { from: r.next, signal, hash: this.init.storage.chunkSha256 })
      const path = await sink.finish()
      await this.put({ ...r, state: 'done', path })
    } catch (err: any) {
      if (err instanceof FileIntegrityError || err instanceof FileRefusedError) {
        const failed: TransferRecord = { ...this.records.get(id)!, state: 'failed', error: err.message }
        await this.put(failed)
        // A refusal came from the sender, which knows; a failed check is ours alone to tell.
        if (err instanceof FileIntegrityError) await this.tellSenderFailed(failed, entry.connection)
      }
      throw err
    } finally {
      await sink.close().catch(() => {})
    }
  }

  /** §17.1: a direct link for any file; a relayed one only for small files and only when allowed. */
  private checkPath (link: FileLink, size: number): void {
    if (link.direct) return
    if (this.init.allowRelayed === true && size <= FILES_RELAYED_MAX_BYTES) return
    throw new FileInputError(this.init.allowRelayed === true
      ? `Not sent: only a direct link carries files over ${FILES_RELAYED_MAX_BYTES} bytes; waiting for one.`
      : 'Not sent: there is no direct link to the contact (sending through the relay is not allowed).')
  }

  private pathAllowed (connection: Connection, size: number): boolean {
    return isDirectConnection(connection) || (this.init.allowRelayed === true && size <= FILES_RELAYED_MAX_BYTES)
  }

  private async openStream (link: FileLink): Promise<Stream> {
    return await link.connection.newStream(FILES_PROTOCOL, {
      maxOutboundStreams: FILES_MAX_OUTBOUND_STREAMS, runOnLimitedConnection: link.connection.limits != null, signal: AbortSignal.timeout(STREAM_OPEN_TIMEOUT_MS)
    })
  }

  private async load (): Promise<void> {
    this.loaded ??= this.init.storage.list().then((all) => { for (const r of all) this.records.set(r.id, r) })
    await this.loaded
  }

  private async put (r: TransferRecord): Promise<void> {
    this.records.set(r.id, r)
    await this.init.storage.save(r)
    this.emitOf(r)
  }

  private emitOf (r: TransferRecord): void {
    const e: FileEvent = {
      event: 'file', id: r.id, contact: r.contact, direction: r.direction, name: r.offer.name, size: r.offer.size, state: r.state, sha256: r.offer.sha256
    }
    if (r.state === 'progress' && r.direction === 'in') {
      e.received = Math.min(r.offer.size, r.next * r.offer.chunkBytes)
      const on = this.pulls.get(r.id)?.connection
      if (on != null) e.link = linkKindOf(on)
    }
    if (r.path != null) e.path = r.path
    if (r.error != null) e.error = r.error
    this.init.emit(e)
  }
}
