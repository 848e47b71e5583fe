// `gini daemon` as a user runs it (README "Stay connected"): gini-relay processes and two gini
// processes with their own data dirs over loopback. Only documented commands, flags and --json
// lines are used. Real time here (processes), so the harness flags make the schedule short:
// --unreachable-after 2s and --crp-schedule fast; every wait is bounded.
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pairByCli, run, runToEnd, GINI, GINI_RELAY, type Proc } from '../helpers/processes.js'
import { FileStorage } from '../../peer/adapters/file-storage.js'

const FAST_FIRST_INTERVAL_MS = 1_000

describe('gini daemon through gini-relay processes', function () {
  this.timeout(180_000)
  let dir: string
  const procs: Proc[] = []

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'gini-e2e-daemon-')) })
  afterEach(() => { for (const p of procs.splice(0)) p.kill() })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  function relayProc (name: string, port = 0): Proc {
    const p = run(GINI_RELAY, ['--json', '--data', join(dir, name), '--listen', `/ip4/127.0.0.1/tcp/${port}`])
    procs.push(p)
    return p
  }

  async function relayAddr (p: Proc): Promise<string> {
    return (await p.waitFor(o => o.event === 'listening')).addrs[0]
  }

  const gini = async (who: string, ...args: string[]): Promise<{ code: number | null, lines: string[], stderr: string }> =>
    await runToEnd(GINI, ['--data', join(dir, who), ...args])

  function daemon (who: string, relay: string, ...extra: string[]): Proc {
    const p = run(GINI, ['--data', join(dir, who), '--relay', relay, 'daemon', '--json', '--unreachable-after', '2s', '--crp-schedule', 'fast', ...extra])
    procs.push(p)
    return p
  }

  async function stop (p: Proc): Promise<void> {
    p.child.kill('SIGTERM')
    const code = await Promise.race([p.exited, new Promise(resolve => setTimeout(() => { resolve('timeout') }, 15_000))])
    expect(code, 'SIGTERM → clean exit 0').to.equal(0)
  }

  async function contacts (who: string): Promise<any[]> {
    const res = await gini(who, 'contacts', '--json')
    expect(res.code, res.stderr).to.equal(0)
    return JSON.parse(res.lines.join(''))
  }

  async function pairThrough (relay: string, a: string, b: string): Promise<void> {
    expect((await gini(a, 'init', '--name', a, '--relay', relay)).code).to.equal(0)
    expect((await gini(b, 'init', '--name', b, '--relay', relay)).code).to.equal(0)
    await pairByCli(join(dir, a), join(dir, b))
  }

  /**
   * The SharedSecret a data dir stores for its one contact, read from its contact database
   * (peer/adapters/file-storage.ts) while the daemon may hold it open. Only compared, never printed:
   * no value goes into a message.
   */
  async function storedSecret (who: string): Promise<{ current: string, previous?: string }> {
    const storage = new FileStorage(join(dir, who))
    try {
      const stored = await storage.listContacts()
      expect(stored, `${who}: one contact`).to.have.length(1)
      return stored[0].sharedSecret
    } finally {
      await storage.close()
    }
  }

  /** Milliseconds from the later of two events to the later of two others, by arrival time. */
  function stamp (p: Proc, marks: Map<string, number>, key: string, pred: (o: any) => boolean): Promise<any> {
    return p.waitFor(pred, 60_000).then((o) => { if (!marks.has(key)) marks.set(key, performance.now()); return o })
  }

  it('paired, both stopped, restarted against a relay on a new port (every saved address stale) → unreachable after 2 s, back online through the CRP with a new SharedSecret within one fast interval; SIGTERM → exit 0', async () => {
    const first = relayProc('relay-1')
    await pairThrough(await relayAddr(first), 'alice', 'bob')
    const pairedA = await contacts('alice')
    expect(pairedA.map(c => c.name)).to.deep.equal(['bob'])

    // Both daemons up through the pairing relay: online by re-dialing the saved addresses.
    const relay1 = await relayAddr(first)
    let a = daemon('alice', relay1)
    let b = daemon('bob', relay1)
    const listening = await a.waitFor(o => o.event === 'listening')
    expect(listening.peerId).to.be.a('string')
    expect(listening.addrs.some((x: string) => x.includes('/p2p-circuit'))).to.equal(true)
    await a.waitFor(o => o.event === 'contact-state' && o.state === 'online')
    await b.waitFor(o => o.event === 'contact-state' && o.state === 'online')
    const session = await b.waitFor(o => o.event === 'session')
    expect(session).to.include.keys('id', 'direct', 'remoteAddr')
    expect((await contacts('alice'))[0].state).to.equal('online')
    await stop(a)
    await stop(b)
    const afterStop = await contacts('alice')
    expect(afterStop[0].state).to.equal('offline')
    const before = { alice: await storedSecret('alice'), bob: await storedSecret('bob') }
    expect(before.alice.current === before.bob.current, 'one SharedSecret on both sides after the session').to.equal(true)

    // The relay moves: a new process, new identity, new port. Every address either side saved is stale.
    first.child.kill('SIGTERM')
    await first.exited
    const second = relayProc('relay-2')
    const relay2 = await relayAddr(second)
    // In the CRP while nobody can restore him (Bob alone, at a relay Alice never uses), the contact
    // is stored as exactly `unreachable`.
    const lonely = relayProc('relay-lonely')
    b = daemon('bob', await relayAddr(lonely))
    await b.waitFor(o => o.event === 'contact-state' && o.state === 'unreachable')
    await b.waitFor(o => o.event === 'crp' && o.step === 'registered')
    const during = await contacts('bob')
    expect(during[0].state).to.equal('unreachable')
    await stop(b)
    lonely.child.kill('SIGTERM')
    await lonely.exited

    const marks = new Map<string, number>()
    a = daemon('alice', relay2)
    b = daemon('bob', relay2)
    await Promise.all([
      stamp(a, marks, 'a-unreachable', o => o.event === 'contact-state' && o.state === 'unreachable'),
      stamp(b, marks, 'b-unreachable', o => o.event === 'contact-state' && o.state === 'unreachable')
    ])
    await Promise.all([
      stamp(a, marks, 'a-online', o => o.event === 'contact-state' && o.state === 'online'),
      stamp(b, marks, 'b-online', o => o.event === 'contact-state' && o.state === 'online')
    ])
    const inCrp = Math.max(marks.get('a-unreachable')!, marks.get('b-unreachable')!)
    const backOnline = Math.max(marks.get('a-online')!, marks.get('b-online')!)
    const events = (p: Proc): any[] => p.lines.map(l => JSON.parse(l))
    for (const p of [a, b]) {
      const crp = events(p).filter(e => e.event === 'crp')
      expect(crp.map(e => e.step)).to.include('started')
      expect(crp.every(e => Object.keys(e).every(k => ['event', 'id', 'step', 'code'].includes(k)))).to.equal(true)
    }
    // The later peer was restored by its first run: within one fast interval of both being in the CRP.
    const later = marks.get('a-unreachable')! > marks.get('b-unreachable')! ? a : b
    const laterRuns = events(later).filter(e => e.event === 'crp' && e.step === 'registered').length
    expect(laterRuns, 'runs of the later peer before it was online').to.be.at.most(1)
    process.stdout.write(`      (both in CRP → both online: ${(backOnline - inCrp).toFixed(0)} ms; fast interval ${FAST_FIRST_INTERVAL_MS} ms)\n`)

    const [ca, cb] = [await contacts('alice'), await contacts('bob')]
    expect([ca[0].state, cb[0].state]).to.deep.equal(['online', 'online'])
    expect(ca[0].nextCrpTry).to.equal(null)
    expect(ca[0].addresses.some((x: string) => x.startsWith(relay2))).to.equal(true)
    // No secret in any output: the --json view has no secret field at all.
    expect(JSON.stringify(ca)).to.not.match(/sharedSecret|[0-9a-f]{128}/i)
    await stop(a)
    await stop(b)
    // The CRP's session made a new SharedSecret, the same on both sides (read after both exited).
    const after = { alice: await storedSecret('alice'), bob: await storedSecret('bob') }
    expect(after.alice.current === after.bob.current, 'one SharedSecret on both sides after the restore').to.equal(true)
    expect(after.alice.current === before.alice.current, 'a new SharedSecret after the restore').to.equal(false)
    expect(after.alice.current.length, 'a 64-byte SharedSecret, hex').to.equal(128)
    second.child.kill('SIGTERM')
    expect(await second.exited).to.equal(0)
  })

  it('a relay SIGKILLed while one peer is registered, restarted on the same port and data → both peers still reconnect', async () => {
    const throwaway = relayProc('relay-pairing')
    await pairThrough(await relayAddr(throwaway), 'carol', 'dave')
    throwaway.child.kill('SIGTERM')
    await throwaway.exited

    let relay = relayProc('relay-crp')
    const addr = await relayAddr(relay)
    const port = Number(/\/tcp\/(\d+)/.exec(addr)![1])
    const c = daemon('carol', addr)
    await c.waitFor(o => o.event === 'crp' && o.step === 'registered', 30_000)
    const unreachable = await contacts('carol')
    expect(unreachable[0].state).to.equal('unreachable')
    expect(Number.isNaN(Date.parse(unreachable[0].nextCrpTry)), `nextCrpTry ${String(unreachable[0].nextCrpTry)} is a date`).to.equal(false)

    relay.child.kill('SIGKILL')
    await relay.exited
    relay = relayProc('relay-crp', port)
    expect(await relayAddr(relay)).to.equal(addr)
    const registrations = (): number => c.lines.filter(l => l.includes('"step":"registered"')).length
    const before = registrations()
    // Carol's runs go on after the outage (new identities, new registrations).
    await c.waitFor(() => registrations() > before, 30_000)
    const d = daemon('dave', addr)
    await c.waitFor(o => o.event === 'contact-state' && o.state === 'online', 30_000)
    await d.waitFor(o => o.event === 'contact-state' && o.state === 'online', 30_000)
    await stop(c)
    await stop(d)
  })

  it('daemon flags: a bad duration (also --mailbox-after, --mailbox-fetch-every below 1s) or schedule → exit 2; SIGINT → exit 0', async () => {
    expect((await runToEnd(GINI, ['--data', join(dir, 'alice'), 'daemon', '--unreachable-after', 'soon'])).code).to.equal(2)
    expect((await runToEnd(GINI, ['--data', join(dir, 'alice'), 'daemon', '--crp-schedule', 'slow'])).code).to.equal(2)
    const mailboxAfter = await runToEnd(GINI, ['--data', join(dir, 'alice'), 'daemon', '--mailbox-after', '-1s'])
    expect(mailboxAfter.code).to.equal(2)
    expect(mailboxAfter.stderr).to.include('invalid duration "-1s"')
    const fetchEvery = await runToEnd(GINI, ['--data', join(dir, 'alice'), 'daemon', '--mailbox-fetch-every', '500ms'])
    expect(fetchEvery.code).to.equal(2)
    expect(fetchEvery.stderr).to.include('at least 1000 ms')
    const relay = relayProc('relay-3')
    const addr = await relayAddr(relay)
    expect((await gini('erin', 'init', '--name', 'Erin', '--relay', addr)).code).to.equal(0)
    const p = daemon('erin', addr)
    await p.waitFor(o => o.event === 'listening')
    p.child.kill('SIGINT')
    expect(await p.exited).to.equal(0)
  })
})
