// FileStorage on real temp dirs (peer/adapters/file-storage.ts, sqlite-contact-store.ts): durable
// writes (the contact database's WAL fsynced, seen through strace), a damaged database or row set
// aside while the rest load, the import of a file-per-contact data dir (also when killed at each
// fsync), an existing data dir made 0700, and the data dir lock across processes.
import { expect } from 'chai'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileStorage, DataDirInUseError, CorruptFileError, LOCK_FILE, IMPORTED_CONTACTS_PREFIX } from '../../../../peer/adapters/file-storage.js'
import { OLD_DATA_DIR_CONTACTS, OLD_DATA_DIR_FILES, writeOldDataDir } from '../../../helpers/old-data-dir.js'
import type { ContactRecord } from '../../../../peer/core/storage.js'

const STORAGE_MODULE = fileURLToPath(new URL('../../../../peer/adapters/file-storage.js', import.meta.url))
const STRACE = '/usr/bin/strace'
const SECRET = 'ab'.repeat(64)

function contact (id: string, name: string): ContactRecord {
  return {
    id,
    name,
    vcard: `BEGIN:VCARD\r\nVERSION:4.0\r\nFN:${name}\r\nEND:VCARD\r\n`,
    ppk: '11'.repeat(32),
    addresses: [],
    sharedSecret: { current: SECRET },
    pairedAtMs: 1,
    lastSeenMs: 1,
    state: 'offline'
  }
}

/** A node process running `code` (an ES module body with `FileStorage` in scope); prints lines. */
function child (code: string): ReturnType<typeof spawn> {
  const body = `import { FileStorage } from ${JSON.stringify(STORAGE_MODULE)}\n${code}`
  return spawn(process.execPath, ['--input-type=module', '-e', body], { stdio: ['ignore', 'pipe', 'pipe'] })
}

async function firstLine (p: ReturnType<typeof spawn>): Promise<string> {
  return await new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    p.stderr!.on('data', (d: Buffer) => { err += d.toString() })
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) resolve(out.split('\n')[0])
    })
    p.once('exit', (code) => { reject(new Error(`child exited ${String(code)} before a line: ${err}`)) })
  })
}

describe('peer/adapters/file-storage', () => {
  let dir: string
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'gini-storage-')) })
  afterEach(async () => {
    spawnSync('chattr', ['-i', dir], { stdio: 'ignore' })
    await rm(dir, { recursive: true, force: true })
  })

  const dbOf = (data: string): string => join(data, 'contacts.sqlite')
  /** The rows of a table of a contact database, read with a connection of its own. */
  const rows = (data: string, sql: string): any[] => {
    const db = new DatabaseSync(dbOf(data))
    try { return db.prepare(sql).all() } finally { db.close() }
  }

  describe('writes', () => {
    it('putContact × strace → the WAL is fsynced before it returns; one database file (0600) in the data dir, no file per contact', async function () {
      if (!existsSync(STRACE)) throw new Error(`No strace at ${STRACE}: apt-get install strace (as .ci/run does)`)
      const trace = join(dir, 'trace.txt')
      const data = join(dir, 'data')
      const body = `import { FileStorage } from ${JSON.stringify(STORAGE_MODULE)}
const s = new FileStorage(${JSON.stringify(data)})
await s.putContact(${JSON.stringify(contact('Bob1', 'Bob'))})
console.error('put-returned')`
      const run = spawnSync(STRACE, ['-f', '-y', '-qq', '-e', 'trace=fsync,fdatasync,write', '-e', 'write=2', '-o', trace, process.execPath, '--input-type=module', '-e', body], { encoding: 'utf8' })
      expect(run.status, run.stderr).to.equal(0)
      const calls = (await readFile(trace, 'utf8')).split('\n')
      const returned = calls.findIndex(l => l.includes('put-returned'))
      expect(returned, 'the marker written after putContact returned').to.be.greaterThan(0)
      expect(calls.slice(0, returned).some(l => /f(data)?sync\(\d+<[^>]*contacts\.sqlite-wal>/.test(l)), 'WAL fsync before putContact returns').to.equal(true)
      expect((await readdir(data)).filter(n => !n.startsWith('contacts.sqlite'))).to.deep.equal([])
      expect((await stat(dbOf(data))).mode & 0o777).to.equal(0o600)
      expect(await new FileStorage(data).getContact('Bob1')).to.deep.equal(contact('Bob1', 'Bob'))
    })

    it('putContacts of 200 × strace → one transaction: the WAL synced a few times, not once per contact; every record reads back', async function () {
      if (!existsSync(STRACE)) throw new Error(`No strace at ${STRACE}: apt-get install strace (as .ci/run does)`)
      const trace = join(dir, 'trace.txt')
      const data = join(dir, 'data')
      const batch = Array.from({ length: 200 }, (_, i) => contact(`Peer${i}`, `Peer ${i}`))
      await writeFile(join(dir, 'batch.json'), JSON.stringify(batch))
      const body = `import { FileStorage } from ${JSON.stringify(STORAGE_MODULE)}
import { readFileSync } from 'node:fs'
await new FileStorage(${JSON.stringify(data)}).putContacts(JSON.parse(readFileSync(${JSON.stringify(join(dir, 'batch.json'))}, 'utf8')))`
      const run = spawnSync(STRACE, ['-f', '-y', '-qq', '-e', 'trace=fsync,fdatasync', '-o', trace, process.execPath, '--input-type=module', '-e', body], { encoding: 'utf8' })
      expect(run.status, run.stderr).to.equal(0)
      const walSyncs = (await readFile(trace, 'utf8')).split('\n').filter(l => /f(data)?sync\(\d+<[^>]*contacts\.sqlite-wal>/.test(l))
      expect(walSyncs.length, 'WAL syncs').to.be.greaterThan(0).and.lessThan(10)
      // Same pairedAtMs: listed by id.
      expect(await new FileStorage(data).listContacts()).to.deep.equal([...batch].sort((a, b) => a.id < b.id ? -1 : 1))
    })

    it('putContacts with one bad id writes nothing; a second batch replaces the records it names', async () => {
      const data = join(dir, 'data')
      const storage = new FileStorage(data)
      let error: unknown
      try { await storage.putContacts([contact('Good1', 'Good'), contact('../evil', 'Evil')]) } catch (err) { error = err }
      expect((error as Error).message).to.equal('invalid contact id')
      expect(await storage.listContacts()).to.deep.equal([])
      await storage.putContacts([contact('Good1', 'Good')])
      await storage.putContacts([{ ...contact('Good1', 'Better'), pairedAtMs: 2 }, contact('Other1', 'Other')])
      expect((await storage.listContacts()).map(c => c.name)).to.deep.equal(['Other', 'Better'])
    })

    it('deleteContact → the row is gone and its SharedSecret is not left in the database file (secure_delete)', async () => {
      const storage = new FileStorage(dir)
      await storage.putContacts([contact('Bob1', 'Bob'), { ...contact('Carol1', 'Carol'), sharedSecret: { current: 'cd'.repeat(64) } }])
      await storage.deleteContact('Bob1')
      await storage.close() // folds the WAL into the file
      expect((await new FileStorage(dir).listContacts()).map(c => c.id)).to.deep.equal(['Carol1'])
      const bytes = await readFile(dbOf(dir))
      expect(bytes.includes(Buffer.from(SECRET)), 'Bob1\'s SharedSecret in the file').to.equal(false)
      expect(bytes.includes(Buffer.from('cd'.repeat(64))), 'Carol1\'s SharedSecret in the file').to.equal(true)
    })

    it('a read of a data dir with no contacts creates nothing (not even the data dir)', async () => {
      const data = join(dir, 'never')
      expect(await new FileStorage(data).listContacts()).to.deep.equal([])
      expect(await new FileStorage(data).getContact('Bob1')).to.equal(undefined)
      expect(existsSync(data)).to.equal(false)
    })

    it('a second process reads and writes the same database while the first holds it open', async () => {
      const storage = new FileStorage(dir)
      await storage.putContact(contact('Bob1', 'Bob'))
      const p = child(`const s = new FileStorage(${JSON.stringify(dir)}, { onWarning: () => {} })
console.log(JSON.stringify((await s.listContacts()).map(c => c.id)))
await s.putContact({ ...(await s.getContact('Bob1')), name: 'Bob (from the other process)' })`)
      expect(await firstLine(p)).to.equal('["Bob1"]')
      expect(await new Promise(resolve => p.once('exit', resolve))).to.equal(0)
      expect((await storage.getContact('Bob1'))?.name).to.equal('Bob (from the other process)')
    })
  })

  describe('a damaged database or row', () => {
    it('one row that does not parse among three → the other two load, it is named in a warning and moved to damaged_contacts with its bytes, never dropped', async () => {
      const warnings: string[] = []
      const storage = new FileStorage(dir, { onWarning: (m) => warnings.push(m) })
      for (const [id, name] of [['Alice1', 'Alice'], ['Bob1', 'Bob'], ['Carol1', 'Carol']]) await storage.putContact(contact(id, name))
      const torn = `{"id": "Bob1", "sharedSecret": {"current": "${SECRET}"`
      rows(dir, `UPDATE contacts SET record = '${torn}' WHERE id = 'Bob1' RETURNING id`)

      expect((await storage.listContacts()).map(c => c.name)).to.deep.equal(['Alice', 'Carol'])
      expect(warnings).to.have.length(1)
      expect(warnings[0]).to.include(dbOf(dir)).and.include('contact Bob1').and.include('damaged_contacts')
      expect(warnings[0]).to.not.include(SECRET.slice(0, 16))
      expect(rows(dir, 'SELECT id, CAST(record AS TEXT) AS record FROM damaged_contacts').map(r => ({ ...r }))).to.deep.equal([{ id: 'Bob1', record: torn }])
      expect(await storage.getContact('Bob1')).to.equal(undefined)
    })

    it('getContact of a row that does not parse → CorruptFileError naming the database and the contact (no content), the row set aside', async () => {
      const storage = new FileStorage(dir)
      await storage.putContact(contact('Bob1', 'Bob'))
      rows(dir, `UPDATE contacts SET record = '{"sharedSecret": "${SECRET}"' WHERE id = 'Bob1' RETURNING id`)
      const err = await storage.getContact('Bob1').catch(e => e)
      expect(err).to.be.instanceOf(CorruptFileError)
      expect(err.message).to.include(dbOf(dir)).and.include('Bob1').and.not.include(SECRET.slice(0, 16))
      expect(rows(dir, 'SELECT id FROM damaged_contacts').map(r => r.id)).to.deep.equal(['Bob1'])
    })

    it('a contacts.sqlite that is not a database → CorruptFileError naming it; the file set aside with its bytes, never reset; the next write starts a new one', async () => {
      const garbage = `not a database ${SECRET}`
      await writeFile(dbOf(dir), garbage)
      const err = await new FileStorage(dir).listContacts().catch(e => e)
      expect(err).to.be.instanceOf(CorruptFileError)
      expect(err.message).to.include(dbOf(dir)).and.include('.corrupt-').and.not.include(SECRET.slice(0, 16))
      const aside = (await readdir(dir)).filter(n => /^contacts\.sqlite\.corrupt-\d+$/.test(n))
      expect(aside).to.have.length(1)
      expect(err.message).to.include(join(dir, aside[0]))
      expect(await readFile(join(dir, aside[0]), 'utf8')).to.equal(garbage)
      expect(existsSync(dbOf(dir))).to.equal(false)
      const storage = new FileStorage(dir)
      await storage.putContact(contact('Bob1', 'Bob'))
      expect((await storage.listContacts()).map(c => c.id)).to.deep.equal(['Bob1'])
    })

    it('a database whose pages are damaged → CorruptFileError on the read that meets them, the file set aside', async () => {
      const storage = new FileStorage(dir)
      await storage.putContacts(Array.from({ length: 300 }, (_, i) => contact(`Peer${i}`, `Peer ${i}`)))
      await storage.close()
      // Past the first page (the header and schema): the table's pages.
      const bytes = await readFile(dbOf(dir))
      bytes.fill(0xa5, 4096, bytes.length)
      await writeFile(dbOf(dir), bytes)
      const err = await new FileStorage(dir).listContacts().catch(e => e)
      expect(err).to.be.instanceOf(CorruptFileError)
      expect(err.message).to.include(dbOf(dir))
      expect((await readdir(dir)).filter(n => /^contacts\.sqlite\.corrupt-\d+$/.test(n))).to.have.length(1)
    })

    it('a database of a newer schema version → an error saying so, the file left as it is', async () => {
      await new FileStorage(dir).putContact(contact('Bob1', 'Bob'))
      rows(dir, 'PRAGMA user_version = 99')
      const err = await new FileStorage(dir).listContacts().catch(e => e)
      expect(err.message).to.include(dbOf(dir)).and.include('newer version')
      expect(rows(dir, 'SELECT id FROM contacts').map(r => r.id)).to.deep.equal(['Bob1'])
      expect((await readdir(dir)).some(n => n.includes('.corrupt-'))).to.equal(false)
    })

    it('a corrupt identity.json → CorruptFileError naming it, the file left in place (a new identity is never made)', async () => {
      await writeFile(join(dir, 'identity.json'), '{"libp2pKey": "c2VjcmV0')
      const err = await new FileStorage(dir).loadIdentity().catch(e => e)
      expect(err).to.be.instanceOf(CorruptFileError)
      expect(err.message).to.include(join(dir, 'identity.json')).and.not.include('c2VjcmV0')
      expect(await readFile(join(dir, 'identity.json'), 'utf8')).to.equal('{"libp2pKey": "c2VjcmV0')
    })
  })

  describe('a data dir of the file-per-contact version (test/helpers/old-data-dir.ts)', () => {
    const idsOf = (cs: Array<{ id: string }>): string[] => cs.map(c => c.id)
    const expected = [...OLD_DATA_DIR_CONTACTS].sort((a, b) => a.pairedAtMs - b.pairedAtMs).map(c => c.id)
    /** The folder the old files were moved to; asserts there is exactly one. */
    const importedDir = async (data: string): Promise<string> => {
      const found = (await readdir(data)).filter(n => n.startsWith(IMPORTED_CONTACTS_PREFIX))
      expect(found, 'one folder of imported contact files').to.have.length(1)
      return join(data, found[0])
    }
    /** Every old contact file is in the imported folder, byte for byte. */
    const oldFilesKept = async (data: string): Promise<void> => {
      const kept = await importedDir(data)
      const old = Object.entries(OLD_DATA_DIR_FILES).filter(([name]) => name.startsWith('contacts/'))
      expect((await readdir(kept)).sort()).to.deep.equal(old.map(([name]) => name.slice('contacts/'.length)).sort())
      for (const [name, text] of old) expect(await readFile(join(kept, name.slice('contacts/'.length)), 'utf8'), name).to.equal(text)
    }

    it('first open → every record that parses imported as it was; the torn one named in a warning; the old files moved aside into contacts-imported-<ms>/, not deleted; the rest of the dir untouched', async () => {
      await writeOldDataDir(dir)
      const warnings: string[] = []
      const storage = new FileStorage(dir, { onWarning: (m) => warnings.push(m) })
      const listed = await storage.listContacts()
      expect(idsOf(listed)).to.deep.equal(expected)
      for (const c of listed) expect(c).to.deep.equal(JSON.parse(OLD_DATA_DIR_FILES[`contacts/${c.id}.json`]))
      expect(existsSync(join(dir, 'contacts'))).to.equal(false)
      await oldFilesKept(dir)
      const kept = await importedDir(dir)
      expect(warnings.filter(w => w.includes('unreadable or corrupt'))).to.have.length(1)
      expect(warnings.find(w => w.includes('unreadable or corrupt'))).to.include('12D3KooWEeT5y6u7i8o9p1a2s3d4f5g6h7j8k9l1z2x3c4v5b6n7.json').and.include('not imported')
      expect(warnings.find(w => w.startsWith('Imported'))).to.include(`Imported ${expected.length} contact files`).and.include(kept)
      for (const name of ['profile.vcf', 'node-state.json', 'manual-contacts/m0123456789abcdef0123.vcf']) {
        expect(await readFile(join(dir, name), 'utf8'), name).to.equal(OLD_DATA_DIR_FILES[name])
      }
      expect((await storage.listManualContacts()).map(m => m.id)).to.deep.equal(['m0123456789abcdef0123'])
      expect((await stat(dbOf(dir))).mode & 0o777).to.equal(0o600)
    })

    it('the first call is a getContact or a putContact → the import runs first, nothing is lost', async () => {
      await writeOldDataDir(dir)
      const storage = new FileStorage(dir, { onWarning: () => {} })
      expect((await storage.getContact(expected[1]))?.nickname).to.equal('Bobby')
      await writeOldDataDir(join(dir, 'second'))
      const second = new FileStorage(join(dir, 'second'), { onWarning: () => {} })
      await second.putContact(contact('New1', 'New'))
      expect(idsOf(await second.listContacts())).to.deep.equal(['New1', ...expected])
    })

    it('a second open does not import again: a contact changed or deleted since stays so, even if the old files are put back', async () => {
      await writeOldDataDir(dir)
      const first = new FileStorage(dir, { onWarning: () => {} })
      await first.listContacts()
      const [alice, bob] = expected
      await first.putContact({ ...(await first.getContact(alice))!, name: 'Alice Changed' })
      await first.deleteContact(bob)
      await first.close()
      // The state a crash right after the import's commit leaves: marked imported, the files still in contacts/.
      await rename(await importedDir(dir), join(dir, 'contacts'))
      const warnings: string[] = []
      const again = new FileStorage(dir, { onWarning: (m) => warnings.push(m) })
      const listed = await again.listContacts()
      expect(idsOf(listed)).to.deep.equal(expected.filter(id => id !== bob))
      expect(listed.find(c => c.id === alice)?.name).to.equal('Alice Changed')
      expect(warnings).to.have.length(1)
      expect(warnings[0]).to.include('imported into').and.include('before')
      expect(existsSync(join(dir, 'contacts'))).to.equal(false)
      await oldFilesKept(dir)
      // And a plain third open finds nothing to do.
      const quiet: string[] = []
      expect(idsOf(await new FileStorage(dir, { onWarning: (m) => quiet.push(m) }).listContacts())).to.deep.equal(expected.filter(id => id !== bob))
      expect(quiet).to.deep.equal([])
    })

    it('killed at each fsync of the migration in turn (strace injects SIGKILL at the k-th) → the next open has every contact and the old files, moved aside once', async function () {
      if (!existsSync(STRACE)) throw new Error(`No strace at ${STRACE}: apt-get install strace (as .ci/run does)`)
      const seen = new Set<string>()
      let finished = false
      // Bounded: the migration makes about a dozen fsyncs; the run past the last one is not killed.
      for (let k = 1; k <= 40 && !finished; k++) {
        const data = join(dir, `data-${k}`)
        await writeOldDataDir(data)
        const body = `import { FileStorage } from ${JSON.stringify(STORAGE_MODULE)}
await new FileStorage(${JSON.stringify(data)}, { onWarning: () => {} }).listContacts()`
        const run = spawnSync(STRACE, ['-f', '-qq', '-o', '/dev/null', '-e', 'trace=fsync,fdatasync', '-e', `inject=fsync,fdatasync:signal=SIGKILL:when=${k}`, process.execPath, '--input-type=module', '-e', body], { encoding: 'utf8' })
        finished = run.status === 0
        // Where the kill left it: the mark of the import committed or not, the old folder moved or not.
        const marked = existsSync(dbOf(data)) && rows(data, "SELECT name FROM sqlite_master WHERE name = 'meta'").length === 1 &&
          rows(data, "SELECT value FROM meta WHERE key = 'files-imported-at-ms'").length === 1
        seen.add(`${marked ? 'imported' : 'not imported'}, ${existsSync(join(data, 'contacts')) ? 'files in contacts/' : 'files moved'}`)
        const storage = new FileStorage(data, { onWarning: () => {} })
        expect(idsOf(await storage.listContacts()), `killed at fsync #${k}`).to.deep.equal(expected)
        expect(existsSync(join(data, 'contacts'))).to.equal(false)
        await oldFilesKept(data)
        await storage.close()
      }
      expect(finished, 'a run past the last fsync').to.equal(true)
      expect([...seen].sort()).to.deep.equal(['imported, files in contacts/', 'imported, files moved', 'not imported, files in contacts/'])
    })
  })

  describe('data dir permissions', () => {
    it('an existing data dir of mode 0755 → made 0700 on first use, no warning', async () => {
      await chmod(dir, 0o755)
      const warnings: string[] = []
      await new FileStorage(dir, { onWarning: (m) => warnings.push(m) }).listContacts()
      expect((await stat(dir)).mode & 0o777).to.equal(0o700)
      expect(warnings).to.deep.equal([])
    })

    it('a data dir that cannot be made 0700 → a warning naming it and its mode, storage still works', async () => {
      // root may chmod anything, but not an immutable dir; anyone else may not chmod a dir of root's.
      let target = dir
      if (process.getuid?.() === 0) {
        await chmod(dir, 0o755)
        await writeFile(join(dir, 'profile.vcf'), 'BEGIN:VCARD\r\nEND:VCARD\r\n')
        const chattr = spawnSync('chattr', ['+i', dir], { encoding: 'utf8' })
        expect(chattr.status, `chattr +i: ${chattr.stderr}`).to.equal(0)
      } else {
        target = '/usr/share'
      }
      const warnings: string[] = []
      const storage = new FileStorage(target, { onWarning: (m) => warnings.push(m) })
      await storage.loadProfile()
      expect(warnings).to.have.length(1)
      expect(warnings[0]).to.include(target).and.match(/mode 755/)
    })
  })

  describe('the data dir lock', () => {
    it('second lock in one process → DataDirInUseError "in use by process <pid>"; after unlock → lockable again', async () => {
      const first = new FileStorage(dir)
      await first.lock()
      const err = await new FileStorage(dir).lock().catch(e => e)
      expect(err).to.be.instanceOf(DataDirInUseError)
      expect(err.message).to.include(`in use by process ${process.pid}`)
      await first.unlock()
      expect(existsSync(join(dir, LOCK_FILE))).to.equal(false)
      const again = new FileStorage(dir)
      await again.lock()
      await again.unlock()
    })

    it('held by another live process → DataDirInUseError naming its pid; that process SIGKILLed (stale lock) → taken over', async () => {
      const holder = child(`await new FileStorage(${JSON.stringify(dir)}).lock(); console.log('locked'); setInterval(() => {}, 1000)`)
      try {
        expect(await firstLine(holder)).to.equal('locked')
        const err = await new FileStorage(dir).lock().catch(e => e)
        expect(err).to.be.instanceOf(DataDirInUseError)
        expect(err.pid).to.equal(holder.pid)
        expect(err.message).to.include(`The data dir ${dir} is in use by process ${String(holder.pid)}`)
      } finally {
        holder.kill('SIGKILL')
      }
      await new Promise(resolve => holder.once('exit', resolve))
      expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).to.equal(String(holder.pid))
      const storage = new FileStorage(dir)
      await storage.lock()
      expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).to.equal(String(process.pid))
      await storage.unlock()
    })

    it('a process that locked and exits normally → its lock file is gone', async () => {
      const p = child(`await new FileStorage(${JSON.stringify(dir)}).lock(); console.log('locked')`)
      expect(await firstLine(p)).to.equal('locked')
      expect(await new Promise(resolve => p.once('exit', resolve))).to.equal(0)
      expect(existsSync(join(dir, LOCK_FILE))).to.equal(false)
    })

    it('a lock file holding our own pid that this process never took (pid reused after a restart) → stale, taken over', async () => {
      await mkdir(dir, { recursive: true })
      await writeFile(join(dir, LOCK_FILE), `${process.pid}\n`)
      const storage = new FileStorage(dir)
      await storage.lock()
      await storage.unlock()
    })
  })
})
