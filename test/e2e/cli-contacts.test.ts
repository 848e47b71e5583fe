// The §19 contact edits from the command line (README "CLI reference"): a gini-relay process,
// Alice's `gini daemon` (her edits go through its control socket) and Bob without a daemon (his lock
// the data dir for their duration). Only documented commands and their --json output are used.
// Last, a data dir of the file-per-contact version: its contacts imported by the first command.
import { expect } from 'chai'
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pairByCli, run, runToEnd, GINI, GINI_RELAY, type Proc } from '../helpers/processes.js'
import { EXIT_USAGE } from '../../peer/cli/exit-codes.js'
import { writeOldDataDir } from '../helpers/old-data-dir.js'

describe('gini contact rename / block / unblock / delete', function () {
  this.timeout(180_000)
  let dir: string
  let relay: Proc
  let daemon: Proc
  const procs: Proc[] = []

  const gini = async (who: string, ...args: string[]): Promise<{ code: number | null, lines: string[], stderr: string }> =>
    await runToEnd(GINI, ['--data', join(dir, who), ...args])
  const json = (lines: string[]): any[] => lines.map(l => JSON.parse(l))
  const contacts = async (who: string): Promise<any[]> => json((await gini(who, 'contacts', '--json')).lines)[0]

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-contacts-e2e-'))
    relay = run(GINI_RELAY, ['--json', '--data', join(dir, 'relay'), '--listen', '/ip4/127.0.0.1/tcp/0'])
    const relayAddr = (await relay.waitFor(o => o.event === 'listening')).addrs[0]
    expect((await gini('alice', 'init', '--name', 'Alice', '--relay', relayAddr)).code).to.equal(0)
    expect((await gini('bob', 'init', '--name', 'Bob', '--relay', relayAddr)).code).to.equal(0)
    daemon = run(GINI, ['--data', join(dir, 'alice'), 'daemon', '--json'])
    procs.push(daemon)
    await daemon.waitFor(o => o.event === 'listening' && o.addrs.length > 0)
    await pairByCli(join(dir, 'alice'), join(dir, 'bob'))
  })
  after(async () => {
    for (const p of procs) p.kill()
    relay.child.kill('SIGTERM')
    await relay.exited
    await rm(dir, { recursive: true, force: true })
  })

  it('rename (no daemon) → `contacts` shows the nickname beside the card name; the nickname and a prefix of it find the contact', async () => {
    const renamed = await gini('bob', 'contact', 'rename', 'al', 'Ally', '--json')
    expect(renamed.code, renamed.stderr).to.equal(0)
    expect(json(renamed.lines)[0]).to.include({ event: 'renamed', name: 'Alice', nickname: 'Ally' })
    expect(await contacts('bob')).to.have.length(1).and.to.satisfy((cs: any[]) => cs[0].nickname === 'Ally' && cs[0].name === 'Alice')
    expect((await gini('bob', 'contacts')).lines.join('\n')).to.include('Ally (Alice)')
    const shown = await gini('bob', 'contact', 'ALL', '--json')
    expect(shown.code, shown.stderr).to.equal(0)
    expect(json(shown.lines)[0]).to.include({ name: 'Alice', nickname: 'Ally' })
  })

  it('no match → exit 2 with words that say so', async () => {
    const none = await gini('bob', 'contact', 'carol')
    expect(none.code).to.equal(EXIT_USAGE)
    expect(none.stderr).to.include('No contact matches "carol"')
  })

  it('rename through the daemon → its --json prints `contact-renamed` {id, name, nickname}; "" clears it (nickname null)', async () => {
    const bobId = (await contacts('alice'))[0].id
    const renamed = await gini('alice', 'contact', 'rename', 'bob', 'Bobby', '--json')
    expect(renamed.code, renamed.stderr).to.equal(0)
    expect(await daemon.waitFor(o => o.event === 'contact-renamed' && o.nickname === 'Bobby')).to.deep.equal({ event: 'contact-renamed', id: bobId, name: 'Bob', nickname: 'Bobby' })
    const cleared = await gini('alice', 'contact', 'rename', 'bob', '', '--json')
    expect(cleared.code, cleared.stderr).to.equal(0)
    expect(await daemon.waitFor(o => o.event === 'contact-renamed' && o.nickname === null)).to.deep.equal({ event: 'contact-renamed', id: bobId, name: 'Bob', nickname: null })
  })

  it('block through the daemon → `blocked: true`, sending refused (exit 2); unblock → false again', async () => {
    const blocked = await gini('alice', 'contact', 'block', 'bo', '--json')
    expect(blocked.code, blocked.stderr).to.equal(0)
    expect(json(blocked.lines)[0]).to.include({ event: 'blocked', name: 'Bob', blocked: true })
    expect((await contacts('alice'))[0].blocked).to.equal(true)
    expect(await daemon.waitFor(o => o.event === 'contact-blocked')).to.include({ name: 'Bob', id: json(blocked.lines)[0].id })
    expect((await gini('alice', 'contacts')).lines.join('\n')).to.match(/Bob\s+blocked/)
    const send = await gini('alice', 'send', 'bob', 'hi')
    expect(send.code).to.equal(EXIT_USAGE)
    expect(send.stderr).to.include('Not sent: you blocked Bob')
    const unblocked = await gini('alice', 'contact', 'unblock', 'bob', '--json')
    expect(unblocked.code, unblocked.stderr).to.equal(0)
    expect((await contacts('alice'))[0].blocked).to.equal(false)
    expect(await daemon.waitFor(o => o.event === 'contact-unblocked')).to.include({ name: 'Bob', id: json(blocked.lines)[0].id })
  })

  it('block without a daemon → send and send-file refused before going online (no "Connecting"), named by the nickname, exit 2; unblock', async () => {
    expect((await gini('bob', 'contact', 'block', 'alice')).code).to.equal(0)
    const send = await gini('bob', 'send', 'alice', 'hi')
    expect(send.code).to.equal(EXIT_USAGE)
    expect(send.stderr).to.include('Not sent: you blocked Ally')
    expect(send.lines.join('\n')).to.not.include('Connecting')
    const file = await gini('bob', 'send-file', 'alice', GINI)
    expect(file.code).to.equal(EXIT_USAGE)
    expect(file.stderr).to.include('Not sent: you blocked Ally')
    expect((await gini('bob', 'contact', 'unblock', 'alice')).code).to.equal(0)
  })

  it('Bob\'s `gini daemon` in words names Alice by his nickname for her ("Ally"), also after a rename through it; `contact-renamed` names the card', async () => {
    const bobDaemon = run(GINI, ['--data', join(dir, 'bob'), 'daemon'])
    procs.push(bobDaemon)
    try {
      // Her contact-state and session lines (Alice's daemon is online): "Ally: …", never "Alice: …".
      expect(await bobDaemon.waitForLine(/^Ally: connected /, 60_000)).to.match(/^Ally: connected (directly|through the relay)/)
      expect((await gini('bob', 'contact', 'rename', 'ally', 'Ali')).code).to.equal(0)
      expect(await bobDaemon.waitForLine(/nickname now/)).to.equal('Alice: nickname now "Ali".')
      expect((await gini('bob', 'contact', 'block', 'ali')).code).to.equal(0)
      expect(await bobDaemon.waitForLine(/: blocked\.$/)).to.equal('Ali: blocked.')
      expect((await gini('bob', 'contact', 'unblock', 'ali')).code).to.equal(0)
      expect(await bobDaemon.waitForLine(/: unblocked\.$/)).to.equal('Ali: unblocked.')
      const aboutAlice = bobDaemon.lines.filter(l => /^(Ally|Ali|Alice)\b/.test(l))
      expect(aboutAlice.filter(l => l.startsWith('Alice')), aboutAlice.join(' | ')).to.deep.equal(['Alice: nickname now "Ali".'])
    } finally {
      bobDaemon.child.kill('SIGTERM')
      expect(await bobDaemon.exited).to.equal(0)
    }
  })

  it('delete without --yes (not a terminal) → exit 2, contact kept; with --yes → gone from the list', async () => {
    const asked = await gini('alice', 'contact', 'delete', 'bob')
    expect(asked.code).to.equal(EXIT_USAGE)
    const bobId = (await contacts('alice'))[0].id
    expect(asked.stderr).to.include('--yes')
    expect(await contacts('alice')).to.have.length(1)
    const deleted = await gini('alice', 'contact', 'delete', 'bob', '--yes', '--json')
    expect(deleted.code, deleted.stderr).to.equal(0)
    expect(json(deleted.lines)[0]).to.include({ event: 'deleted', name: 'Bob' })
    expect(await contacts('alice')).to.deep.equal([])
    expect(await daemon.waitFor(o => o.event === 'contact-deleted')).to.deep.equal({ event: 'contact-deleted', id: bobId, name: 'Bob' })
  })
})

describe('gini contacts on a data dir of the file-per-contact version (test/helpers/old-data-dir.ts)', function () {
  this.timeout(60_000)
  let dir: string
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'gini-contacts-old-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  it('the first command imports the contact files and says where they were kept; the second lists the same without importing', async () => {
    const data = join(dir, 'me')
    expect((await runToEnd(GINI, ['--data', data, 'init', '--name', 'Me'])).code).to.equal(0)
    await writeOldDataDir(join(dir, 'old'))
    await cp(join(dir, 'old', 'contacts'), join(data, 'contacts'), { recursive: true })
    const first = await runToEnd(GINI, ['--data', data, 'contacts', '--json'])
    expect(first.code, first.stderr).to.equal(0)
    const names = (JSON.parse(first.lines.join('')) as any[]).map(c => [c.name, c.nickname])
    expect(names).to.deep.equal([['Alice', null], ['Bob', 'Bobby'], ['Carol', null]])
    expect(first.stderr).to.include('Imported 3 contact files').and.include(join(data, 'contacts-imported-'))
    expect(first.stderr).to.include('12D3KooWEeT5y6u7i8o9p1a2s3d4f5g6h7j8k9l1z2x3c4v5b6n7.json is unreadable or corrupt')
    expect((await readdir(data)).filter(n => n.startsWith('contacts-imported-'))).to.have.length(1)

    const second = await runToEnd(GINI, ['--data', data, 'contacts', '--json'])
    expect(second.code, second.stderr).to.equal(0)
    expect((JSON.parse(second.lines.join('')) as any[]).map(c => [c.name, c.nickname])).to.deep.equal(names)
    expect(second.stderr).to.not.include('Imported')
  })
})
