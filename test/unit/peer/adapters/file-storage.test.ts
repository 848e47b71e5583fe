// FileStorage on real temp dirs (peer/adapters/file-storage.ts): durable writes (fsync of the file
// and its directory, seen through strace), a corrupt contact set aside while the rest load, an
// existing data dir made 0700, and the data dir lock across processes.
import { expect } from 'chai'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileStorage, DataDirInUseError, CorruptFileError, LOCK_FILE } from '../../../../peer/adapters/file-storage.js'
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

  describe('writes', () => {
    it('putContact × strace → the temp file is fsynced before its rename, the directory after it; no temp left, 0600', async function () {
      if (!existsSync(STRACE)) throw new Error(`No strace at ${STRACE}: apt-get install strace (as .ci/run does)`)
      const trace = join(dir, 'trace.txt')
      const data = join(dir, 'data')
      const body = `import { FileStorage } from ${JSON.stringify(STORAGE_MODULE)}
await new FileStorage(${JSON.stringify(data)}).putContact(${JSON.stringify(contact('Bob1', 'Bob'))})`
      const run = spawnSync(STRACE, ['-f', '-y', '-qq', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2', '-o', trace, process.execPath, '--input-type=module', '-e', body], { encoding: 'utf8' })
      expect(run.status, run.stderr).to.equal(0)
      const calls = (await readFile(trace, 'utf8')).split('\n').filter(l => /fsync|fdatasync|rename/.test(l))
      const target = join(data, 'contacts', 'Bob1.json')
      const renameAt = calls.findIndex(l => /rename/.test(l) && l.includes(target + '"'))
      expect(renameAt, calls.join('\n')).to.be.greaterThan(0)
      expect(calls.slice(0, renameAt).some(l => /f(data)?sync\(\d+<[^>]*Bob1\.json\.[0-9a-f]+\.tmp>/.test(l)), 'file fsync before rename').to.equal(true)
      expect(calls.slice(renameAt).some(l => new RegExp(`fsync\\(\\d+<${join(data, 'contacts').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}>`).test(l)), 'dir fsync after rename').to.equal(true)
      expect((await readdir(join(data, 'contacts'))).sort()).to.deep.equal(['Bob1.json', 'Bob1.vcf'])
      expect((await stat(target)).mode & 0o777).to.equal(0o600)
    })
    it('putContacts × strace → one syncfs before the renames (no fsync per file), the directory fsynced after; every record reads back, 0600, no temp left', async function () {
      if (!existsSync(STRACE)) throw new Error(`No strace at ${STRACE}: apt-get install strace (as .ci/run does)`)
      const trace = join(dir, 'trace.txt')
      const data = join(dir, 'data')
      const batch = Array.from({ length: 20 }, (_, i) => contact(`Peer${i}`, `Peer ${i}`))
      const body = `import { FileStorage } from ${JSON.stringify(STORAGE_MODULE)}
await new FileStorage(${JSON.stringify(data)}).putContacts(${JSON.stringify(batch)})`
      const run = spawnSync(STRACE, ['-f', '-y', '-qq', '-e', 'trace=syncfs,fsync,fdatasync,rename,renameat,renameat2', '-o', trace, process.execPath, '--input-type=module', '-e', body], { encoding: 'utf8' })
      expect(run.status, run.stderr).to.equal(0)
      const calls = (await readFile(trace, 'utf8')).split('\n').filter(l => /sync|rename/.test(l))
      const renames = calls.map((l, i) => /rename/.test(l) && l.includes(join(data, 'contacts')) ? i : -1).filter(i => i >= 0)
      expect(renames, calls.join('\n')).to.have.length(40)
      const syncfs = calls.findIndex(l => /syncfs\(/.test(l))
      expect(syncfs, 'one syncfs').to.be.greaterThanOrEqual(0)
      expect(syncfs, 'syncfs before the first rename').to.be.lessThan(renames[0])
      expect(calls.filter(l => /f(data)?sync\(\d+<[^>]*\.tmp>/.test(l)), 'no fsync per temp file').to.have.length(0)
      expect(calls.slice(renames[renames.length - 1]).some(l => new RegExp(`fsync\\(\\d+<${join(data, 'contacts').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}>`).test(l)), 'dir fsync after the renames').to.equal(true)
      const storage = new FileStorage(data)
      // Same pairedAtMs: listed by id.
      expect(await storage.listContacts()).to.deep.equal([...batch].sort((a, b) => a.id < b.id ? -1 : 1))
      const names = await readdir(join(data, 'contacts'))
      expect(names.filter(n => n.endsWith('.tmp'))).to.deep.equal([])
      expect(names).to.have.length(40)
      for (const n of names) expect((await stat(join(data, 'contacts', n))).mode & 0o777).to.equal(0o600)
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
  })

  describe('an unreadable or corrupt file', () => {
    it('one corrupt contact among three → the other two load, it is named in a warning and set aside with its bytes, never reset', async () => {
      const warnings: string[] = []
      const storage = new FileStorage(dir, { onWarning: (m) => warnings.push(m) })
      for (const [id, name] of [['Alice1', 'Alice'], ['Bob1', 'Bob'], ['Carol1', 'Carol']]) await storage.putContact(contact(id, name))
      const bad = join(dir, 'contacts', 'Bob1.json')
      const torn = `{"id": "Bob1", "sharedSecret": {"current": "${SECRET}"`
      await writeFile(bad, torn)

      expect((await storage.listContacts()).map(c => c.name)).to.deep.equal(['Alice', 'Carol'])
      expect(warnings).to.have.length(1)
      expect(warnings[0]).to.include(bad).and.include('.corrupt-')
      expect(warnings[0]).to.not.include(SECRET.slice(0, 16))
      const aside = (await readdir(join(dir, 'contacts'))).filter(n => /^Bob1\.json\.corrupt-\d+$/.test(n))
      expect(aside).to.have.length(1)
      expect(await readFile(join(dir, 'contacts', aside[0]), 'utf8')).to.equal(torn)
      expect(existsSync(bad)).to.equal(false)
    })

    it('getContact of a corrupt contact → CorruptFileError naming the file (no content), the file set aside', async () => {
      const storage = new FileStorage(dir)
      await storage.putContact(contact('Bob1', 'Bob'))
      await writeFile(join(dir, 'contacts', 'Bob1.json'), `{"sharedSecret": "${SECRET}"`)
      const err = await storage.getContact('Bob1').catch(e => e)
      expect(err).to.be.instanceOf(CorruptFileError)
      expect(err.message).to.include(join(dir, 'contacts', 'Bob1.json')).and.not.include(SECRET.slice(0, 16))
      expect((await readdir(join(dir, 'contacts'))).some(n => n.startsWith('Bob1.json.corrupt-'))).to.equal(true)
    })

    it('a corrupt identity.json → CorruptFileError naming it, the file left in place (a new identity is never made)', async () => {
      await writeFile(join(dir, 'identity.json'), '{"libp2pKey": "c2VjcmV0')
      const err = await new FileStorage(dir).loadIdentity().catch(e => e)
      expect(err).to.be.instanceOf(CorruptFileError)
      expect(err.message).to.include(join(dir, 'identity.json')).and.not.include('c2VjcmV0')
      expect(await readFile(join(dir, 'identity.json'), 'utf8')).to.equal('{"libp2pKey": "c2VjcmV0')
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
