// `gini backup` and `gini restore` as a user runs them (README "CLI reference", docs/protocol.md
// §20.1): a gini-relay process and gini processes over loopback. A paired peer is backed up while
// its daemon runs, restored into a fresh data dir, and the restored dir keeps the peer id and the
// contact, and gets a session with it.
import { expect } from 'chai'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pairByCli, run, runToEnd, GINI, GINI_RELAY, type Proc } from '../helpers/processes.js'
import { FileStorage } from '../../peer/adapters/file-storage.js'

const PASSPHRASE = 'e2e backup passphrase'

describe('gini backup / restore through a gini-relay process', function () {
  this.timeout(180_000)
  let dir: string
  let relayAddr: string
  const procs: Proc[] = []
  const savedPassphrase = process.env.GINI_PASSPHRASE

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-e2e-backup-'))
    // The passphrase reaches the gini processes through their inherited environment.
    process.env.GINI_PASSPHRASE = PASSPHRASE
    const relay = run(GINI_RELAY, ['--json', '--data', join(dir, 'relay'), '--listen', '/ip4/127.0.0.1/tcp/0'])
    procs.push(relay)
    relayAddr = (await relay.waitFor(o => o.event === 'listening')).addrs[0]
  })
  after(async () => {
    for (const p of procs) p.kill()
    if (savedPassphrase == null) delete process.env.GINI_PASSPHRASE
    else process.env.GINI_PASSPHRASE = savedPassphrase
    await rm(dir, { recursive: true, force: true })
  })

  const gini = async (who: string, ...args: string[]): Promise<{ code: number | null, lines: string[], stderr: string }> =>
    await runToEnd(GINI, ['--data', join(dir, who), ...args])

  function daemon (who: string): Proc {
    const p = run(GINI, ['--data', join(dir, who), '--relay', relayAddr, 'daemon', '--json'])
    procs.push(p)
    return p
  }

  async function stop (p: Proc): Promise<void> {
    p.child.kill('SIGTERM')
    expect(await p.exited, 'SIGTERM → clean exit 0').to.equal(0)
  }

  async function contacts (who: string): Promise<any[]> {
    const res = await gini(who, 'contacts', '--json')
    expect(res.code, res.stderr).to.equal(0)
    return JSON.parse(res.lines.join(''))
  }

  it('backed up while its daemon runs, restored into a fresh dir: same peer id and contact, refusals are clear, and the restored daemon gets a session', async () => {
    expect((await gini('alice', 'init', '--name', 'Alice', '--relay', relayAddr)).code).to.equal(0)
    expect((await gini('bob', 'init', '--name', 'Bob', '--relay', relayAddr)).code).to.equal(0)
    await pairByCli(join(dir, 'alice'), join(dir, 'bob'))
    const aliceContacts = await contacts('alice')
    expect(aliceContacts.map(c => c.name)).to.deep.equal(['Bob'])

    // Alice's daemon holds her data dir's lock: backup still reads it, restore into it is refused.
    const aliceDaemon = daemon('alice')
    const listening = await aliceDaemon.waitFor(o => o.event === 'listening')
    const file = join(dir, 'alice.gini-backup')
    const backup = await gini('alice', 'backup', '--out', file, '--json')
    expect(backup.code, backup.stderr).to.equal(0)
    expect(JSON.parse(backup.lines.join(''))).to.deep.equal({ file, contacts: 1 })
    expect((await stat(file)).mode & 0o777).to.equal(0o600)
    const intoRunning = await gini('alice', 'restore', file, '--force')
    expect(intoRunning.code).to.equal(1)
    expect(intoRunning.stderr).to.include('is in use by process')
    await stop(aliceDaemon)

    // A wrong passphrase: a clear error and no data dir made.
    const wrong = run(GINI, ['--data', join(dir, 'wrong'), 'restore', file], { GINI_PASSPHRASE: 'not the passphrase' })
    expect(await wrong.exited).to.equal(1)
    expect(wrong.stderr.join('')).to.include('wrong passphrase or damaged backup file')
    expect(existsSync(join(dir, 'wrong'))).to.equal(false)

    // Into a fresh dir: the same peer id, identity and contact.
    const restore = await gini('restored', 'restore', file, '--json')
    expect(restore.code, restore.stderr).to.equal(0)
    expect(JSON.parse(restore.lines.join(''))).to.deep.equal({ peerId: listening.peerId, contacts: 1 })
    expect(await readFile(join(dir, 'restored', 'identity.json'), 'utf8')).to.equal(await readFile(join(dir, 'alice', 'identity.json'), 'utf8'))
    // The fields the backup carries unchanged (state and lastSeen move on while Alice's daemon ran).
    const stable = (c: any): unknown => ({ id: c.id, name: c.name, ppk: c.ppk, pairedAt: c.pairedAt, addresses: c.addresses })
    expect((await contacts('restored')).map(stable)).to.deep.equal((await contacts('alice')).map(stable))

    // Again: refused while the dir holds an identity; --force says what it replaced.
    const again = await gini('restored', 'restore', file)
    expect(again.code).to.equal(1)
    expect(again.stderr).to.include(`already holds the identity ${String(listening.peerId)}`)
    const forced = await gini('restored', 'restore', file, '--force', '--json')
    expect(forced.code, forced.stderr).to.equal(0)
    const replaced = JSON.parse(forced.lines.join(''))
    expect(replaced.replaced).to.include({ peerId: listening.peerId, contacts: 1 })
    expect(existsSync(join(replaced.replaced.keptIn, 'identity.json'))).to.equal(true)
    // The replaced contacts: their database moved whole (its WAL folded in), readable where it is kept.
    const kept = new FileStorage(replaced.replaced.keptIn)
    expect((await kept.listContacts()).map(c => c.name)).to.deep.equal(['Bob'])
    await kept.close()
    expect((await contacts('restored')).map(c => c.name)).to.deep.equal(['Bob'])

    // The restored dir's daemon gets a session with Bob.
    const restoredDaemon = daemon('restored')
    const bobDaemon = daemon('bob')
    expect((await restoredDaemon.waitFor(o => o.event === 'listening')).peerId).to.equal(listening.peerId)
    await restoredDaemon.waitFor(o => o.event === 'contact-state' && o.state === 'online', 60_000)
    await bobDaemon.waitFor(o => o.event === 'session', 60_000)
    await stop(restoredDaemon)
    await stop(bobDaemon)
  })
})
