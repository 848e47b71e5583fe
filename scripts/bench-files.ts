// `node dist/scripts/bench-files.js`: MiB/s of /gini/files/1 (docs/protocol.md §17) for a 10 MiB and a
// 100 MiB file between two daemons over their direct link on loopback (TCP, docs/protocol.md §17.6), from accept to the
// receiver's `done` (the pull, every chunk hash and the whole-file hash included). Bounded: each
// transfer gives up after SAMPLE_LIMIT_MS. Prints one JSON object. A benchmark, not a test.
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { createRelay } from '../relay/index.js'
import { releaseWebRtc } from '../peer/index.js'
import { openNamedNode, pairNodes } from './lib/paired-nodes.js'
import type { DaemonEvent } from '../peer/core/daemon/events.js'

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10,100' } } })
const SIZES_MIB = values.sizes.split(',').map(Number).filter(n => n > 0 && n <= 1024).slice(0, 4)
const SAMPLE_LIMIT_MS = 300_000
const ONLINE_LIMIT_MS = 30_000

async function waitFor (log: DaemonEvent[], pred: (e: DaemonEvent) => boolean, ms: number): Promise<DaemonEvent> {
  const deadline = Date.now() + ms
  for (;;) {
    const hit = log.find(pred)
    if (hit != null) return hit
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}

const dir = await mkdtemp(join(tmpdir(), 'gini-bench-files-'))
const results: Array<{ mib: number, seconds: number, mibPerSecond: number, direct: boolean, link: string }> = []
try {
  const [alice, bob] = [await openNamedNode(dir, 'alice'), await openNamedNode(dir, 'bob')]
  const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const addr = relay.multiaddrs[0].toString()
  try {
    await pairNodes(alice, bob, addr)
    const aLog: DaemonEvent[] = []
    const bLog: DaemonEvent[] = []
    const a = await alice.startDaemon({ relays: [addr], onEvent: e => aLog.push(e) })
    const b = await bob.startDaemon({ relays: [addr], onEvent: e => bLog.push(e) })
    await waitFor(aLog, e => e.event === 'contact-state' && e.state === 'online', ONLINE_LIMIT_MS)
    await waitFor(bLog, e => e.event === 'contact-state' && e.state === 'online', ONLINE_LIMIT_MS)
    const bobId = (await alice.contacts())[0].id
    for (const mib of SIZES_MIB) {
      const path = join(dir, `file-${mib}.bin`)
      await writeFile(path, randomBytes(mib * 1024 * 1024))
      const offer = await a.files!.offer(bobId, path)
      await waitFor(bLog, e => e.event === 'file' && e.id === offer.id && e.state === 'offered', ONLINE_LIMIT_MS)
      // §17.6: the TCP link comes a moment after the first session; bounded wait (300 × 10 ms).
      for (let i = 0; i < 300 && a.linkOf(bobId)?.kind !== 'tcp'; i++) await new Promise(resolve => setTimeout(resolve, 10))
      const direct = a.linkOf(bobId)?.direct ?? false
      const link = a.linkOf(bobId)?.kind ?? 'none'
      const t0 = performance.now()
      await b.files!.accept(offer.id)
      const end = await waitFor(bLog, e => e.event === 'file' && e.id === offer.id && (e.state === 'done' || e.state === 'failed'), SAMPLE_LIMIT_MS)
      if (end.event === 'file' && end.state !== 'done') throw new Error(`transfer failed: ${end.error ?? ''}`)
      const seconds = (performance.now() - t0) / 1000
      results.push({ mib, seconds: Number(seconds.toFixed(2)), mibPerSecond: Number((mib / seconds).toFixed(1)), direct, link })
    }
  } finally {
    await alice.close()
    await bob.close()
    await relay.stop()
  }
} finally {
  await releaseWebRtc?.()
  await rm(dir, { recursive: true, force: true })
}
console.log(JSON.stringify({ bench: 'files', results, cpus: cpus().length, loadavg: loadavg().map(n => Number(n.toFixed(2))) }))
