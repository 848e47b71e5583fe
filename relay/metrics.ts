// Operator endpoints: Prometheus metrics and a health check on a separate (usually loopback) port.
// Labels are outcomes, never ids: no lookup, sid, token or peer id ever becomes a label (§11).
import { createServer, type Server } from 'node:http'
import { Counter, Gauge, Registry } from 'prom-client'
import type { FcOutcome } from '../protocols/fc/index.js'
import type { CrpOutcome } from '../protocols/crp/index.js'
import type { MailboxOutcome } from '../protocols/mailbox/index.js'

export interface RelayMetrics {
  readonly registry: Registry
  /** Counts one GSS outcome (`created`, `completed`, `expired`, `peer-left`, …). */
  pairingOutcome(outcome: FcOutcome): void
  /** Counts one CRP outcome (`registered`, `matched`, `completed`, `swept`, …). */
  restoreOutcome(outcome: CrpOutcome): void
  /** Counts one mailbox outcome (`deposited`, `fetched`, each bound's refusal: `token-full-blobs`, …). */
  mailboxOutcome(outcome: MailboxOutcome): void
  /** Counts one refusal (or idle close) by a per-network limit, labelled by the limit's name only. */
  limitRejected(limit: string): void
  /** Counts one X-Forwarded-For header from a trusted proxy that was ignored for being malformed. */
  forwardedForInvalid(): void
}

export interface RelayGauges {
  /** Relays in the served list (docs/protocol.md §22.1), this one included. */
  listRelays?: () => number
  pendingPairings: () => number
  restoreRows: () => number
  mailboxBlobs: () => number
  mailboxBytes: () => number
}

export function createRelayMetrics (registry: Registry, gauges: RelayGauges): RelayMetrics {
  const outcomes = new Counter({
    name: 'gini_gss_pairings_total',
    help: 'GSS pairing events by outcome (created, matched, completed, expired, peer-left, violation, …)',
    labelNames: ['outcome'],
    registers: [registry]
  })
  // A gauge read at scrape time, so it is always the table's true size.
  const pending = new Gauge({
    name: 'gini_gss_pending_pairings',
    help: 'Live NewConnections rows (pending or matched pairings)',
    registers: [registry],
    collect () { this.set(gauges.pendingPairings()) }
  })
  const restores = new Counter({
    name: 'gini_crp_events_total',
    help: 'Connection Restore Protocol events by outcome (registered, matched, completed, swept, …)',
    labelNames: ['outcome'],
    registers: [registry]
  })
  const rows = new Gauge({
    name: 'gini_crp_rows',
    help: 'RestoreConnections rows in SQLite',
    registers: [registry],
    collect () { this.set(gauges.restoreRows()) }
  })
  const limits = new Counter({
    name: 'gini_relay_limit_rejections_total',
    help: 'Refusals by a per-network limit (connections-per-ip, pending-per-ip6-56, …-reserved, connections-idle, list-full, list-network-taken, list-streams, list-checks-busy, dht-unchecked, dht-provider-records, dht-provider-key, dht-records); never an address',
    labelNames: ['limit'],
    registers: [registry]
  })
  const forwardedInvalid = new Counter({
    name: 'gini_relay_forwarded_for_invalid_total',
    help: 'X-Forwarded-For headers from a trusted proxy (--trust-proxy) ignored for being malformed; the connection counts as the proxy\'s',
    registers: [registry]
  })
  const mailboxEvents = new Counter({
    name: 'gini_mailbox_events_total',
    help: 'Relay mailbox events by outcome (deposited, fetched, deleted, swept, and one per bound: blob-too-large, token-full-blobs, token-full-bytes, address-quota, total-full)',
    labelNames: ['outcome'],
    registers: [registry]
  })
  const mailboxBlobs = new Gauge({
    name: 'gini_mailbox_blobs',
    help: 'Sealed blobs held in the relay mailbox',
    registers: [registry],
    collect () { this.set(gauges.mailboxBlobs()) }
  })
  const mailboxBytes = new Gauge({
    name: 'gini_mailbox_bytes',
    help: 'Bytes of sealed blobs held in the relay mailbox (the bound of --mailbox-max-total-bytes)',
    registers: [registry],
    collect () { this.set(gauges.mailboxBytes()) }
  })
  const listRelays = new Gauge({
    name: 'gini_gss_list_relays',
    help: 'Relays in the relay list this relay serves on /gini/gss/list/1, itself included (bound: --list-max-relays)',
    registers: [registry],
    collect () { this.set(gauges.listRelays?.() ?? 1) }
  })
  void listRelays
  void pending
  void rows
  void mailboxBlobs
  void mailboxBytes
  return {
    registry,
    pairingOutcome (outcome) { outcomes.inc({ outcome }) },
    restoreOutcome (outcome) { restores.inc({ outcome }) },
    mailboxOutcome (outcome) { mailboxEvents.inc({ outcome }) },
    limitRejected (limit) { limits.inc({ limit }) },
    forwardedForInvalid () { forwardedInvalid.inc() }
  }
}

export interface HealthInfo { peerId: string, pendingPairings: number, connections: number }

/** Serves GET /metrics (Prometheus text) and GET /healthz (JSON). Resolves once listening. */
export async function serveMetrics (registry: Registry, health: () => HealthInfo, host: string, port: number): Promise<{ server: Server, url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET') { res.writeHead(405).end(); return }
      if (req.url === '/metrics') {
        res.setHeader('content-type', registry.contentType)
        res.end(await registry.metrics())
      } else if (req.url === '/healthz') {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ status: 'ok', ...health() }))
      } else {
        res.writeHead(404).end('not found: try /metrics or /healthz\n')
      }
    })().catch(() => { res.writeHead(500).end() })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => { server.off('error', reject); resolve() })
  })
  const address = server.address()
  const actualPort = typeof address === 'object' && address != null ? address.port : port
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}` }
}
