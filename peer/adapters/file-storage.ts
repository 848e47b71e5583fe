// GiniStorage on a data directory. Every write is atomic (temp file + rename) and secret files are
// created owner-only (0600) inside an owner-only directory (0700).
import { mkdir, readFile, readdir, rename, writeFile, chmod } from 'node:fs/promises'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { ContactRecord, GiniStorage, IdentityRecord, NodeState } from '../core/storage.js'
import type { MessageStore } from '../core/chat/message-store.js'
import { MESSAGES_DB_FILE, SqliteMessageStore } from './sqlite-message-store.js'

const SECRET_FILE_MODE = 0o600
const DIR_MODE = 0o700

export class FileStorage implements GiniStorage {
  readonly dir: string

  constructor (dir: string) {
    this.dir = dir
  }

  async loadIdentity (): Promise<IdentityRecord | undefined> {
    const raw = await readOptional(join(this.dir, 'identity.json'))
    if (raw == null) return undefined
    const json = JSON.parse(raw.toString('utf8'))
    return {
      libp2pKey: Buffer.from(json.libp2pKey, 'base64'),
      ppkPrivate: Buffer.from(json.ppkPrivate, 'base64'),
      createdAtMs: json.createdAtMs
    }
  }

  async saveIdentity (identity: IdentityRecord): Promise<void> {
    await this.write('identity.json', JSON.stringify({
      libp2pKey: Buffer.from(identity.libp2pKey).toString('base64'),
      ppkPrivate: Buffer.from(identity.ppkPrivate).toString('base64'),
      createdAtMs: identity.createdAtMs
    }))
  }

  async loadProfile (): Promise<string | undefined> {
    return (await readOptional(join(this.dir, 'profile.vcf')))?.toString('utf8')
  }

  async saveProfile (vcard: string): Promise<void> {
    await this.write('profile.vcf', vcard)
  }

  async listContacts (): Promise<ContactRecord[]> {
    let names: string[]
    try {
      names = await readdir(join(this.dir, 'contacts'))
    } catch (err: any) {
      if (err.code === 'ENOENT') return []
      throw err
    }
    const contacts: ContactRecord[] = []
    for (const name of names.filter(n => n.endsWith('.json')).sort()) {
      const raw = await readOptional(join(this.dir, 'contacts', name))
      if (raw != null) contacts.push(JSON.parse(raw.toString('utf8')))
    }
    return contacts.sort((a, b) => a.pairedAtMs - b.pairedAtMs)
  }

  async getContact (id: string): Promise<ContactRecord | undefined> {
    const raw = await readOptional(join(this.dir, 'contacts', `${safeName(id)}.json`))
    return raw == null ? undefined : JSON.parse(raw.toString('utf8'))
  }

  async putContact (contact: ContactRecord): Promise<void> {
    // The .vcf beside the record is the plain card, for people and other tools.
    await this.write(join('contacts', `${safeName(contact.id)}.vcf`), contact.vcard)
    await this.write(join('contacts', `${safeName(contact.id)}.json`), JSON.stringify(contact, null, 2))
  }

  async loadNodeState (): Promise<NodeState | undefined> {
    const raw = await readOptional(join(this.dir, 'node-state.json'))
    return raw == null ? undefined : JSON.parse(raw.toString('utf8'))
  }

  async saveNodeState (state: NodeState): Promise<void> {
    await this.write('node-state.json', JSON.stringify(state))
  }

  async openMessages (): Promise<MessageStore> {
    await mkdir(this.dir, { recursive: true, mode: DIR_MODE })
    return new SqliteMessageStore(join(this.dir, MESSAGES_DB_FILE))
  }

  private async write (relative: string, data: string): Promise<void> {
    const target = join(this.dir, relative)
    const parent = join(target, '..')
    await mkdir(parent, { recursive: true, mode: DIR_MODE })
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`
    await writeFile(tmp, data, { mode: SECRET_FILE_MODE })
    await chmod(tmp, SECRET_FILE_MODE)
    await rename(tmp, target)
  }
}

async function readOptional (path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path)
  } catch (err: any) {
    if (err.code === 'ENOENT') return undefined
    throw err
  }
}

/** Peer ids are base58/base32 already; this guards against path tricks in a hand-edited id. */
function safeName (id: string): string {
  if (!/^[A-Za-z0-9]+$/.test(id)) throw new Error('invalid contact id')
  return id
}
