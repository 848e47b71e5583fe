// `gini-relay` as a process and RestoreConnections on disk (docs/protocol.md §9.2: a relay killed
// with SIGKILL mid-CRP and restarted loses or duplicates no row): registrations, a run cut by
// SIGKILL, a restart on the same --data, and the file read directly; plus the --crp-ttl flag.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { DatabaseSync } from 'node:sqlite'
import { expect } from 'chai'
import { PeerInfo, wire } from '../../protocols/common/index.js'
import { crpParkKey, crpToken, open, seal } from '../../protocols/crypto/index.js'
import { RESTORE_DB_FILE } from '../../relay/constants.js'
import { Cleanup, WAIT_MS, bytes } from '../helpers/relay-clients.js'
import {
  exchange, expectEnd, expectMatched, openCrp, register, relayed, tempDir
} from '../helpers/crp-clients.js'

const CLI = join(process.cwd(), 'dist', 'relay', 'cli.js')

interface Listening { event: string, peerId: string, addrs: string[] }

/** Starts `gini-relay --json` with this process's Node and resolves with its listening line. */
async function startCli (cleanup: Cleanup, args: string[]): Promise<{ proc: ChildProcess, addr: string, line: Listening }> {
  const proc = spawn(process.execPath, [CLI, '--json', '--listen', '/ip4/127.0.0.1/tcp/0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  cleanup.add(() => { if (proc.exitCode == null && proc.signalCode == null) proc.kill('SIGKILL') })
  let stderr = ''
  proc.stderr!.on('data', (d) => { stderr += String(d) })
  const rl = createInterface({ input: proc.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`no line from gini-relay within ${WAIT_MS} ms; stderr: ${stderr}`)) }, WAIT_MS)
    rl.once('line', (l) => { clearTimeout(timer); resolve(l) })
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`gini-relay exited (${code}); stderr: ${stderr}`)) })
  })
  const line = JSON.parse(first) as Listening
  expect(line.event, first).to.equal('listening')
  return { proc, addr: line.addrs[0], line }
}

async function sigkill (proc: ChildProcess): Promise<void> {
  const exited = new Promise(resolve => proc.once('exit', resolve))
  proc.kill('SIGKILL')
  await exited
}

/** What is on disk, read as another process would (committed rows, WAL included). */
function rowsOnDisk (dir: string): { rows: number, distinct: number } {
  const db = new DatabaseSync(join(dir, RESTORE_DB_FILE), { readOnly: true })
  try {
    return db.prepare('SELECT count(*) AS rows, count(DISTINCT SharedSecret) AS "distinct" FROM RestoreConnections').get() as any
  } finally {
    db.close()
  }
}

describe('gini-relay process × RestoreConnections on disk', function () {
  this.timeout(60_000)
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  it('SIGKILL mid-run × restart on the same --data → no registration lost, none duplicated; the cut run restarts and completes', async () => {
    const dir = await tempDir(cleanup, 'gini-relay-crp-kill-')
    const first = await startCli(cleanup, ['--data', dir])

    // 12 contacts register (half with a parked offer), each on its own stream.
    const contacts = Array.from({ length: 12 }, (_, i) => {
      const ss = bytes(64)
      return { ss, token: wire(crpToken(ss)), info: PeerInfo.encode({ peerId: bytes(38), multiaddrs: [], atMs: BigInt(i) }) }
    })
    const expires = new Map<number, bigint>()
    for (const [i, c] of contacts.entries()) {
      const ch = await openCrp(cleanup, first.addr) // a fresh run identity each, as peers do (§11)
      const parked = i % 2 === 0 ? seal(crpParkKey(c.ss, 'A'), c.token, c.info) : undefined
      const r = await register(ch, c.token, 'A', parked != null ? { nonce: wire(parked.nonce), ciphertext: wire(parked.ciphertext) } : undefined)
      expires.set(i, r.expiresAtMs)
    }
    // A run in progress when the relay dies.
    const run = { token: wire(crpToken(bytes(64))) }
    const a = await openCrp(cleanup, first.addr)
    await register(a, run.token, 'A')
    const b = await openCrp(cleanup, first.addr)
    await register(b, run.token, 'B')
    await expectMatched(b, a)
    await relayed(a, b, { challenge: { nonce: bytes(32) } })

    await sigkill(first.proc)
    expect(rowsOnDisk(dir)).to.deep.equal({ rows: 13, distinct: 13 })
    await expectEnd(a)
    await expectEnd(b)

    const second = await startCli(cleanup, ['--data', dir])
    expect(second.line.peerId, 'same identity from --data').to.equal(first.line.peerId)
    // Every contact's B registers: the row is the one A made (same first registration), with A's parked offer.
    for (const [i, c] of contacts.entries()) {
      const ch = await openCrp(cleanup, second.addr)
      const r = await register(ch, c.token, 'B')
      expect(r.expiresAtMs, `contact ${i}: first registration kept`).to.equal(expires.get(i))
      if (i % 2 === 0) expect(open(crpParkKey(c.ss, 'A'), c.token, r.parked!), `contact ${i}: parked offer`).to.deep.equal(c.info)
      else expect(r.parked).to.equal(undefined)
      await ch.close()
    }
    expect(rowsOnDisk(dir)).to.deep.equal({ rows: 13, distinct: 13 })

    // The cut run: both register again on fresh streams and finish; Done deletes its row.
    const a2 = await openCrp(cleanup, second.addr)
    await register(a2, run.token, 'A')
    const b2 = await openCrp(cleanup, second.addr)
    await register(b2, run.token, 'B')
    await expectMatched(b2, a2)
    await exchange(a2, b2)
    await a2.write({ done: {} })
    await expectEnd(a2)
    expect(rowsOnDisk(dir)).to.deep.equal({ rows: 12, distinct: 12 })

    // A second SIGKILL right after registrations: still nothing lost.
    const late = { token: wire(crpToken(bytes(64))) }
    const ch = await openCrp(cleanup, second.addr)
    await register(ch, late.token, 'B')
    await sigkill(second.proc)
    expect(rowsOnDisk(dir)).to.deep.equal({ rows: 13, distinct: 13 })
  })

  it('--crp-ttl 2s × Register → Registered.expiresAtMs = first registration + 2 s', async () => {
    const dir = await tempDir(cleanup, 'gini-relay-crp-ttl-')
    const { addr } = await startCli(cleanup, ['--data', dir, '--crp-ttl', '2s'])
    const ch = await openCrp(cleanup, addr)
    const before = Date.now()
    const { expiresAtMs } = await register(ch, wire(crpToken(bytes(64))), 'A')
    expect(Number(expiresAtMs)).to.be.within(before + 2_000, Date.now() + 2_000)
  })

  it('--help × documents --crp-ttl', async () => {
    const proc = spawn(process.execPath, [CLI, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] })
    cleanup.add(() => { if (proc.exitCode == null) proc.kill('SIGKILL') })
    let out = ''
    proc.stdout!.on('data', (d) => { out += String(d) })
    await new Promise(resolve => proc.once('exit', resolve))
    expect(out).to.match(/--crp-ttl <duration>/)
  })
})
