// `npm run bench:pair`: pairs N times on loopback and reports the time from `accept` to both sides'
// `contact-added`, split by phase, beside Magic Wormhole (Go wormhole-william and Python wormhole)
// doing "code entered → both sides done" against a local mailbox server, in the same run.
// A benchmark, not a test: numbers go to BENCHMARKS.md, nothing here asserts a speed.
import { parseArgs } from 'node:util'
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises'
import { tmpdir, cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { createRelay } from '../relay/index.js'
import { GiniNode, FileStorage, createPeerNode, releaseWebRtc } from '../node/index.js'
import type { PairingEvent } from '../node/core/events.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false },
    'skip-wormhole': { type: 'boolean', default: false }
  }
})
const RUNS = Math.max(1, Math.min(200, Number(values.runs)))
const STEP_LIMIT_MS = 30_000

interface Sample { total: number, relay: number, cpace: number, webrtc: number, sync: number, direct: boolean }

function pct (xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}
const fmt = (ms: number): string => ms.toFixed(ms < 10 ? 1 : 0)

async function benchGini (): Promise<Sample[]> {
  const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const addr = relay.multiaddrs[0].toString()
  const samples: Sample[] = []
  try {
    for (let i = 0; i < RUNS; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'gini-bench-'))
      try {
        const [alice, bob] = await Promise.all(['alice', 'bob'].map(async (who) => {
          const node = await GiniNode.open({ storage: new FileStorage(join(dir, who)), createPeerNode })
          await node.setProfile({ name: who })
          return node
        }))
        const aliceEvents: PairingEvent[] = []
        const codeShown = new Promise<string>((resolve) => {
          void alice.invite({
            relay: addr,
            onProgress: (e) => { aliceEvents.push(e); if (e.event === 'flash-code') resolve(e.code) }
          }).then(() => { aliceDone = performance.now() })
        })
        let aliceDone = 0
        const code = await codeShown
        const marks = new Map<string, number>()
        let direct = false
        const t0 = performance.now()
        await bob.accept(code, {
          relay: addr,
          signal: AbortSignal.timeout(STEP_LIMIT_MS),
          onProgress: (e) => {
            if (!marks.has(e.event)) marks.set(e.event, performance.now())
            if (e.event === 'connected') direct = e.direct
          }
        })
        const bobDone = performance.now()
        const limit = Date.now() + STEP_LIMIT_MS
        while (aliceDone === 0 && Date.now() < limit) await new Promise(resolve => setTimeout(resolve, 1))
        const end = Math.max(bobDone, aliceDone)
        samples.push({
          total: end - t0,
          relay: marks.get('matched')! - t0,
          cpace: marks.get('verified')! - marks.get('matched')!,
          webrtc: marks.get('connected')! - marks.get('verified')!,
          sync: end - marks.get('connected')!,
          direct
        })
        process.stderr.write(`\rgini pairing ${i + 1}/${RUNS}: ${fmt(end - t0)} ms${direct ? '' : ' (relayed)'}   `)
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    }
  } finally {
    process.stderr.write('\n')
    await relay.stop()
  }
  return samples
}

async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => { resolve(port) })
    })
    srv.on('error', reject)
  })
}

function waitForOutput (child: ChildProcess, pattern: RegExp, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => { reject(new Error(`no ${String(pattern)} within ${ms} ms: ${seen}`)) }, ms)
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString()
      if (pattern.test(seen)) { clearTimeout(timer); resolve() }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
  })
}

function exited (child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (child.exitCode != null) { resolve(); return }
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('wormhole did not finish')) }, ms)
    child.once('exit', () => { clearTimeout(timer); resolve() })
  })
}

/** "code entered → both sides done" for one wormhole implementation; undefined if not installed. */
async function benchWormhole (name: string, send: (url: string, code: string) => string[], recv: (url: string, code: string) => string[], bin: string): Promise<number[] | undefined> {
  if (spawnSync('which', [bin]).status !== 0) return undefined
  const port = await freePort()
  const mailbox = spawn('twist3', ['wormhole-mailbox', `--port=tcp:${port}:interface=127.0.0.1`], { stdio: ['ignore', 'pipe', 'pipe'] })
  const url = `ws://127.0.0.1:${port}/v1`
  const samples: number[] = []
  try {
    await waitForOutput(mailbox, /starting on/, 15_000)
    for (let i = 0; i < RUNS; i++) {
      const code = `${i + 2}-guitarist-revenge`
      const sender = spawn(bin, send(url, code), { stdio: ['ignore', 'pipe', 'pipe'] })
      await waitForOutput(sender, /Wormhole code is/, 15_000)
      const t0 = performance.now()
      const receiver = spawn(bin, recv(url, code), { stdio: ['ignore', 'pipe', 'pipe'] })
      await Promise.all([exited(receiver, STEP_LIMIT_MS), exited(sender, STEP_LIMIT_MS)])
      samples.push(performance.now() - t0)
      process.stderr.write(`\r${name} ${i + 1}/${RUNS}: ${fmt(samples[samples.length - 1])} ms   `)
    }
  } finally {
    process.stderr.write('\n')
    mailbox.kill('SIGTERM')
  }
  return samples
}

function row (name: string, xs: number[], note = ''): string {
  return `| ${name} | ${fmt(pct(xs, 50))} | ${fmt(pct(xs, 95))} | ${fmt(Math.min(...xs))} / ${fmt(Math.max(...xs))} | ${note} |`
}

const gini = await benchGini()
await releaseWebRtc().catch(() => {})
const william = values['skip-wormhole'] === true
  ? undefined
  : await benchWormhole('wormhole-william', (u, c) => ['send', '--relay-url', u, '--code', c, '--text', 'hello'], (u, c) => ['recv', '--relay-url', u, c], 'wormhole-william')
const python = values['skip-wormhole'] === true
  ? undefined
  : await benchWormhole('wormhole (Python)', (u, c) => ['--relay-url', u, 'send', '--code', c, '--text', 'hello'], (u, c) => ['--relay-url', u, 'receive', c], 'wormhole')

const totals = gini.map(s => s.total)
const directCount = gini.filter(s => s.direct).length
const p50 = pct(totals, 50)
const lines = [
  `Command: \`npm run bench:pair -- --runs ${RUNS}\` · ${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version}`,
  '',
  '| run (ms) | p50 | p95 | min / max | note |',
  '|---|---|---|---|---|',
  row('**GiniConnect** accept → both `contact-added`', totals, `${directCount}/${gini.length} direct WebRTC; in-process, no process start`),
  row('· relay: dial relay + Join → Matched', gini.map(s => s.relay)),
  row('· CPace: TempKey + MFC round trips', gini.map(s => s.cpace)),
  row('· WebRTC: sealed offer/answer + upgrade', gini.map(s => s.webrtc)),
  row('· contact sync + first session + Done', gini.map(s => s.sync)),
  ...(william != null ? [row('wormhole-william (Go) recv → both exit', william, 'includes its process start')] : ['| wormhole-william | – | – | – | not installed |']),
  ...(python != null ? [row('wormhole (Python) receive → both exit', python, 'includes its process start')] : ['| wormhole (Python) | – | – | – | not installed |']),
  '',
  `Ratios (p50): GiniConnect / wormhole-william = ${william != null ? (p50 / pct(william, 50)).toFixed(2) : 'n/a'}, ` +
  `GiniConnect / Python wormhole = ${python != null ? (p50 / pct(python, 50)).toFixed(2) : 'n/a'}. ` +
  'GiniConnect does more in that time (a PAKE, a direct WebRTC connection, two vCards, a 3-DH session); ' +
  'wormhole moves one short text through its mailbox.'
]
const section = lines.join('\n')
console.log(section)

if (values['no-write'] !== true) {
  const file = 'BENCHMARKS.md'
  const begin = '<!-- bench:pair begin -->'
  const end = '<!-- bench:pair end -->'
  let text = ''
  try { text = await readFile(file, 'utf8') } catch {}
  const block = `${begin}\n${section}\n${end}`
  text = text.includes(begin)
    ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block)
    : `${text.trimEnd()}\n\n## Pairing time (\`npm run bench:pair\`)\n\n${block}\n`
  await writeFile(file, text)
  console.log(`\nwritten to ${file}`)
}
process.exit(0)
