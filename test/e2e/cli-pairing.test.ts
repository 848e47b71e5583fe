// The CLI as a user runs it: a gini-relay process and two gini processes, each with its own data
// dir, talking over loopback. Only the documented commands and their --json output are used.
import { expect } from 'chai'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { run, runToEnd, GINI, GINI_RELAY, type Proc } from '../helpers/processes.js'

describe('gini CLI pairing through a gini-relay process', function () {
  this.timeout(120_000)
  let dir: string
  let relay: Proc
  let relayAddr: string
  const procs: Proc[] = []

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-e2e-'))
    relay = run(GINI_RELAY, ['--json', '--data', join(dir, 'relay'), '--listen', '/ip4/127.0.0.1/tcp/0'])
    const listening = await relay.waitFor(o => o.event === 'listening')
    relayAddr = listening.addrs[0]
  })
  after(async () => {
    for (const p of procs) p.kill()
    relay.child.kill('SIGTERM')
    expect(await relay.exited).to.equal(0)
    await rm(dir, { recursive: true, force: true })
  })

  const gini = async (who: string, ...args: string[]): Promise<{ code: number | null, lines: string[], stderr: string }> =>
    await runToEnd(GINI, ['--data', join(dir, who), ...args])

  it('init, invite, accept → both exit 0 and `contacts --json` lists the other by name', async () => {
    expect((await gini('alice', 'init', '--name', 'Alice', '--relay', relayAddr)).code).to.equal(0)
    // Global options after the subcommand work too.
    expect((await runToEnd(GINI, ['init', '--name', 'Bob', '--data', join(dir, 'bob'), '--relay', relayAddr, '--json'])).code).to.equal(0)
    const identity = await stat(join(dir, 'alice', 'identity.json'))
    expect(identity.mode & 0o777).to.equal(0o600)

    const invite = run(GINI, ['--data', join(dir, 'alice'), 'invite', '--json'])
    procs.push(invite)
    const shown = await invite.waitFor(o => o.event === 'flash-code')
    expect(shown.code).to.match(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(shown.expiresAt).to.be.greaterThan(Date.now())

    // Typed the way a person might: lower case, a space instead of the dash.
    const accept = await gini('bob', 'accept', shown.code.toLowerCase().replace('-', ' '), '--json')
    expect(accept.code, accept.stderr + accept.lines.join('\n')).to.equal(0)
    const events = accept.lines.map(l => JSON.parse(l))
    expect(events.map(e => e.event)).to.include.members(['matched', 'verified', 'connected', 'contact-added'])
    expect(events.find(e => e.event === 'connected')).to.have.property('direct').that.is.a('boolean')
    expect(await invite.exited).to.equal(0)
    expect(invite.lines.map(l => JSON.parse(l).event)).to.include('contact-added')

    const aliceContacts = JSON.parse((await gini('alice', 'contacts', '--json')).lines.join(''))
    const bobContacts = JSON.parse((await gini('bob', 'contacts', '--json')).lines.join(''))
    expect(aliceContacts.map((c: any) => c.name)).to.deep.equal(['Bob'])
    expect(bobContacts.map((c: any) => c.name)).to.deep.equal(['Alice'])
    expect(bobContacts[0]).to.have.all.keys('id', 'name', 'state', 'lastSeen', 'pairedAt', 'ppk', 'addresses', 'nextCrpTry', 'restore')

    const card = await gini('bob', 'contact', 'alice')
    expect(card.code).to.equal(0)
    expect(card.lines.join('\n')).to.include('FN:Alice')
  })

  it('accept with a code nobody created → exit 3 and an error event', async () => {
    const res = await gini('bob', 'accept', '0000-0000', '--json')
    expect(res.code).to.equal(3)
    const last = JSON.parse(res.lines[res.lines.length - 1])
    expect(last).to.include({ event: 'error', code: 'NO_MATCHING_FLASH_CODE' })
  })

  it('accept with a malformed code → exit 2 before dialing (even with no relay reachable)', async () => {
    for (const bad of ['5H7M-8G', '5H7M-8GQU', 'ABCD-EFG!']) {
      const res = await runToEnd(GINI, ['--data', join(dir, 'bob'), '--relay', '/ip4/127.0.0.1/tcp/1', 'accept', bad, '--json'])
      expect(res.code, bad).to.equal(2)
      expect(res.lines.join('\n')).to.not.include(bad)
    }
  })

  it('relay unreachable → exit 6', async () => {
    const res = await runToEnd(GINI, ['--data', join(dir, 'bob'), '--relay', '/ip4/127.0.0.1/tcp/1', 'accept', '0000-0000'])
    expect(res.code).to.equal(6)
    expect(res.stderr).to.match(/relay/i)
  })

  it('unknown option or missing argument → exit 2; --help → exit 0', async () => {
    expect((await runToEnd(GINI, ['accept'])).code).to.equal(2)
    expect((await runToEnd(GINI, ['invite', '--bogus'])).code).to.equal(2)
    const help = await runToEnd(GINI, ['--help'])
    expect(help.code).to.equal(0)
    expect(help.lines.join('\n')).to.include('accept')
  })

  it('--version × gini and gini-relay → the version in package.json, exit 0', async () => {
    const { version } = JSON.parse(await readFile(join(dirname(GINI), '..', 'package.json'), 'utf8'))
    for (const [script, args] of [[GINI, ['--version']], [GINI, ['-V', '--json']], [GINI_RELAY, ['--version']]] as const) {
      const res = await runToEnd(script, [...args])
      expect(res.code, `${script} ${args.join(' ')}: ${res.stderr}`).to.equal(0)
      expect(res.lines, `${script} ${args.join(' ')}`).to.deep.equal([version])
    }
  })

  it('--help × every command of gini and gini-relay → its usage line, exit 0', async () => {
    const cases: Array<[string, string[], string]> = [
      ...['init', 'invite', 'accept', 'contacts', 'contact', 'daemon'].map((c): [string, string[], string] => [GINI, [c, '--help'], `Usage: gini ${c} `]),
      [GINI, ['help', 'invite'], 'Usage: gini invite '],
      [GINI_RELAY, ['--help'], 'Usage: gini-relay ']
    ]
    for (const [script, args, usage] of cases) {
      const res = await runToEnd(script, args)
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).to.equal(0)
      expect(res.lines[0], args.join(' ')).to.satisfy((l: string) => l.startsWith(usage))
    }
  })
})
