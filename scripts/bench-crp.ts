// `npm run bench:crp`: the time from both peers online (both daemons hold their relay slot) to the
// contact `online` again through the Connection Restore Protocol, on loopback. Each
// sample restarts both daemons against a fresh relay, so every saved address is stale and only the
// CRP can bring them together; `unreachableAfterMs` is 1 ms so the CRP starts at once.
// A benchmark, not a test: numbers go to BENCHMARKS.md, nothing here asserts a speed.
import { parseArgs } from 'node:util'
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises'
import { tmpdir, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { createRelay } from '../relay/index.js'
import { GiniNode, FileStorage, createPeerNode, releaseWebRtc } from '../peer/index.js'
import type { DaemonEvent } from '../peer/core/daemon/events.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false }
  }
})
const RUNS = Math.max(1, Math.min(200, Number(values.runs)))
const SAMPLE_LIMIT_MS = 30_000

interface Sample { total: number, register: number, meet: number, connect: number, direct: boolean, via: 'matched' | 'parked' }

function pct (xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}
const fmt = (ms: number): string => ms.toFixed(ms < 10 ? 1 : 0)

async function open (dir: string, name: string): Promise<GiniNode> {
  const node = await GiniNode.open({ storage: new FileStorage(join(dir, name)), createPeerNode })
  await node.setProfile({ name })
  return node
}

const dir = await mkdtemp(join(tmpdir(), 'gini-bench-crp-'))
const samples: Sample[] = []
try {
  const [alice, bob] = [await open(dir, 'alice'), await open(dir, 'bob')]
  const pairing = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const addr = pairing.multiaddrs[0].toString()
  let gotCode: (code: string) => void = () => {}
  const shown = new Promise<string>(resolve => { gotCode = resolve })
  const invite = alice.invite({ relay: addr, onProgress: (e) => { if (e.event === 'flash-code') gotCode(e.code) } })
  const code = await Promise.race([shown, invite.then(() => { throw new Error('invite ended before showing its code') })])
  await Promise.all([invite, bob.accept(code, { relay: addr })])
  await pairing.stop()

  for (let i = 0; i < RUNS; i++) {
    const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
    const relayAddr = relay.multiaddrs[0].toString()
    const marks = new Map<string, number>()
    let direct = false
    let via: Sample['via'] = 'matched'
    const mark = (key: string): void => { if (!marks.has(key)) marks.set(key, performance.now()) }
    const listener = (who: string) => (e: DaemonEvent): void => {
      if (e.event === 'listening' && e.addrs.length > 0) mark(`listening-${who}`)
      if (e.event === 'crp' && e.step === 'registered') mark(`registered-${who}`)
      if (e.event === 'crp' && (e.step === 'matched' || e.step === 'parked-offer')) mark('meet')
      if (e.event === 'crp' && e.step === 'parked-offer' && !marks.has('meet-matched')) via = 'parked'
      if (e.event === 'crp' && e.step === 'matched') marks.set('meet-matched', 1)
      if (e.event === 'session') { mark('session'); direct = e.direct }
      if (e.event === 'contact-state' && e.state === 'online') mark(`online-${who}`)
    }
    const opts = { relays: [relayAddr], unreachableAfterMs: 1, crpSchedule: 'fast' as const }
    const [da, db] = await Promise.all([
      alice.startDaemon({ ...opts, onEvent: listener('a') }),
      bob.startDaemon({ ...opts, onEvent: listener('b') })
    ])
    try {
      const limit = performance.now() + SAMPLE_LIMIT_MS
      while (!(marks.has('online-a') && marks.has('online-b'))) {
        if (performance.now() > limit) throw new Error(`sample ${i + 1}: not online within ${SAMPLE_LIMIT_MS} ms`)
        await new Promise(resolve => setTimeout(resolve, 1))
      }
      const t0 = Math.max(marks.get('listening-a')!, marks.get('listening-b')!)
      const registered = Math.max(marks.get('registered-a') ?? t0, marks.get('registered-b') ?? t0)
      const end = Math.max(marks.get('online-a')!, marks.get('online-b')!)
      const meet = marks.get('meet') ?? registered
      samples.push({ total: end - t0, register: registered - t0, meet: Math.max(0, meet - registered), connect: end - Math.max(meet, registered), direct, via })
      process.stderr.write(`\rcrp restore ${i + 1}/${RUNS}: ${fmt(end - t0)} ms${direct ? '' : ' (relayed)'}   `)
    } finally {
      await Promise.all([da.stop(), db.stop()])
      await relay.stop()
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true })
  await releaseWebRtc().catch(() => {})
}
process.stderr.write('\n')

const row = (label: string, xs: number[]): string => `| ${label} | ${fmt(pct(xs, 50))} | ${fmt(pct(xs, 90))} | ${fmt(Math.max(...xs))} |`
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} (load average ${loadavg()[0].toFixed(1)} at the end), ` +
    `Node ${process.version}, ${RUNS} samples, command \`npm run bench:crp -- --runs ${RUNS}\`.`,
  '',
  'Both daemons start against a fresh relay (every saved address stale, `unreachableAfterMs` 1 ms, `--crp-schedule fast`); ' +
    'the clock runs from the later daemon holding its relay slot ("both peers online") to the contact `online` on both sides.',
  '',
  '| phase (ms) | p50 | p90 | max |',
  '|---|---|---|---|',
  row('**both online → both `online` via CRP**', samples.map(s => s.total)),
  row('· CRP starts, run identity, relay slot, Register ×1–2', samples.map(s => s.register)),
  row('· until Matched (or a parked offer) at the relay', samples.map(s => s.meet)),
  row('· challenge/proof, offer/answer, WebRTC dial, §5 session', samples.map(s => s.connect)),
  '',
  `Restored over direct WebRTC in ${samples.filter(s => s.direct).length}/${samples.length} samples; ` +
    `through a matched run in ${samples.filter(s => s.via === 'matched').length}, a parked offer in ${samples.filter(s => s.via === 'parked').length}.`
]
const section = lines.join('\n')
console.log(section)

if (values['no-write'] !== true) {
  const file = 'BENCHMARKS.md'
  const begin = '<!-- bench:crp begin -->'
  const end = '<!-- bench:crp end -->'
  let text = ''
  try { text = await readFile(file, 'utf8') } catch {}
  const block = `${begin}\n${section}\n${end}`
  text = text.includes(begin)
    ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block)
    : `${text.trimEnd()}\n\n## Restore time via the CRP (\`npm run bench:crp\`)\n\n${block}\n`
  await writeFile(file, text.trimStart())
  console.log(`\nwritten to ${file}`)
}
process.exit(0)
