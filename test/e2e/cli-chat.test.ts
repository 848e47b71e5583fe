// Talking from the command line, as a user would (README "Talk"): a gini-relay process, Alice's
// `gini daemon` (the one node of her data dir: her other commands go through its control socket),
// and Bob with no daemon (each command goes online for its own duration). Only documented commands
// and their --json output are used.
import { expect } from 'chai'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pairByCli, run, runToEnd, GINI, GINI_RELAY, type Proc } from '../helpers/processes.js'
import { EXIT_FAILURE, EXIT_USAGE } from '../../peer/cli/exit-codes.js'

describe('gini send / messages / daemon: chat between two CLI users', function () {
  this.timeout(180_000)
  let dir: string
  let relay: Proc
  let relayAddr: string
  let daemon: Proc
  const procs: Proc[] = []

  const gini = async (who: string, ...args: string[]): Promise<{ code: number | null, lines: string[], stderr: string }> =>
    await runToEnd(GINI, ['--data', join(dir, who), ...args])
  const json = (lines: string[]): any[] => lines.map(l => JSON.parse(l))

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-chat-e2e-'))
    relay = run(GINI_RELAY, ['--json', '--data', join(dir, 'relay'), '--listen', '/ip4/127.0.0.1/tcp/0'])
    relayAddr = (await relay.waitFor(o => o.event === 'listening')).addrs[0]
    expect((await gini('alice', 'init', '--name', 'Alice', '--relay', relayAddr)).code).to.equal(0)
    expect((await gini('bob', 'init', '--name', 'Bob', '--relay', relayAddr)).code).to.equal(0)
    daemon = run(GINI, ['--data', join(dir, 'alice'), 'daemon', '--json'])
    procs.push(daemon)
    await daemon.waitFor(o => o.event === 'listening' && o.addrs.length > 0)
  })
  after(async () => {
    for (const p of procs) p.kill()
    relay.child.kill('SIGTERM')
    expect(await relay.exited).to.equal(0)
    await rm(dir, { recursive: true, force: true })
  })

  it('invite with a daemon running → the pairing runs in the daemon (no data-dir clash); Bob accepts → both list each other', async () => {
    const { invite } = await pairByCli(join(dir, 'alice'), join(dir, 'bob'))
    expect(json(invite.lines).map(e => e.event)).to.include('contact-added')
    // The daemon stored the contact itself and is already keeping it connected.
    await daemon.waitFor(o => o.event === 'contact-state' && o.name === 'Bob')
    expect(json((await gini('alice', 'contacts', '--json')).lines)[0].map((c: any) => c.name)).to.deep.equal(['Bob'])
  })

  it('Bob (no daemon) sends → delivered to Alice\'s daemon, which prints a `message` event; both `messages --json` show it once', async () => {
    const sent = await gini('bob', 'send', 'alice', 'Hallo Alice 👋', '--json')
    expect(sent.code, sent.stderr + sent.lines.join('\n')).to.equal(0)
    const result = json(sent.lines).find(e => e.event === 'sent')
    expect(result).to.include({ delivered: true })
    const event = await daemon.waitFor(o => o.event === 'message' && o.direction === 'in')
    expect(event).to.include({ id: result.id, type: 'MESSAGE', content: 'Hallo Alice 👋' })
    expect(event.contact).to.be.a('string')
    const onAlice = json((await gini('alice', 'messages', 'bob', '--json')).lines)[0]
    const onBob = json((await gini('bob', 'messages', 'alice', '--json')).lines)[0]
    expect(onAlice.map((m: any) => [m.direction, m.content, m.delivered])).to.deep.equal([['in', 'Hallo Alice 👋', true]])
    expect(onBob.map((m: any) => [m.id, m.direction, m.type, m.delivered])).to.deep.equal([[result.id, 'out', 'MESSAGE', true]])
    for (const m of onBob) expect(m).to.have.all.keys('id', 'direction', 'type', 'content', 'at', 'delivered', 'edited', 'deleted', 'reactions')
  })

  it('Alice sends while Bob is offline → queued, told so; Bob\'s `messages --follow` goes online and receives it', async () => {
    const sent = await gini('alice', 'send', 'bob', 'while you were away', '--json')
    expect(sent.code, sent.stderr).to.equal(0)
    expect(json(sent.lines).find(e => e.event === 'sent')).to.include({ delivered: false })
    const queued = json((await gini('alice', 'messages', 'bob', '--json')).lines)[0]
    expect(queued.at(-1)).to.include({ content: 'while you were away', delivered: false })

    const follow = run(GINI, ['--data', join(dir, 'bob'), 'messages', 'alice', '--follow', '--json'])
    procs.push(follow)
    const got = await follow.waitFor(o => o.event === 'message' && o.direction === 'in' && o.content === 'while you were away', 60_000)
    expect(got.type).to.equal('MESSAGE')
    await daemon.waitFor(o => o.event === 'delivered' && o.id === got.id, 30_000)
    follow.child.kill('SIGINT')
    await follow.exited
    const after = json((await gini('alice', 'messages', 'bob', '--json')).lines)[0]
    expect(after.at(-1)).to.include({ content: 'while you were away', delivered: true })
  })

  it('Bob (no daemon) send-file → Alice\'s daemon announces the offer; `gini files accept` receives it, sha256 checked; both `files --json` say done', async () => {
    const path = join(dir, 'report.bin')
    const bytes = randomBytes(1_500_000)
    await writeFile(path, bytes)
    const send = run(GINI, ['--data', join(dir, 'bob'), 'send-file', 'alice', path, '--json'])
    procs.push(send)
    const offered = await daemon.waitFor(o => o.event === 'file' && o.direction === 'in' && o.state === 'offered', 60_000)
    expect(offered).to.include({ name: 'report.bin', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') })
    const accept = await gini('alice', 'files', 'accept', offered.id, '--json')
    expect(accept.code, accept.stderr + accept.lines.join('\n')).to.equal(0)
    const done = json(accept.lines).find(e => e.event === 'file' && e.state === 'done')
    expect(createHash('sha256').update(await readFile(done.path)).digest('hex')).to.equal(offered.sha256)
    expect(await send.exited).to.equal(0)
    const onAlice = json((await gini('alice', 'files', '--json')).lines)[0]
    expect(onAlice.find((t: any) => t.id === offered.id)).to.include({ state: 'done', direction: 'in' })
    const onBob = json((await gini('bob', 'files', '--json')).lines)[0]
    expect(onBob.find((t: any) => t.id === offered.id)).to.include({ state: 'done', direction: 'out' })
  })

  it('§17.4: the file changes on Bob\'s disk after his offer → Alice\'s accept and Bob\'s send-file (no daemon) both end failed: a clear error, exit 1, not a wait', async () => {
    const path = join(dir, 'draft.bin')
    const bytes = randomBytes(1_500_000)
    await writeFile(path, bytes)
    const send = run(GINI, ['--data', join(dir, 'bob'), 'send-file', 'alice', path])
    procs.push(send)
    const offered = await daemon.waitFor(o => o.event === 'file' && o.direction === 'in' && o.state === 'offered' && o.name === 'draft.bin', 60_000)
    bytes[600_000] ^= 0xff // in chunk 1 (512 KiB chunks): no longer the offered hash
    await writeFile(path, bytes)
    const accept = await gini('alice', 'files', 'accept', offered.id)
    expect(accept.code, accept.stderr + accept.lines.join('\n')).to.equal(EXIT_FAILURE)
    expect(accept.stderr).to.include('draft.bin was not received: The file changed on the sender\'s side since it was offered.')
    expect(await send.exited, send.stderr.join('') + send.lines.join('\n')).to.equal(EXIT_FAILURE)
    expect(send.stderr.join('')).to.include('Error: draft.bin was not sent: The file changed on disk after it was offered; offer it again.')
    const onBob = json((await gini('bob', 'files', '--json')).lines)[0]
    expect(onBob.find((t: any) => t.id === offered.id)).to.include({ state: 'failed', direction: 'out' })
  })

  it('bad input → a clear error, exit 2, nothing stored: too long, empty, unknown contact (with and without a daemon), a malformed code through the daemon; `chat --json` refused', async () => {
    const before = json((await gini('bob', 'messages', 'alice', '--json')).lines)[0].length
    const long = await gini('bob', 'send', 'alice', 'x'.repeat(5000))
    expect(long.code).to.equal(EXIT_USAGE)
    expect(long.stderr).to.match(/Not sent: the message is 5000 bytes; at most 4096/)
    const empty = await gini('bob', 'send', 'alice', '   ', '--json')
    expect(empty.code).to.equal(EXIT_USAGE)
    expect(json(empty.lines).find(e => e.event === 'error')).to.include({ code: 'USAGE' })
    const nobody = await gini('bob', 'send', 'carol', 'hi')
    expect(nobody.code).to.equal(EXIT_USAGE)
    expect(nobody.stderr).to.include('No contact matches "carol"')
    // The same through Alice's daemon, which looks the contact up for the command.
    const nobodyViaDaemon = await gini('alice', 'send', 'carol', 'hi')
    expect(nobodyViaDaemon.code).to.equal(EXIT_USAGE)
    expect(nobodyViaDaemon.stderr).to.include('No contact matches "carol"')
    // A malformed code through the daemon (which checks it, §4.2): the same exit code and error code.
    const badCode = await gini('alice', 'accept', 'U2345678', '--json')
    expect(badCode.code).to.equal(EXIT_USAGE)
    expect(json(badCode.lines).find(e => e.event === 'error')).to.include({ code: 'INVALID_FLASH_CODE' })
    expect((await gini('bob', 'chat', 'alice', '--json')).code).to.equal(EXIT_USAGE)
    expect(json((await gini('bob', 'messages', 'alice', '--json')).lines)[0].length).to.equal(before)
  })
})
