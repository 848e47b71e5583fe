// §19 card updates from the command line (README "CLI reference"): a gini-relay process and two
// `gini daemon`s; `gini init --name …` on Alice's existing identity goes through her running daemon,
// which sends the signed update; Bob's daemon reports `contact-updated` and `gini contacts` shows it.
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pairByCli, run, runToEnd, GINI, GINI_RELAY, type Proc } from '../helpers/processes.js'

describe('gini init --name on an existing identity: a card update to every contact', function () {
  this.timeout(240_000)
  let dir: string
  let relay: Proc
  const procs: Proc[] = []

  const gini = async (who: string, ...args: string[]): Promise<{ code: number | null, lines: string[], stderr: string }> =>
    await runToEnd(GINI, ['--data', join(dir, who), ...args])
  const daemon = (who: string): Proc => {
    const p = run(GINI, ['--data', join(dir, who), 'daemon', '--json'])
    procs.push(p)
    return p
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-card-update-e2e-'))
    relay = run(GINI_RELAY, ['--json', '--data', join(dir, 'relay'), '--listen', '/ip4/127.0.0.1/tcp/0'])
    const relayAddr = (await relay.waitFor(o => o.event === 'listening')).addrs[0]
    expect((await gini('alice', 'init', '--name', 'Alice', '--relay', relayAddr)).code).to.equal(0)
    expect((await gini('bob', 'init', '--name', 'Bob', '--relay', relayAddr)).code).to.equal(0)
    await pairByCli(join(dir, 'alice'), join(dir, 'bob'))
  })
  after(async () => {
    for (const p of procs) p.kill()
    relay.child.kill('SIGTERM')
    await relay.exited
    await rm(dir, { recursive: true, force: true })
  })

  it('Alice renames herself while both daemons run → Bob\'s daemon reports contact-updated, `gini contacts` shows the new name', async () => {
    const a = daemon('alice')
    const b = daemon('bob')
    await a.waitFor(o => o.event === 'contact-state' && o.state === 'online')
    await b.waitFor(o => o.event === 'contact-state' && o.state === 'online')
    const renamed = await gini('alice', 'init', '--name', 'Alice Cooper', '--email', 'alice@example.org', '--json')
    expect(renamed.code, renamed.stderr).to.equal(0)
    expect(JSON.parse(renamed.lines[0])).to.include({ event: 'initialized', name: 'Alice Cooper', email: 'alice@example.org', created: false })
    const e = await b.waitFor(o => o.event === 'contact-updated')
    expect(e).to.include({ name: 'Alice Cooper' })
    const contacts = JSON.parse((await gini('bob', 'contacts', '--json')).lines[0])
    expect(contacts.map((c: any) => c.name)).to.deep.equal(['Alice Cooper'])
    expect((await gini('alice', 'init', '--json')).lines.map(l => JSON.parse(l))[0]).to.include({ name: 'Alice Cooper' })
  })
})
