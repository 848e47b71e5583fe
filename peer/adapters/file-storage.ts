// GiniStorage on a data directory. Every write is durable and atomic: a temp file is written and
// fsynced, renamed over the target, and the directory fsynced, so a crash leaves the old file or
// the new one, never a torn or empty one. Secret files are owner-only (0600) inside an owner-only
// directory (0700). A contact file that cannot be read is set aside, never reset. `lock()` makes a
// process the data dir's only writer.
import { chmod, link, mkdir, open, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { existsSync, readFileSync, unlinkSync } from 'node:fs'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { ContactRecord, GiniStorage, IdentityRecord, KnownRelaysRecord, NodeState } from '../core/storage.js'
import type { MessageStore } from '../core/chat/message-store.js'
import type { ManualContactRecord } from '../core/manual-contacts.js'
import { MESSAGES_DB_FILE, SqliteMessageStore } from './sqlite-message-store.js'
import type { FileTransferStorage } from '../core/files/file-transfers.js'
import { NodeFileTransferStorage } from './file-transfer-storage.js'

const SECRET_FILE_MODE = 0o600
const DIR_MODE = 0o700
/** §22.2: a few relays of the last relay list (a cache). */
const KNOWN_RELAYS_FILE = 'relays.json'
/** The lock file inside the data dir: the pid of the process that holds it. */
export const LOCK_FILE = 'lock'
/** Attempts at taking the lock (each after removing a stale one); bounds the loop. */
const LOCK_ATTEMPTS = 3
/** §19 manual contact ids (as peer/core/manual-contacts.ts MANUAL_ID; kept here so this module loads no vCard code). */
const MANUAL_ID = /^m[0-9a-f]{20}$/
/** File reads or writes in flight at once in listContacts / putContacts. */
const IO_PARALLEL = 32

export interface FileStorageOptions {
  /** Told about a data dir that stays open to others, or a contact file set aside (default: process.emitWarning). */
  onWarning?: (message: string) => void
}

/** Another live process holds the data dir's lock. */
export class DataDirInUseError extends Error {
  readonly pid: number

  constructor (dir: string, pid: number) {
    super(`The data dir ${dir} is in use by process ${pid} (a gini daemon, invite or accept). Stop it, or use another --data dir.`)
    this.name = 'DataDirInUseError'
    this.pid = pid
  }
}

/** A file of the data dir that does not parse (or cannot be read); names the file, never its content. */
export class CorruptFileError extends Error {
  readonly path: string

  constructor (path: string, detail: string, options?: ErrorOptions) {
    super(`${path} is unreadable or corrupt: ${detail}`, options)
    this.name = 'CorruptFileError'
    this.path = path
  }
}

// Data dirs this process has locked: a lock file holding our own pid is ours only if listed here
// (otherwise it was left by an earlier process that had the same pid, e.g. in a container).
const heldLocks = new Set<string>()
let exitHookInstalled = false

export class FileStorage implements GiniStorage {
  readonly dir: string
  private readonly warn: (message: string) => void
  private prepared?: Promise<void>

  constructor (dir: string, opts: FileStorageOptions = {}) {
    this.dir = dir
    this.warn = opts.onWarning ?? ((message) => { process.emitWarning(message, 'GiniStorageWarning') })
  }

  /**
   * Makes this process the data dir's only writer until it exits (or unlock()): a lock file created
   * exclusively, holding the pid. A lock left by a dead process is taken over; one held by a live
   * process throws DataDirInUseError.
   */
  async lock (): Promise<void> {
    await this.prepare()
    await mkdir(this.dir, { recursive: true, mode: DIR_MODE })
    const path = join(this.dir, LOCK_FILE)
    if (heldLocks.has(path)) throw new DataDirInUseError(this.dir, process.pid)
    for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
      // The pid is written before the lock file appears (link fails if it exists): no reader ever
      // sees an empty lock file.
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
      await writeDurably(tmp, `${process.pid}\n`)
      try {
        await link(tmp, path)
        heldLocks.add(path)
        installExitHook()
        return
      } catch (err: any) {
        if (err.code !== 'EEXIST') throw err
      } finally {
        await unlink(tmp).catch(() => {})
      }
      const holder = await readLockPid(path)
      if (holder != null && holder !== process.pid && isAlive(holder)) throw new DataDirInUseError(this.dir, holder)
      await removeStaleLock(path, holder)
    }
    throw new Error(`Could not lock the data dir ${this.dir}: its lock file keeps changing.`)
  }

  /** Releases the lock taken by lock() (also released when the process exits). */
  async unlock (): Promise<void> {
    const path = join(this.dir, LOCK_FILE)
    if (!heldLocks.delete(path)) return
    if (await readLockPid(path) === process.pid) await unlink(path).catch(() => {})
  }

  async loadIdentity (): Promise<IdentityRecord | undefined> {
    const json = await this.readJson('identity.json')
    if (json == null) return undefined
    return {
      libp2pKey: Buffer.from(json.libp2pKey, 'base64'),
      ppkPrivate: Buffer.from(json.ppkPrivate, 'base64'),
      createdAtMs: json.createdAtMs,
      ...(typeof json.rootEntropy === 'string' ? { rootEntropy: Buffer.from(json.rootEntropy, 'base64') } : {})
    }
  }

  async saveIdentity (identity: IdentityRecord): Promise<void> {
    await this.write('identity.json', JSON.stringify({
      libp2pKey: Buffer.from(identity.libp2pKey).toString('base64'),
      ppkPrivate: Buffer.from(identity.ppkPrivate).toString('base64'),
      createdAtMs: identity.createdAtMs,
      ...(identity.rootEntropy != null ? { rootEntropy: Buffer.from(identity.rootEntropy).toString('base64') } : {})
    }))
  }

  async loadProfile (): Promise<string | undefined> {
    await this.prepare()
    return (await readOptional(join(this.dir, 'profile.vcf')))?.toString('utf8')
  }

  async saveProfile (vcard: string): Promise<void> {
    await this.write('profile.vcf', vcard)
  }

  /** Every contact that reads; one that does not is set aside (see readContact) and the rest load. */
  async listContacts (): Promise<ContactRecord[]> {
    await this.prepare()
    let names: string[]
    try {
      names = await readdir(join(this.dir, 'contacts'))
    } catch (err: any) {
      if (err.code === 'ENOENT') return []
      throw err
    }
    const contacts: ContactRecord[] = []
    // IO_PARALLEL reads at a time: a restored data dir holds thousands of files.
    await forEachLimited(names.filter(n => n.endsWith('.json')).sort(), IO_PARALLEL, async (name) => {
      try {
        const contact = await this.readContact(name)
        if (contact != null) contacts.push(contact)
      } catch (err) {
        if (!(err instanceof CorruptFileError)) throw err
        this.warn(err.message)
      }
    })
    return contacts.sort((a, b) => a.pairedAtMs - b.pairedAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  /** Throws CorruptFileError (after setting the file aside) when the contact's file does not read. */
  async getContact (id: string): Promise<ContactRecord | undefined> {
    await this.prepare()
    return await this.readContact(`${safeName(id)}.json`)
  }

  async putContact (contact: ContactRecord): Promise<void> {
    // The .vcf beside the record is the plain card, for people and other tools.
    await this.write(join('contacts', `${safeName(contact.id)}.vcf`), contact.vcard)
    await this.write(join('contacts', `${safeName(contact.id)}.json`), JSON.stringify(contact, null, 2))
  }

  /**
   * As putContact for each, but as one batch with one flush instead of one fsync per file (a
   * restore writes thousands): every file is written to a temp file, the file system is synced once
   * (syncFileSystem), then each is renamed into place and the directory fsynced. So a crash never
   * leaves a contact's file torn or empty: it has the old file or the whole new one.
   */
  async putContacts (contacts: ContactRecord[]): Promise<void> {
    await this.prepare()
    const dir = join(this.dir, 'contacts')
    await mkdir(dir, { recursive: true, mode: DIR_MODE })
    const files = contacts.flatMap(c => [
      { target: join(dir, `${safeName(c.id)}.vcf`), data: c.vcard },
      { target: join(dir, `${safeName(c.id)}.json`), data: JSON.stringify(c, null, 2) }
    ])
    const temps = files.map(f => `${f.target}.${randomBytes(6).toString('hex')}.tmp`)
    try {
      // Created 0600 (a umask can only narrow it): one open-write-close each, no separate chmod.
      await forEachLimited(files, IO_PARALLEL, async (f, i) => { await writeFile(temps[i], f.data, { mode: SECRET_FILE_MODE, flag: 'wx' }) })
      if (!await syncFileSystem(dir)) await forEachLimited(temps, IO_PARALLEL, fsyncFile)
      await forEachLimited(files, IO_PARALLEL, async (f, i) => { await rename(temps[i], f.target) })
    } catch (err) {
      await forEachLimited(temps, IO_PARALLEL, async (t) => { await unlink(t).catch(() => {}) })
      throw err
    }
    await syncDir(dir)
  }

  async deleteContact (id: string): Promise<void> {
    await this.prepare()
    const dir = join(this.dir, 'contacts')
    // The record (with the secrets) first: a crash between the two leaves only the plain card.
    for (const name of [`${safeName(id)}.json`, `${safeName(id)}.vcf`]) {
      await unlink(join(dir, name)).catch((err: any) => { if (err?.code !== 'ENOENT') throw err })
    }
    await syncDir(dir)
  }

  /** §19: `manual-contacts/<id>.vcf`, the vCard itself; a file with a bad name is skipped. */
  async listManualContacts (): Promise<ManualContactRecord[]> {
    await this.prepare()
    let names: string[]
    try {
      names = await readdir(join(this.dir, 'manual-contacts'))
    } catch (err: any) {
      if (err.code === 'ENOENT') return []
      throw err
    }
    const out: ManualContactRecord[] = []
    for (const name of names.sort()) {
      const id = name.replace(/\.vcf$/, '')
      if (!name.endsWith('.vcf') || !MANUAL_ID.test(id)) continue
      const raw = await readOptional(join(this.dir, 'manual-contacts', name))
      if (raw != null) out.push({ id, vcard: raw.toString('utf8') })
    }
    return out
  }

  async putManualContact (contact: ManualContactRecord): Promise<void> {
    if (!MANUAL_ID.test(contact.id)) throw new Error('invalid manual contact id')
    await this.write(join('manual-contacts', `${contact.id}.vcf`), contact.vcard)
  }

  async deleteManualContact (id: string): Promise<void> {
    if (!MANUAL_ID.test(id)) throw new Error('invalid manual contact id')
    await this.prepare()
    const dir = join(this.dir, 'manual-contacts')
    await unlink(join(dir, `${id}.vcf`)).catch((err: any) => { if (err?.code !== 'ENOENT') throw err })
    await syncDir(dir).catch((err: any) => { if (err?.code !== 'ENOENT') throw err })
  }

  async loadNodeState (): Promise<NodeState | undefined> {
    return await this.readJson('node-state.json')
  }

  async saveNodeState (state: NodeState): Promise<void> {
    await this.write('node-state.json', JSON.stringify(state))
  }

  /**
   * `<dir>/relays.json`. Only a cache of the relay list: a damaged file is set aside (named in a
   * warning) and read as none, so a pairing never fails on it.
   */
  async loadKnownRelays (): Promise<KnownRelaysRecord | undefined> {
    const path = join(this.dir, KNOWN_RELAYS_FILE)
    let json: any
    try {
      json = await this.readJson(KNOWN_RELAYS_FILE)
    } catch (err) {
      if (!(err instanceof CorruptFileError)) throw err
      json = null
    }
    if (json === undefined) return undefined
    if (json != null && typeof json === 'object' && Array.isArray(json.addrs) && json.addrs.every((a: unknown) => typeof a === 'string') && Number.isSafeInteger(json.savedAtMs)) {
      return { addrs: json.addrs, savedAtMs: json.savedAtMs }
    }
    const aside = `${path}.corrupt-${Date.now()}`
    await rename(path, aside).catch(() => {})
    this.warn(`${path} is not a list of relays; moved to ${aside} (it is only a cache, nothing is lost)`)
    return undefined
  }

  async saveKnownRelays (record: KnownRelaysRecord): Promise<void> {
    await this.write(KNOWN_RELAYS_FILE, JSON.stringify(record))
  }

  async openMessages (): Promise<MessageStore> {
    await this.prepare()
    await mkdir(this.dir, { recursive: true, mode: DIR_MODE })
    return new SqliteMessageStore(join(this.dir, MESSAGES_DB_FILE))
  }

  /** Transfer records in `<dir>/files/`, downloads in `<dir>/downloads/` unless accepted elsewhere. */
  async openFileTransfers (): Promise<FileTransferStorage> {
    await this.prepare()
    return new NodeFileTransferStorage(join(this.dir, 'files'), join(this.dir, 'downloads'))
  }

  /**
   * A contact record, or undefined if there is none. One that cannot be read or parsed is renamed
   * to `<name>.corrupt-<ms>` (kept for the person to inspect, never overwritten by a fresh record)
   * and reported as a CorruptFileError naming both files.
   */
  private async readContact (name: string): Promise<ContactRecord | undefined> {
    const path = join(this.dir, 'contacts', name)
    let contact: unknown
    try {
      const raw = await readOptional(path)
      if (raw == null) return undefined
      contact = JSON.parse(raw.toString('utf8'))
      if (typeof contact !== 'object' || contact == null || typeof (contact as ContactRecord).id !== 'string') throw new Error('not a contact record')
    } catch (err: any) {
      const aside = `${path}.corrupt-${Date.now()}`
      await rename(path, aside)
      throw new CorruptFileError(path, `${whatIsWrong(err)}; moved to ${aside}, the other contacts are unaffected`)
    }
    return contact as ContactRecord
  }

  /** A JSON file of the data dir; one that does not parse is a CorruptFileError and stays where it is. */
  private async readJson (relative: string): Promise<any> {
    await this.prepare()
    const path = join(this.dir, relative)
    const raw = await readOptional(path)
    if (raw == null) return undefined
    try {
      return JSON.parse(raw.toString('utf8'))
    } catch (err) {
      throw new CorruptFileError(path, whatIsWrong(err))
    }
  }

  /**
   * Moves the records a restore replaces (identity, card, node state, contacts) into a new
   * `<dir>/replaced-<ms>/`, kept for the person; chat history stays. Returns that directory.
   */
  async setAsideRecords (): Promise<string> {
    await this.prepare()
    const aside = join(this.dir, `replaced-${Date.now()}`)
    await mkdir(aside, { mode: DIR_MODE })
    for (const name of ['identity.json', 'profile.vcf', 'node-state.json', 'contacts', 'manual-contacts']) {
      try {
        await rename(join(this.dir, name), join(aside, name))
      } catch (err: any) {
        if (err.code !== 'ENOENT') throw err
      }
    }
    await syncDir(aside)
    await syncDir(this.dir)
    return aside
  }

  private async write (relative: string, data: string): Promise<void> {
    await this.prepare()
    await writeFileAtomically(join(this.dir, relative), data)
  }

  /** Once per instance: an existing data dir that others can enter is made owner-only (0700). */
  private async prepare (): Promise<void> {
    this.prepared ??= restrictDir(this.dir, this.warn)
    await this.prepared
  }
}

async function restrictDir (dir: string, warn: (message: string) => void): Promise<void> {
  let mode: number
  try {
    mode = (await stat(dir)).mode & 0o777
  } catch (err: any) {
    if (err.code === 'ENOENT') return // created 0700 by the first write
    throw err
  }
  if ((mode & 0o077) === 0) return
  try {
    await chmod(dir, DIR_MODE)
  } catch (err) {
    warn(`The data dir ${dir} is open to other users (mode ${mode.toString(8)}) and could not be made owner-only: ${describe(err)}`)
  }
}

/**
 * Replaces `target` atomically and durably with an owner-only (0600) file: temp + fsync + rename +
 * fsync of the directory (created 0700 if missing). For every data-dir file, and backup files.
 */
export async function writeFileAtomically (target: string, data: string | Uint8Array): Promise<void> {
  const parent = join(target, '..')
  await mkdir(parent, { recursive: true, mode: DIR_MODE })
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeDurably(tmp, data)
    await rename(tmp, target)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    throw err
  }
  await syncDir(parent)
}

/** Writes a new file (it must not exist), owner-only, and fsyncs it before returning. */
async function writeDurably (path: string, data: string | Uint8Array): Promise<void> {
  const file = await open(path, 'wx', SECRET_FILE_MODE)
  try {
    await file.writeFile(data)
    await file.chmod(SECRET_FILE_MODE) // the umask may have narrowed it, never widened: make it exact
    await file.sync()
  } finally {
    await file.close()
  }
}

async function fsyncFile (path: string): Promise<void> {
  const file = await open(path, 'r')
  try {
    await file.sync()
  } finally {
    await file.close()
  }
}

/** How long the one flush of putContacts may take before the per-file fsyncs are used instead. */
const SYNC_FS_TIMEOUT_MS = 120_000

/**
 * Flushes the file system holding `dir` (Linux `syncfs(2)`, through coreutils `sync -f`): one call
 * instead of an fsync per file. False where that is not available; the caller then fsyncs each file.
 */
async function syncFileSystem (dir: string): Promise<boolean> {
  if (process.platform !== 'linux') return false
  const sync = ['/usr/bin/sync', '/bin/sync'].find(p => existsSync(p))
  if (sync == null) return false
  return await new Promise<boolean>((resolve) => {
    execFile(sync, ['-f', dir], { timeout: SYNC_FS_TIMEOUT_MS }, (err) => { resolve(err == null) })
  })
}

/** fsync of a directory, so a rename into it survives a crash. Some platforms cannot: best effort there. */
async function syncDir (dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch (err: any) {
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EBADF'].includes(err.code)) throw err
  } finally {
    await handle?.close()
  }
}

/** `fn` over `items`, at most `limit` at a time; the first error rejects (after the running ones end). */
async function forEachLimited<T> (items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  let failed: { err: unknown } | undefined
  const worker = async (): Promise<void> => {
    while (failed == null && next < items.length) {
      const i = next++
      try {
        await fn(items[i], i)
      } catch (err) {
        failed ??= { err }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failed != null) throw failed.err
}

async function readLockPid (path: string): Promise<number | undefined> {
  const raw = await readOptional(path)
  if (raw == null) return undefined
  const pid = Number.parseInt(raw.toString('utf8').trim(), 10)
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
}

/**
 * Removes a lock whose holder is dead (or unreadable). Renamed away first and checked again, so a
 * lock another process has just taken over is put back instead of deleted.
 */
async function removeStaleLock (path: string, stalePid: number | undefined): Promise<void> {
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`
  try {
    await rename(path, aside)
  } catch (err: any) {
    if (err.code === 'ENOENT') return
    throw err
  }
  const pid = await readLockPid(aside)
  if (pid !== stalePid && pid != null && isAlive(pid)) await link(aside, path).catch(() => {})
  await unlink(aside).catch(() => {})
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err: any) {
    return err.code === 'EPERM' // exists, owned by someone else
  }
}

/** At exit, remove the lock files this process still holds (synchronously: it is exiting). */
function installExitHook (): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const path of heldLocks) {
      try {
        if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) unlinkSync(path)
      } catch {}
    }
  })
}

async function readOptional (path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path)
  } catch (err: any) {
    if (err.code === 'ENOENT') return undefined
    throw err
  }
}

/**
 * Why a file does not read, without its content: JSON.parse quotes the text around the error, and
 * these files hold keys and SharedSecrets (no secret in an error).
 */
function whatIsWrong (err: any): string {
  if (err instanceof SyntaxError) return 'not valid JSON'
  if (typeof err?.code === 'string') return `cannot be read (${String(err.code)})`
  return 'not a valid record'
}

function describe (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Peer ids are base58/base32 already; this guards against path tricks in a hand-edited id. */
function safeName (id: string): string {
  if (!/^[A-Za-z0-9]+$/.test(id)) throw new Error('invalid contact id')
  return id
}
