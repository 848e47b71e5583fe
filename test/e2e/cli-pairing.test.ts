// The CLI as a user runs it: a gini-relay process and two gini processes, each with its own data
// dir, talking over loopback. Only the documented commands and their --json output are used.
import { expect } from 'chai'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { run, runToEnd, GINI, GINI_RELAY, type Proc } from '../helpers/processes.js'
import { terminalQrLines, waitForTerminalQr } from '../helpers/terminal-qr.js'
import { EXIT_NO_IDENTITY, EXIT_NO_MATCH } from '../../peer/cli/exit-codes.js'
import { flashCodeReadOut } from '../../protocols/crypto/index.js'

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
    // docs/protocol.md §4.4: the QR payload and the read-out line as fields.
    expect(shown.payload).to.equal(`GINI:FC/${shown.code.replace('-', '') as string}`)
    expect(shown.readOut).to.equal(flashCodeReadOut(shown.code))

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
    expect(bobContacts[0]).to.have.all.keys('id', 'name', 'state', 'lastSeen', 'pairedAt', 'ppk', 'addresses', 'nextCrpTry', 'restore', 'verified', 'nickname', 'blocked', 'keyChange', 'kind')
    expect(bobContacts[0].kind).to.equal('paired')

    const card = await gini('bob', 'contact', 'alice')
    expect(card.code).to.equal(0)
    expect(card.lines.join('\n')).to.include('FN:Alice')
  })

  it('invite --qr → the code, its read-out line and a QR holding GINI:FC/<code>; accept with that QR text pairs', async () => {
    expect((await gini('dan', 'init', '--name', 'Dan', '--relay', relayAddr)).code).to.equal(0)
    expect((await gini('eve', 'init', '--name', 'Eve', '--relay', relayAddr)).code).to.equal(0)
    const invite = run(GINI, ['--data', join(dir, 'dan'), 'invite', '--qr'])
    procs.push(invite)
    // Human output: the whole QR printed, read back from its block characters.
    const payload = await waitForTerminalQr(invite)
    const text = invite.lines.join('\n')
    const code = /Your Flash Code: {2}(\S+)/.exec(text)?.[1]
    expect(code).to.match(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(payload).to.equal(`GINI:FC/${code!.replace('-', '')}`)
    expect(text).to.include(`Say it as:        ${flashCodeReadOut(code!)}`)
    // 21 modules and the quiet zone: a version-1 code, two modules a terminal line.
    expect(terminalQrLines(invite.lines).length).to.be.at.most(14)

    const accept = await gini('eve', 'accept', payload, '--json')
    expect(accept.code, accept.stderr + accept.lines.join('\n')).to.equal(0)
    expect(accept.lines.map(l => JSON.parse(l).event)).to.include('contact-added')
    expect(await invite.exited).to.equal(0)
    expect(invite.lines.join('\n')).to.include('Added Eve to your contacts.')
    expect(JSON.parse((await gini('eve', 'contacts', '--json')).lines.join('')).map((c: any) => c.name)).to.deep.equal(['Dan'])
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

  it('accept with a QR text that is not a Flash Code → exit 2 before dialing, with the error a typed bad code gets', async () => {
    const refusal = async (text: string): Promise<{ code: number | null, error: any }> => {
      const res = await runToEnd(GINI, ['--data', join(dir, 'bob'), '--relay', '/ip4/127.0.0.1/tcp/1', 'accept', text, '--json'])
      return { code: res.code, error: res.lines.map(l => JSON.parse(l)).find(e => e.event === 'error') }
    }
    // A payload with a bad code: the same error, word for word, as typing that code.
    for (const [scanned, typed] of [['GINI:FC/5H7M-8GQU', '5H7M-8GQU'], ['GINI:FC/5H7M8G', '5H7M8G']]) {
      const fromQr = await refusal(scanned)
      expect(fromQr.code, scanned).to.equal(2)
      expect(fromQr.error, scanned).to.deep.equal((await refusal(typed)).error)
      expect(fromQr.error.code).to.equal('INVALID_FLASH_CODE')
    }
    // Any other QR text (a web address, a safety number's payload) is no code either.
    for (const scanned of ['https://example.org/', `gini-safety:1:${'0'.repeat(60)}`]) {
      const fromQr = await refusal(scanned)
      expect(fromQr.code, scanned).to.equal(2)
      expect(fromQr.error, scanned).to.deep.equal({ event: 'error', code: 'INVALID_FLASH_CODE', message: "Invalid Flash Code: ':' is not used in Flash Codes" })
    }
  })

  it('relay unreachable → exit 6', async () => {
    const res = await runToEnd(GINI, ['--data', join(dir, 'bob'), '--relay', '/ip4/127.0.0.1/tcp/1', 'accept', '0000-0000'])
    expect(res.code).to.equal(6)
    expect(res.stderr).to.match(/relay/i)
  })

  it('contacts / contact <name> on an empty data dir → "no identity yet", how to create one, exit 7; nothing is created', async () => {
    const empty = join(dir, 'nobody')
    for (const args of [['contacts'], ['contact', 'alice']]) {
      const human = await gini('nobody', ...args)
      expect(human.code, args.join(' ')).to.equal(EXIT_NO_IDENTITY)
      expect(human.stderr, args.join(' ')).to.match(/no identity/i).and.include('gini init').and.include(empty)
      const json = await gini('nobody', ...args, '--json')
      expect(json.code, `${args.join(' ')} --json`).to.equal(EXIT_NO_IDENTITY)
      expect(JSON.parse(json.lines[json.lines.length - 1])).to.include({ event: 'error', code: 'NO_IDENTITY' })
    }
    const created = await stat(join(empty, 'identity.json')).then(() => true, (err) => { if (err.code === 'ENOENT') return false; throw err })
    expect(created, 'no identity was created').to.equal(false)
    // `gini init` creates it; then `contacts` works (and has none yet).
    expect((await gini('nobody', 'init')).code).to.equal(0)
    const after = await gini('nobody', 'contacts', '--json')
    expect(after.code, after.stderr).to.equal(0)
    expect(JSON.parse(after.lines.join(''))).to.deep.equal([])
  })

  it('a daemon runs on a data dir → a second daemon on it fails clearly (in use by the first one\'s pid); `gini accept` goes through the running daemon; `gini contacts` still reads', async () => {
    expect((await gini('carol', 'init', '--name', 'Carol', '--relay', relayAddr)).code).to.equal(0)
    const daemon = run(GINI, ['--data', join(dir, 'carol'), 'daemon', '--json'])
    procs.push(daemon)
    await daemon.waitFor(o => o.event === 'listening')
    const second = await gini('carol', 'daemon', '--json')
    expect(second.code).to.equal(1)
    const error = second.lines.map(l => JSON.parse(l)).find(e => e.event === 'error')
    expect(error, second.stderr + second.lines.join('\n')).to.include({ code: 'DATA_DIR_IN_USE' })
    expect(error.message).to.include(`in use by process ${String(daemon.child.pid)}`)
    // The pairing runs in the daemon (it owns the data dir): a code nobody shows → No matching Flash Code.
    const accept = await gini('carol', 'accept', '0000-0000', '--json')
    expect(accept.code, accept.stderr + accept.lines.join('\n')).to.equal(EXIT_NO_MATCH)
    expect(accept.lines.map(l => JSON.parse(l)).find(e => e.event === 'error')).to.include({ code: 'NO_MATCHING_FLASH_CODE' })
    expect((await gini('carol', 'contacts', '--json')).code).to.equal(0)
    daemon.child.kill('SIGTERM')
    expect(await daemon.exited).to.equal(0)
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
