// The relay under test for the capacity benchmark, in its own process so its RSS and CPU are its
// own: createRelay with the Create/Join rate limits off and room for many connections (a benchmark
// setting, never a production one). Prints {"event":"listening","addrs":[…]} like gini-relay --json.
import { createRelay } from '../../relay/index.js'

/** Bounds far above what the benchmark opens, so the relay's own limits never cut a run short. */
const BENCH_MAX = 100_000

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
  reservedPendingPairings: 0
})
process.stdout.write(JSON.stringify({ event: 'listening', addrs: relay.multiaddrs.map(m => m.toString()) }) + '\n')
const stop = (): void => { void relay.stop().finally(() => process.exit(0)) }
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
setInterval(() => {
  process.stdout.write(JSON.stringify({ event: 'stats', pending: relay.fc.pendingCount, connections: relay.node.getConnections().length }) + '\n')
}, 1000).unref()
