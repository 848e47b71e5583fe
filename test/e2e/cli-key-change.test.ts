// Key changes from the command line (docs/protocol.md §18.1, README "CLI reference"): a gini-relay
// process; Alice pairs with Bob, verifies him, then Bob's peer id re-pairs from a new data dir with a
// new PPK (test/helpers/identities.ts). Only documented commands and their --json output are used.
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pairByCli, run, runToEnd, GINI, GINI_RELAY, type Proc } from '../helpers/processes.js'
import { sameIdNewPpk } from '../helpers/identities.js'
import { FileStorage } from '../../peer/index.js'
import { ready } from '../../protocols/crypto/index.js'
import { EXIT_USAGE } from '../../peer/cli/exit-codes.js'

describe('gini contact accept-key / reject-key', function () {
  this.timeout(240_000)
  let dir: string
  let relay: Proc
  const procs: Proc[] = []

  const gini = async (who: string, ...args: string[]): Promise<{ code: number | null, lines: string[], stderr: string }> =>
    await runToEnd(GINI, ['--data', join(dir, who), ...args])
  const json = (lines: string[]): any[] => lines.map(l => JSON.parse(l))
  const contacts = async (who: string): Promise<any[]> => json((await gini(who, 'contacts', '--json')).lines)[0]

  /** Alice invites, `joiner` accepts; Alice's --json lines. */
  async function pair (joiner: string): Promise<any[]> {
    return (await pairByCli(join(dir, 'alice'), join(dir, joiner))).inviterEvents
  }

  before(async () => {
    await ready()
    dir = await mkdtemp(join(tmpdir(), 'gini-key-change-e2e-'))
    relay = run(GINI_RELAY, ['--json', '--data', join(dir, 'relay'), '--listen', '/ip4/127.0.0.1/tcp/0'])
    const relayAddr = (await relay.waitFor(o => o.event === 'listening')).addrs[0]
    for (const who of ['alice', 'bob']) expect((await gini(who, 'init', '--name', who === 'bob' ? 'Bob' : 'Alice', '--relay', relayAddr)).code).to.equal(0)
    await new FileStorage(join(dir, 'bob2')).saveIdentity(await sameIdNewPpk(join(dir, 'bob')))
    expect((await gini('bob2', 'init', '--name', 'Bob', '--relay', relayAddr)).code).to.equal(0)
    await pair('bob')
    const verified = await gini('alice', 'verify', 'bob', '--yes', '--json')
    expect(verified.code, verified.stderr).to.equal(0)
  })
  after(async () => {
    for (const p of procs) p.kill()
    relay.child.kill('SIGTERM')
    await relay.exited
    await rm(dir, { recursive: true, force: true })
  })

  it('a re-pairing with a new key → `key-change` in the pairing, "key changed: confirm" in `contacts`; reject-key → as before', async () => {
    const [before] = await contacts('alice')
    const lines = await pair('bob2')
    const e = lines.find(l => l.event === 'key-change')
    expect(e).to.include({ id: before.id, name: 'Bob' })
    expect(e.newSafetyNumber).to.match(/^\d{60}$/).and.not.equal(e.oldSafetyNumber)
    expect(lines.map(l => l.event)).to.not.include('contact-added')
    const [pending] = await contacts('alice')
    expect(pending).to.include({ keyChange: true, verified: true, ppk: before.ppk })
    expect((await gini('alice', 'contacts')).lines.join('\n')).to.match(/Bob\s+key changed: confirm/)

    const rejected = await gini('alice', 'contact', 'reject-key', 'bob', '--json')
    expect(rejected.code, rejected.stderr).to.equal(0)
    expect(json(rejected.lines)[0]).to.include({ event: 'key-rejected', name: 'Bob' })
    expect(await contacts('alice')).to.deep.equal([before])
    const nothing = await gini('alice', 'contact', 'reject-key', 'bob')
    expect(nothing.code).to.equal(EXIT_USAGE)
    expect(nothing.stderr).to.include('no pending key change')
  })

  it('accept-key through the running daemon → the new safety number, no longer verified', async () => {
    const [before] = await contacts('alice')
    const e = (await pair('bob2')).find(l => l.event === 'key-change')
    const daemon = run(GINI, ['--data', join(dir, 'alice'), 'daemon', '--json'])
    procs.push(daemon)
    await daemon.waitFor(o => o.event === 'listening' && o.addrs.length > 0)
    const accepted = await gini('alice', 'contact', 'accept-key', 'bob', '--json')
    expect(accepted.code, accepted.stderr).to.equal(0)
    expect(json(accepted.lines)[0]).to.include({ event: 'key-accepted', name: 'Bob', safetyNumber: e.newSafetyNumber, verified: false })
    const [after] = await contacts('alice')
    expect(after).to.include({ keyChange: false, verified: false })
    expect(after.ppk).to.not.equal(before.ppk)
    const number = await gini('alice', 'safety-number', 'bob', '--json')
    expect(JSON.stringify(json(number.lines)[0])).to.include(e.newSafetyNumber)
  })
})
