// `npm run bench:restore`: the relay's RestoreConnections (relay/restore-store.ts, docs/protocol.md §9.2)
// with 1 000 000 rows on disk — registration latency p50/p99 at a paced 1 000 registrations/s,
// database size per row, and the sweep deleting the expired half. Writes its section of
// BENCHMARKS.md. A benchmark, not a test: nothing here asserts a speed. Bounded: well under 3 min.
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { DatabaseSync } from 'node:sqlite'
import { parseArgs } from 'node:util'
import { CRP_PARKED_TTL_MS, CRP_ROW_TTL_MS, type Sealed } from '../protocols/crp/index.js'
import { CRP_SWEEP_BATCH_ROWS } from '../relay/constants.js'
import { SqliteRestoreStore, restoreDbPath } from '../relay/restore-store.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    'no-write': { type: 'boolean', default: false }
  }
})
const ROWS = Math.max(1_000, Math.min(5_000_000, Number(values.rows)))
const RATE = Math.max(1, Math.min(20_000, Number(values.rate)))
const SECONDS = Math.max(1, Math.min(60, Number(values.seconds)))
const FILL_TX_ROWS = 100_000
const DAY_MS = 86_400_000
/** A parked offer the size of the vectors' one (docs §3.1): 24-byte nonce, 98-byte PeerInfo + 16-byte tag. */
const CIPHERTEXT_BYTES = 114

const fmt = (ms: number): string => ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms.toFixed(0)
const num = (n: number): string => n.toLocaleString('en-US').replace(/,/g, ' ')
function pct (xs: number[], p: number): number {
  const s = Float64Array.from(xs).sort()
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}
// Random bytes drawn in bulk (one randomBytes call per token costs more than the insert here).
let pool = randomBytes(0)
function random (n: number): Uint8Array<ArrayBuffer> {
  if (pool.byteLength < n) pool = randomBytes(1 << 20)
  const out = new Uint8Array(pool.subarray(0, n))
  pool = pool.subarray(n)
  return out
}
const PARKED: Sealed[] = Array.from({ length: 1024 }, () => ({ nonce: random(24), ciphertext: random(CIPHERTEXT_BYTES) }))
const parked = (): Sealed => PARKED[Math.floor(Math.random() * PARKED.length)]
const token = (): Uint8Array<ArrayBuffer> => random(32)
const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

const dir = await mkdtemp(join(tmpdir(), 'gini-bench-restore-'))
const path = restoreDbPath(dir)
const store = SqliteRestoreStore.open(path)
const now = Date.now()
const live: Uint8Array[] = []
try {
  // 1. Bulk fill, in time order as a relay would have written them over 400 days: every row carries
  //    one parked offer (a running CRP registers at least daily, so most rows hold one). The even
  //    rows are the older half: first registered over 365 days ago, so expired.
  const HISTORY_MS = 400 * DAY_MS
  const t = performance.now()
  for (let i = 0; i < ROWS; i += FILL_TX_ROWS) {
    const batch = []
    for (let j = i; j < Math.min(ROWS, i + FILL_TX_ROWS); j++) {
      const expired = j < ROWS / 2
      const atMs = expired
        ? now - HISTORY_MS + Math.floor((j / (ROWS / 2)) * (HISTORY_MS - CRP_ROW_TTL_MS - DAY_MS))
        : now - CRP_ROW_TTL_MS + DAY_MS + Math.floor(((j - ROWS / 2) / (ROWS / 2)) * (CRP_ROW_TTL_MS - 2 * DAY_MS))
      const tok = token()
      if (!expired && live.length < 200_000) live.push(tok)
      batch.push({ token: tok, atMs, parked: j % 2 === 0 ? { A: parked() } : { B: parked() } })
    }
    store.load(batch) // steady state: no Session (no stream is live)
    process.stderr.write(`\rfilling ${num(i)} / ${num(ROWS)}   `)
  }
  const fillMs = performance.now() - t
  store.checkpoint()
  process.stderr.write(`\rfilled ${num(ROWS)} rows in ${(fillMs / 1000).toFixed(1)} s\n`)
  const fileBytes = (await stat(path)).size
  const usedBytes = store.bytesUsed()

  // 2. Paced registrations: what the relay does per Register (get, then the upsert), each its own
  //    transaction as in production; half on known tokens (role B with a parked offer), half new.
  const total = RATE * SECONDS
  const latencies: number[] = []
  const t0 = performance.now()
  let done = 0
  while (done < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * RATE) / 1000) + 1)
    for (; done < due; done++) {
      const known = done % 2 === 0
      const tok = known ? live[Math.floor(Math.random() * live.length)] : token()
      const s = performance.now()
      store.get(tok)
      store.register(tok, known ? 'B' : 'A', parked(), Date.now())
      latencies.push(performance.now() - s)
    }
    await sleep(1)
  }
  const loadMs = performance.now() - t0
  process.stderr.write(`paced ${num(total)} registrations in ${(loadMs / 1000).toFixed(1)} s\n`)

  // 3. Sweep, in batches: first the rows (the expired half), then parked offers older than 24 h.
  const rowsBefore = store.size
  const sweep = async (cutoffs: { rowsFirstAtOrBefore: number, parkedAtOrBefore: number }): Promise<{ n: number, ms: number, cpuMs: number, stallMs: number }> => {
    const stall = monitorEventLoopDelay({ resolution: 1 })
    stall.enable()
    const s = performance.now()
    const cpu = process.cpuUsage()
    const counts = await store.sweep({ ...cutoffs, sessionsAtOrBefore: 0 })
    const ms = performance.now() - s
    const used = process.cpuUsage(cpu)
    stall.disable()
    return { n: counts.rows + counts.parked, ms, cpuMs: (used.user + used.system) / 1000, stallMs: stall.max / 1e6 }
  }
  const rowsSwept = await sweep({ rowsFirstAtOrBefore: now - CRP_ROW_TTL_MS, parkedAtOrBefore: 0 })
  const parkedSwept = await sweep({ rowsFirstAtOrBefore: 0, parkedAtOrBefore: Date.now() - CRP_PARKED_TTL_MS })
  store.checkpoint()
  process.stderr.write(`swept ${num(rowsSwept.n)} rows in ${(rowsSwept.ms / 1000).toFixed(1)} s\n`)

  const sqlite = new DatabaseSync(':memory:')
  const version = (sqlite.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v
  sqlite.close()
  const lines = [
    `Command: \`npm run bench:restore\` · ${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg().map(l => l.toFixed(1)).join(' ')} at the end · Node ${process.version} · ` +
      `SQLite ${version} (node:sqlite), WAL, synchronous=NORMAL, file in ${tmpdir()}`,
    '',
    `| RestoreConnections, ${num(ROWS)} rows | result |`,
    '|---|---|',
    `| bulk fill, transactions of ${num(FILL_TX_ROWS)} (one ${24 + CIPHERTEXT_BYTES}-byte parked offer per row) | ${(fillMs / 1000).toFixed(1)} s (${num(Math.round(ROWS / (fillMs / 1000)))} rows/s) |`,
    `| database size per row | ${Math.round(usedBytes / ROWS)} B in use (file ${(fileBytes / 2 ** 20).toFixed(0)} MiB = ${Math.round(fileBytes / ROWS)} B/row) |`,
    `| registration latency p50 / p99 / max, paced ${num(RATE)}/s for ${SECONDS} s (${num(total)} Registers, half new tokens; get + upsert, one transaction each) | ` +
      `${fmt(pct(latencies, 50))} / ${fmt(pct(latencies, 99))} / ${fmt(Math.max(...latencies))} ms (achieved ${num(Math.round(total / (loadMs / 1000)))}/s) |`,
    `| sweep time: delete the expired half (${num(rowsSwept.n)} of ${num(rowsBefore)} rows), batches of ${num(CRP_SWEEP_BATCH_ROWS)} | ` +
      `${(rowsSwept.ms / 1000).toFixed(1)} s (CPU ${(rowsSwept.cpuMs / 1000).toFixed(1)} s), longest event-loop stall ${fmt(rowsSwept.stallMs)} ms |`,
    `| sweep time: clear ${num(parkedSwept.n)} parked offers older than 24 h | ${(parkedSwept.ms / 1000).toFixed(1)} s (CPU ${(parkedSwept.cpuMs / 1000).toFixed(1)} s), longest stall ${fmt(parkedSwept.stallMs)} ms |`,
    '',
    'Latency is the database part of a `Register` (the relay adds framing and one stream write). Tails (p99, max, ' +
      'stalls) include time the process waited for a CPU or the disk: compare CPU with wall time and the load average above. ' +
      'synchronous=NORMAL: a commit reaches the WAL (safe against SIGKILL) without an fsync; the ' +
      'hourly sweep of a steady relay deletes about 1/8 760 of the rows, not half.'
  ]
  const section = lines.join('\n')
  console.log(section)

  if (values['no-write'] !== true) {
    const file = 'BENCHMARKS.md'
    const begin = '<!-- bench:restore begin -->'
    const end = '<!-- bench:restore end -->'
    let text = ''
    try { text = await readFile(file, 'utf8') } catch {}
    if (text.trim() === '') text = '# Benchmarks\n\nEach section is written by the script it names; the machine line says where it ran.\n'
    const block = `${begin}\n${section}\n${end}`
    text = text.includes(begin)
      ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block)
      : `${text.trimEnd()}\n\n## Relay RestoreConnections (\`npm run bench:restore\`)\n\n${block}\n`
    await writeFile(file, text)
    console.log(`\nwritten to ${file}`)
  }
} finally {
  store.close()
  await rm(dir, { recursive: true, force: true })
}
process.exit(0)
