// `gini backup` / `gini restore` (docs/protocol.md §20.1): every GiniStorage record a restored node
// needs, in the canonical JSON of §20.1, sealed as a gini-backup-v1 file. Import checks the whole
// file before it writes anything, and writes through the storage's own (atomic) writes.
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { openBackup, sealBackup, type BackupKdfParams } from '../../protocols/crypto/index.js'
import type { ContactRecord, GiniStorage, IdentityRecord, NodeState } from './storage.js'
import { rootMatches } from './identity.js'
import type { ManualContactRecord } from './manual-contacts.js'

export const BACKUP_RECORDS_VERSION = 1

/** The plaintext records of §20.1, decoded. */
export interface BackupRecords {
  identity: IdentityRecord
  profile?: string
  node?: NodeState
  contacts: ContactRecord[]
  /** §19 manual contacts; absent or empty: none. */
  manualContacts?: ManualContactRecord[]
}

/** A backup that opened but whose records are not what §20.1 says; names the field, never a value. */
export class BackupContentError extends Error {
  constructor (message: string) {
    super(`The backup file's records are not valid: ${message}`)
    this.name = 'BackupContentError'
  }
}

/** importBackup on a storage that already holds an identity, without `force`. */
export class IdentityExistsError extends Error {
  readonly peerId: string

  constructor (peerId: string) {
    super(`This data dir already holds the identity ${peerId}; restoring would replace it (use --force to replace it).`)
    this.name = 'IdentityExistsError'
    this.peerId = peerId
  }
}

export function peerIdOf (identity: IdentityRecord): string {
  return peerIdFromPrivateKey(privateKeyFromProtobuf(identity.libp2pKey)).toString()
}

/** Every record of `storage`; IdentityMissingError-like error when there is no identity to back up. */
export async function collectRecords (storage: GiniStorage): Promise<BackupRecords> {
  const identity = await storage.loadIdentity()
  if (identity == null) throw Object.assign(new Error('No identity in this data dir: nothing to back up (run `gini init` first).'), { name: 'IdentityMissingError' })
  return {
    identity,
    profile: await storage.loadProfile(),
    node: await storage.loadNodeState(),
    contacts: await storage.listContacts(),
    manualContacts: await storage.listManualContacts?.() ?? []
  }
}

/** §20.1: UTF-8 JSON, keys sorted at every level, no whitespace, byte strings lowercase hex, contacts by peer id. */
export function encodeRecords (r: BackupRecords): Uint8Array {
  const doc: Record<string, unknown> = {
    v: BACKUP_RECORDS_VERSION,
    identity: {
      createdAtMs: r.identity.createdAtMs,
      libp2pKey: toHex(r.identity.libp2pKey),
      ppkPrivate: toHex(r.identity.ppkPrivate),
      rootEntropy: r.identity.rootEntropy == null ? undefined : toHex(r.identity.rootEntropy)
    },
    card: r.profile == null ? null : { vcard: r.profile },
    node: r.node == null ? null : { addressSeq: r.node.addressSeq, cardSeq: r.node.cardSeq },
    contacts: [...r.contacts].sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    // §19: omitted when there are none, so such a backup is what it was before manual contacts.
    manualContacts: r.manualContacts == null || r.manualContacts.length === 0
      ? undefined
      : [...r.manualContacts].sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0).map(m => ({ id: m.id, vcard: m.vcard }))
  }
  return new TextEncoder().encode(canonicalJson(doc))
}

/** Parses and checks the records; throws BackupContentError before anything can be written. */
export function decodeRecords (plaintext: Uint8Array): BackupRecords {
  let doc: any
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext))
  } catch {
    throw new BackupContentError('not UTF-8 JSON')
  }
  if (!isObject(doc)) throw new BackupContentError('not a JSON object')
  if (doc.v !== BACKUP_RECORDS_VERSION) throw new BackupContentError(`unsupported records version ${String(doc.v)}`)
  const id = doc.identity
  if (!isObject(id)) throw new BackupContentError('identity is missing')
  if (!Number.isSafeInteger(id.createdAtMs)) throw new BackupContentError('identity.createdAtMs is not an integer')
  const identity: IdentityRecord = { libp2pKey: fromHex(id.libp2pKey, 'identity.libp2pKey'), ppkPrivate: fromHex(id.ppkPrivate, 'identity.ppkPrivate'), createdAtMs: id.createdAtMs }
  if (identity.ppkPrivate.length !== 32) throw new BackupContentError('identity.ppkPrivate is not 32 bytes')
  try {
    peerIdOf(identity)
  } catch {
    throw new BackupContentError('identity.libp2pKey is not a libp2p private key')
  }
  if (id.rootEntropy != null) {
    const root = fromHex(id.rootEntropy, 'identity.rootEntropy')
    // §20.2: a root kept beside the keys must be the one they came from, or its mnemonic would restore someone else.
    if (!rootMatches(identity, root)) throw new BackupContentError('identity.rootEntropy does not derive identity.libp2pKey and identity.ppkPrivate')
    identity.rootEntropy = root
  }
  let profile: string | undefined
  if (doc.card != null) {
    if (!isObject(doc.card) || typeof doc.card.vcard !== 'string') throw new BackupContentError('card.vcard is not a string')
    profile = doc.card.vcard
  }
  let node: NodeState | undefined
  if (doc.node != null) {
    if (!isObject(doc.node) || !Number.isSafeInteger(doc.node.addressSeq) || doc.node.addressSeq < 0) throw new BackupContentError('node.addressSeq is not a non-negative integer')
    node = { addressSeq: doc.node.addressSeq }
    if (doc.node.cardSeq != null) {
      if (!Number.isSafeInteger(doc.node.cardSeq) || doc.node.cardSeq < 0) throw new BackupContentError('node.cardSeq is not a non-negative integer')
      node.cardSeq = doc.node.cardSeq
    }
  }
  if (!Array.isArray(doc.contacts)) throw new BackupContentError('contacts is not a list')
  const seen = new Set<string>()
  const contacts = doc.contacts.map((c: unknown, i: number) => checkContact(c, i))
  for (const c of contacts) {
    if (seen.has(c.id)) throw new BackupContentError(`contact ${c.id} appears twice`)
    seen.add(c.id)
  }
  let manualContacts: ManualContactRecord[] | undefined
  if (doc.manualContacts != null) {
    if (!Array.isArray(doc.manualContacts)) throw new BackupContentError('manualContacts is not a list')
    manualContacts = doc.manualContacts.map((m: any, i: number) => {
      if (!isObject(m) || typeof m.id !== 'string' || !/^m[0-9a-f]{20}$/.test(m.id)) throw new BackupContentError(`manualContacts[${i}].id is not a manual contact id`)
      if (typeof m.vcard !== 'string') throw new BackupContentError(`manualContacts[${i}].vcard is not a string`)
      return { id: m.id, vcard: m.vcard }
    })
  }
  return { identity, profile, node, contacts, manualContacts }
}

function checkContact (c: any, i: number): ContactRecord {
  const where = `contacts[${i}]`
  if (!isObject(c)) throw new BackupContentError(`${where} is not an object`)
  if (typeof c.id !== 'string' || !/^[A-Za-z0-9]+$/.test(c.id)) throw new BackupContentError(`${where}.id is not a peer id`)
  for (const key of ['name', 'vcard', 'ppk', 'state']) {
    if (typeof c[key] !== 'string') throw new BackupContentError(`${where}.${key} is not a string`)
  }
  for (const key of ['pairedAtMs', 'lastSeenMs']) {
    if (!Number.isSafeInteger(c[key])) throw new BackupContentError(`${where}.${key} is not an integer`)
  }
  if (!Array.isArray(c.addresses) || !c.addresses.every((a: any) => isObject(a) && typeof a.multiaddr === 'string' && Number.isSafeInteger(a.seenAtMs))) {
    throw new BackupContentError(`${where}.addresses is not a list of addresses`)
  }
  if (!isObject(c.sharedSecret) || typeof c.sharedSecret.current !== 'string' || !/^[0-9a-f]+$/.test(c.sharedSecret.current)) {
    throw new BackupContentError(`${where}.sharedSecret is not a hex SharedSecret`)
  }
  if (c.mailbox != null && !Array.isArray(c.mailbox)) throw new BackupContentError(`${where}.mailbox is not a list`)
  if (c.crp != null && !isObject(c.crp)) throw new BackupContentError(`${where}.crp is not an object`)
  return c as ContactRecord
}

/** Collects every record and seals it (§20.1). `params` lowers the Argon2id cost (tests only pass it). */
export async function exportBackup (storage: GiniStorage, passphrase: string, params?: BackupKdfParams): Promise<{ file: Uint8Array, peerId: string, contacts: number }> {
  const records = await collectRecords(storage)
  const file = await sealBackup(encodeRecords(records), passphrase, params)
  return { file, peerId: peerIdOf(records.identity), contacts: records.contacts.length }
}

export interface ImportResult {
  peerId: string
  contacts: number
  /** The identity that was in the storage before (only with `force`). */
  replaced?: { peerId: string, contacts: number }
}

export interface ImportOptions {
  /** Replace an identity the storage already holds. */
  force?: boolean
  /** With `force`, called once the backup has checked out and before the first write (e.g. to set the old records aside). */
  beforeReplace?: (replaced: { peerId: string, contacts: number }) => Promise<void>
}

/**
 * Opens `file` and writes its records into `storage`. Nothing is written unless the file opens
 * (passphrase, tag) and every record checks out. A storage that already holds an identity is
 * refused unless `force`. The identity is written last, so an interrupted import can be run again.
 */
export async function importBackup (storage: GiniStorage, file: Uint8Array, passphrase: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const records = decodeRecords(await openBackup(file, passphrase))
  const existing = await storage.loadIdentity()
  let replaced: ImportResult['replaced']
  if (existing != null) {
    if (opts.force !== true) throw new IdentityExistsError(peerIdOf(existing))
    replaced = { peerId: peerIdOf(existing), contacts: (await storage.listContacts()).length }
    await opts.beforeReplace?.(replaced)
  }
  await storage.putContacts(records.contacts)
  for (const m of records.manualContacts ?? []) await storage.putManualContact?.(m)
  if (records.node != null) await storage.saveNodeState(records.node)
  if (records.profile != null) await storage.saveProfile(records.profile)
  await storage.saveIdentity(records.identity)
  return { peerId: peerIdOf(records.identity), contacts: records.contacts.length, replaced }
}

function canonicalJson (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(v => canonicalJson(v === undefined ? null : v)).join(',')}]`
  if (isObject(value)) {
    const keys = Object.keys(value).filter(k => value[k] !== undefined).sort()
    return `{${keys.map(k => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

function isObject (v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v != null && !Array.isArray(v)
}

function toHex (bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

function fromHex (text: unknown, field: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) throw new BackupContentError(`${field} is not lowercase hex`)
  const out = new Uint8Array(text.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16)
  return out
}
