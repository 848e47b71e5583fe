// GiniStorage on a data directory. Every file write is durable and atomic: a temp file is written
// and fsynced, renamed over the target, and the directory fsynced, so a crash leaves the old file or
// the new one, never a torn or empty one. Contacts live in one SQLite database,
// `<data>/contacts.sqlite` (peer/adapters/sqlite-contact-store.ts); a data dir of an older version,
// with a file per contact in `contacts/`, is imported into it on first open. Secret files are
// owner-only (0600) inside an owner-only directory (0700). A damaged file, database or contact row
// is named and set aside, never reset. `lock()` makes a process the data dir's only writer.
import { chmod, link, mkdir, open, readFile, readdir, rename, stat, unlink } from 'node:fs/promises'
import { existsSync, readFileSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { ContactRecord, GiniStorage, IdentityRecord, KnownRelaysRecord, NodeState } from '../core/storage.js'
import type { MessageStore } from '../core/chat/message-store.js'
import type { ManualContactRecord } from '../core/manual-contacts.js'
import { MESSAGES_DB_FILE, SqliteMessageStore } from './sqlite-message-store.js'
import { CONTACTS_DB_FILE, SqliteContactStore, isDamagedDatabase } from './sqlite-contact-store.js'
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
/** File reads in flight at once when the contact files of an older data dir are imported. */
const IO_PARALLEL = 32
/** Where a data dir of an older version kept its contacts, one `<id>.json` (and `<id>.vcf`) each. */
const OLD_CONTACTS_DIR = 'contacts'
/** Where those files go once imported into the database: kept for the person, never read again. */
export const IMPORTED_CONTACTS_PREFIX = 'contacts-imported-'

export interface FileStorageOptions {
  /** Told about a data dir that stays open to others, a contact set aside, or old contact files imported (default: process.emitWarning). */
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
  private contactsDb?: Promise<SqliteContactStore>

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

  /** Every contact that reads; a row that does not is set aside (named in a warning) and the rest load. */
  async listContacts (): Promise<ContactRecord[]> {
    return await this.withContacts(false, [], (db) => db.list((id, reason) => { this.warn(new CorruptFileError(db.path, damagedRow(id, reason)).message) }))
  }

  /** Throws CorruptFileError (after setting the row aside) when the contact's record does not parse. */
  async getContact (id: string): Promise<ContactRecord | undefined> {
    safeName(id)
    return await this.withContacts(false, undefined, (db) => {
      let damaged: string | undefined
      const contact = db.get(id, (rowId, reason) => { damaged = damagedRow(rowId, reason) })
      if (damaged != null) throw new CorruptFileError(db.path, damaged)
      return contact
    })
  }

  async putContact (contact: ContactRecord): Promise<void> {
    safeName(contact.id)
    await this.withContacts(true, undefined, (db) => { db.put(contact) })
  }

  /** As putContact for each, in one transaction: durable when it resolves, all or none after a crash. */
  async putContacts (contacts: ContactRecord[]): Promise<void> {
    for (const c of contacts) safeName(c.id)
    await this.withContacts(true, undefined, (db) => { db.putMany(contacts) })
  }

  async deleteContact (id: string): Promise<void> {
    safeName(id)
    await this.withContacts(false, undefined, (db) => { db.delete(id) })
  }

  /** Closes the contact database (opened again by the next contact call). */
  async close (): Promise<void> {
    const db = this.contactsDb
    this.contactsDb = undefined
    ;(await db?.catch(() => undefined))?.close()
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
   * Runs `fn` on the contact database. Without `create`, a data dir with neither the database nor
   * old contact files gives `none` (a read creates nothing). A database that SQLite finds damaged
   * is closed, set aside as `contacts.sqlite.corrupt-<ms>` (with its -wal) and named in a
   * CorruptFileError; the next call starts a new one.
   */
  private async withContacts<T> (create: boolean, none: T, fn: (db: SqliteContactStore) => T): Promise<T> {
    await this.prepare()
    if (this.contactsDb == null && !create &&
      !existsSync(join(this.dir, CONTACTS_DB_FILE)) && !existsSync(join(this.dir, OLD_CONTACTS_DIR))) return none
    const opening = this.contactsDb ??= this.openContacts()
    let db: SqliteContactStore
    try {
      db = await opening
    } catch (err) {
      if (this.contactsDb === opening) this.contactsDb = undefined
      throw err
    }
    try {
      return fn(db)
    } catch (err) {
      if (!isDamagedDatabase(err)) throw err
      if (this.contactsDb === opening) this.contactsDb = undefined
      db.close()
      throw await this.damagedDatabase(db.path, err)
    }
  }

  /** Opens `<dir>/contacts.sqlite` (creating it) and imports the contact files of an older data dir. */
  private async openContacts (): Promise<SqliteContactStore> {
    await mkdir(this.dir, { recursive: true, mode: DIR_MODE })
    const path = join(this.dir, CONTACTS_DB_FILE)
    let db: SqliteContactStore
    try {
      db = SqliteContactStore.open(path)
    } catch (err) {
      throw isDamagedDatabase(err) ? await this.damagedDatabase(path, err) : err
    }
    try {
      await this.importContactFiles(db)
    } catch (err) {
      db.close()
      throw isDamagedDatabase(err) ? await this.damagedDatabase(path, err) : err
    }
    return db
  }

  /** Sets a damaged contact database aside (with its -wal and -shm) and returns the error naming both. */
  private async damagedDatabase (path: string, err: unknown): Promise<CorruptFileError> {
    const aside = `${path}.corrupt-${Date.now()}`
    await rename(path, aside)
    for (const suffix of ['-wal', '-shm']) {
      await rename(path + suffix, aside + suffix).catch((e: any) => { if (e?.code !== 'ENOENT') throw e })
    }
    await syncDir(this.dir)
    const what = String((err as { errstr?: unknown })?.errstr ?? 'damaged')
    return new CorruptFileError(path, `SQLite says "${what}"; moved to ${aside}. Your contacts may be in it, or in a backup: restore one with \`gini restore\`.`, { cause: err })
  }

  /**
   * A data dir of an older version: its `contacts/<id>.json` files go into the database in one
   * transaction, marked as imported in the same transaction, and only then is the folder renamed to
   * `contacts-imported-<ms>/` (kept, never deleted). A crash before the commit imports again on the
   * next open; one after it finds the mark and only moves the folder. A file that does not parse is
   * named in a warning and stays in the folder.
   */
  private async importContactFiles (db: SqliteContactStore): Promise<void> {
    const old = join(this.dir, OLD_CONTACTS_DIR)
    let names: string[]
    try {
      names = (await readdir(old)).filter(n => n.endsWith('.json')).sort()
    } catch (err: any) {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return
      throw err
    }
    let added: number | undefined
    let total = 0
    if (db.importedAtMs() == null) {
      const records: ContactRecord[] = []
      await forEachLimited(names, IO_PARALLEL, async (name) => {
        const path = join(old, name)
        try {
          const raw = await readOptional(path)
          if (raw == null) return
          const c = JSON.parse(raw.toString('utf8'))
          if (typeof c !== 'object' || c == null || typeof c.id !== 'string') throw new Error('not a contact record')
          safeName(c.id)
          records.push(c)
        } catch (err) {
          this.warn(`${path} is unreadable or corrupt: ${whatIsWrong(err)}; not imported, kept with the old contact files`)
        }
      })
      total = records.length
      added = db.importOnce(records, Date.now())
    }
    const aside = join(this.dir, `${IMPORTED_CONTACTS_PREFIX}${Date.now()}`)
    try {
      await rename(old, aside)
    } catch (err: any) {
      if (err.code === 'ENOENT') return // another process moved it first
      throw err
    }
    await syncDir(this.dir)
    if (added != null) this.warn(`Imported ${total} contact file${total === 1 ? '' : 's'} from ${old} into ${db.path}${added === total ? '' : ` (${total - added} already there, kept)`}; the old files are kept in ${aside}`)
    else this.warn(`The contact files in ${old} were imported into ${db.path} before; moved them to ${aside}`)
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
   * `<dir>/replaced-<ms>/`, kept for the person; chat history stays. Returns that directory. The
   * contact database is closed first (SQLite then folds its -wal into it).
   */
  async setAsideRecords (): Promise<string> {
    await this.prepare()
    await this.close()
    const aside = join(this.dir, `replaced-${Date.now()}`)
    await mkdir(aside, { mode: DIR_MODE })
    const db = CONTACTS_DB_FILE
    for (const name of ['identity.json', 'profile.vcf', 'node-state.json', db, `${db}-wal`, `${db}-shm`, OLD_CONTACTS_DIR, 'manual-contacts']) {
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

/** What CorruptFileError says of a contact row that does not parse (its id, never its content). */
function damagedRow (id: string, reason: string): string {
  return `the record of contact ${id} is ${reason}; moved to the table damaged_contacts, the other contacts are unaffected`
}

/** Peer ids are base58/base32 already; this guards against path tricks in a hand-edited id. */
function safeName (id: string): string {
  if (!/^[A-Za-z0-9]+$/.test(id)) throw new Error('invalid contact id')
  return id
}
