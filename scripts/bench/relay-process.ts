// The relay under test for the capacity benchmarks, in its own process so its RSS and CPU are its
// own: createRelay with the Create/Join rate limits off and room for many connections (a benchmark
// setting, never a production one). Prints {"event":"listening","addrs":[…]} like gini-relay --json,
// then a stats line every second (pending rows, connections, and the process's memory). Optional
// arguments: the dist directory whose relay to run (default: this build; an older build can be
// measured the same way) and, with `--idle-ms N`, the idle-connection timeout. Started with
// --expose-gc, it collects garbage before each stats line so heap numbers are live objects only.
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { createRelay as CreateRelay } from '../../relay/index.js'

/** Bounds far above what the benchmark opens, so the relay's own limits never cut a run short. */
const BENCH_MAX = 100_000
const STATS_EVERY_MS = 1_000

const args = process.argv.slice(2)
const idleAt = args.indexOf('--idle-ms')
const idleConnectionTimeoutMs = idleAt >= 0 ? Number(args.splice(idleAt, 2)[1]) : undefined
const dist = resolve(args[0] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'))
const { createRelay } = await import(pathToFileURL(join(dist, 'relay', 'index.js')).href) as { createRelay: typeof CreateRelay }

const relay = await createRelay({
  listen: ['/ip4/127.0.0.1/tcp/0'],
  rateLimit: false,
  maxPendingPairings: BENCH_MAX,
  maxConnections: BENCH_MAX,
  maxReservations: BENCH_MAX,
  inboundConnectionsPerHostPerSecond: BENCH_MAX,
  // Every client dials from 127.0.0.1: the per-network shares would stop the benchmark at once.
  maxConnectionsPerIp: BENCH_MAX,
  maxConnectionsPerIp6Prefix: BENCH_MAX,
  reservedConnections: 0,
  maxPendingPerIp: BENCH_MAX,
  reservedPendingPairings: 0,
  ...(idleConnectionTimeoutMs != null ? { idleConnectionTimeoutMs } : {})
})
process.stdout.write(JSON.stringify({ event: 'listening', addrs: relay.multiaddrs.map(m => m.toString()) }) + '\n')
const stop = (): void => { void relay.stop().finally(() => process.exit(0)) }
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
const gc = (globalThis as { gc?: () => void }).gc
setInterval(() => {
  gc?.()
  const m = process.memoryUsage()
  process.stdout.write(JSON.stringify({
    event: 'stats',
    pending: relay.fc.pendingCount,
    connections: relay.node.getConnections().length,
    rss: m.rss,
    heapTotal: m.heapTotal,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers
  }) + '\n')
}, STATS_EVERY_MS).unref()
