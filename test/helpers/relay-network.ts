// Test helpers for relays that form one network (docs/protocol.md §22.1): a networked relay on its
// own loopback address, its list, a bounded wait on the lists' changes, and one counter of /metrics.
import { createRelay, type Relay, type RelayOptions } from '../../relay/index.js'
import type { Cleanup } from './relay-clients.js'

/** A list converges within a few rounds; bounded so a broken network fails the test, not hangs it. */
export const LIST_CONVERGE_MS = 30_000
/** …and within this many changes of the lists watched. */
export const LIST_MAX_CHANGES = 1_000

/** A relay of the network on `host` (its own 127.0.0.x: §22.2 counts one relay per address), stopped by `cleanup`. */
export async function networkRelay (cleanup: Cleanup, host: string, bootstrap: Relay[], opts: RelayOptions & { listRefreshMs: number }): Promise<Relay> {
  const relay = await createRelay({
    listen: [`/ip4/${host}/tcp/0`],
    bootstrap: bootstrap.map(r => r.multiaddrs[0].toString()),
    network: true,
    drainMs: 5_000,
    metrics: { port: 0 },
    rateLimit: false,
    ...opts
  })
  cleanup.add(async () => { await relay.stop() })
  return relay
}

/** Relays of `relay`'s list, by peer id. */
export function listed (relay: Relay): string[] {
  return relay.network.relays().map(e => e.peerId.toString()).sort()
}

/**
 * Resolves once `cond` holds, looked at again on every change of the relays' lists. Bounded: a
 * network that never gets there fails after `ms` (or LIST_MAX_CHANGES changes), not hangs.
 */
export async function untilLists (relays: Relay[], cond: () => boolean, what: string, ms = LIST_CONVERGE_MS): Promise<void> {
  if (cond()) return
  const unsubscribe: Array<() => void> = []
  try {
    await new Promise<void>((resolve, reject) => {
      let changes = 0
      const timer = setTimeout(() => { reject(new Error(`timed out waiting for ${what}`)) }, ms)
      const look = (): void => {
        if (++changes > LIST_MAX_CHANGES) { clearTimeout(timer); reject(new Error(`${what}: still not after ${LIST_MAX_CHANGES} list changes`)); return }
        if (cond()) { clearTimeout(timer); resolve() }
      }
      for (const r of relays) unsubscribe.push(r.network.onChange(look))
    })
  } finally {
    for (const u of unsubscribe) u()
  }
}

/** One counter of the relay's /metrics, e.g. `gini_gss_pairings_total{outcome="completed"}` (0 when never counted). */
export async function metricValue (relay: Relay, series: string): Promise<number> {
  const text = await (await fetch(`${relay.metricsUrl!}/metrics`)).text()
  const line = text.split('\n').find(l => l.startsWith(`${series} `))
  return line == null ? 0 : Number(line.slice(series.length + 1))
}
