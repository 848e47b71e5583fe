// `gini safety-number` and `gini verify` (docs/protocol.md §18) as a user runs them: two gini peers
// paired through a gini-relay process; Bob's side runs a daemon, so his verify goes through it.
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pairByCli, run, runToEnd, GINI, GINI_RELAY, type Proc } from '../helpers/processes.js'
import { EXIT_SAFETY_MISMATCH, EXIT_USAGE } from '../../peer/cli/exit-codes.js'

describe('gini safety-number and gini verify between two paired peers', function () {
  this.timeout(120_000)
  let dir: string
  let relay: Proc
  const procs: Proc[] = []

  const gini = async (who: string, ...args: string[]): Promise<{ code: number | null, lines: string[], stderr: string }> =>
    await runToEnd(GINI, ['--data', join(dir, who), ...args])
  const verifiedOf = async (who: string): Promise<boolean> => {
    const res = await gini(who, 'contacts', '--json')
    expect(res.code, res.stderr).to.equal(0)
    const contacts = JSON.parse(res.lines.join(''))
    expect(contacts).to.have.length(1)
    return contacts[0].verified
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-e2e-safety-'))
    relay = run(GINI_RELAY, ['--json', '--data', join(dir, 'relay'), '--listen', '/ip4/127.0.0.1/tcp/0'])
    const relayAddr = (await relay.waitFor(o => o.event === 'listening')).addrs[0]
    for (const name of ['Alice', 'Bob']) expect((await gini(name.toLowerCase(), 'init', '--name', name, '--relay', relayAddr)).code).to.equal(0)
    await pairByCli(join(dir, 'alice'), join(dir, 'bob'))
  })
  after(async () => {
    for (const p of procs) p.kill()
    relay.child.kill('SIGTERM')
    expect(await relay.exited).to.equal(0)
    await rm(dir, { recursive: true, force: true })
  })

  it('both sides show the same 60-digit number; verify refuses a wrong one and marks the right one', async () => {
    const onAlice = await gini('alice', 'safety-number', 'bob', '--json')
    const onBob = await gini('bob', 'safety-number', 'alice', '--json')
    expect(onAlice.code, onAlice.stderr).to.equal(0)
    expect(onBob.code, onBob.stderr).to.equal(0)
    const a = JSON.parse(onAlice.lines.join(''))
    const b = JSON.parse(onBob.lines.join(''))
    expect(a.number).to.match(/^\d{60}$/)
    expect(a.number).to.equal(b.number)
    expect(a.payload).to.equal(`gini-safety:1:${a.number}`)
    const human = await gini('alice', 'safety-number', 'bob')
    expect(human.code).to.equal(0)
    expect(human.lines.join('\n')).to.include((a.number as string).match(/\d{5}/g)!.join(' ')).and.match(/compare/i)

    expect(await verifiedOf('alice')).to.equal(false)
    expect(await verifiedOf('bob')).to.equal(false)

    // Bob's verify goes through his running daemon.
    const daemon = run(GINI, ['--data', join(dir, 'bob'), 'daemon', '--json'])
    procs.push(daemon)
    await daemon.waitFor(o => o.event === 'listening')

    // One digit off → refused with its own exit code, nothing stored.
    const last = a.number[59] === '0' ? '1' : '0'
    const wrong = (a.number as string).slice(0, 59) + last
    for (const who of ['alice', 'bob']) {
      const other = who === 'alice' ? 'bob' : 'alice'
      const res = await gini(who, 'verify', other, '--number', wrong, '--json')
      expect(res.code, who + res.stderr + res.lines.join('\n')).to.equal(EXIT_SAFETY_MISMATCH)
      expect(JSON.parse(res.lines[res.lines.length - 1])).to.include({ event: 'error', code: 'SAFETY_NUMBER_MISMATCH' })
      expect(await verifiedOf(who), who).to.equal(false)
    }
    // Not a safety number at all → usage error; no answer to the question (stdin closed) → not confirmed.
    expect((await gini('alice', 'verify', 'bob', '--number', '12345')).code).to.equal(EXIT_USAGE)
    expect((await gini('alice', 'verify', 'bob', '--payload', `gini-safety:2:${a.number as string}`)).code).to.equal(EXIT_USAGE)
    const unanswered = await gini('alice', 'verify', 'bob')
    expect(unanswered.code, unanswered.stderr).to.equal(EXIT_SAFETY_MISMATCH)
    expect(unanswered.lines.join('\n')).to.include('Do the numbers match? [y/N]')
    expect(await verifiedOf('alice')).to.equal(false)

    // The other side's number, as read out (with spaces) → marked verified.
    const byNumber = await gini('alice', 'verify', 'bob', '--number', (b.number as string).match(/\d{5}/g)!.join(' '), '--json')
    expect(byNumber.code, byNumber.stderr + byNumber.lines.join('\n')).to.equal(0)
    expect(JSON.parse(byNumber.lines.join(''))).to.include({ verified: true, number: a.number })
    expect(await verifiedOf('alice')).to.equal(true)

    const byPayload = await gini('bob', 'verify', 'alice', '--payload', a.payload, '--json')
    expect(byPayload.code, byPayload.stderr + byPayload.lines.join('\n')).to.equal(0)
    expect(await verifiedOf('bob')).to.equal(true)

    // The daemon stored it in the record it owns: still there after it stops.
    daemon.child.kill('SIGTERM')
    expect(await daemon.exited).to.equal(0)
    expect(await verifiedOf('bob')).to.equal(true)
  })

  it('--help of both commands → their usage line, exit 0', async () => {
    for (const c of ['safety-number', 'verify']) {
      const res = await runToEnd(GINI, [c, '--help'])
      expect(res.code, c + res.stderr).to.equal(0)
      expect(res.lines[0], c).to.satisfy((l: string) => l.startsWith(`Usage: gini ${c} `))
    }
  })
})
