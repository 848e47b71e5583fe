// Where the page finds its relay: `/config.json` served next to the page (by `npm start`), unless
// the user set another one in Settings (kept per profile in localStorage). Which profile a tab runs
// comes from `?profile=<name>`: one browser profile shares one IndexedDB per origin, so two people
// on one computer (the two-tab demo) need two names.
import type { IceServer } from '../../peer/core/peer-node.js'
import type { DaemonMailboxOptions } from '../../peer/core/daemon/daemon.js'
import { MIN_MAILBOX_FETCH_INTERVAL_MS } from '../../peer/core/daemon/schedule.js'

/** What `/config.json` may carry. Unknown fields are ignored. */
export interface ServedConfig {
  /** The relay's WebSocket multiaddr, ending in /p2p/<relay peer id>. */
  relay?: string
  iceServers?: IceServer[]
  /** The relay mailbox's timings (docs/protocol.md §16), in ms; the daemon's defaults when absent. */
  mailbox?: DaemonMailboxOptions
  /** File transfer (docs/protocol.md §17.3): the largest file this client accepts, in bytes (default 4 GiB). */
  files?: { maxBytes?: number }
}

export interface ClientConfig {
  profile: string
  dbName: string
  served: ServedConfig
  iceServers: IceServer[]
  /** Always on while the tab is open: fetched at start and every fetchIntervalMs (§16). */
  mailbox: DaemonMailboxOptions
  files: { maxBytes?: number }
}

/** Fetching config.json from our own origin is instant when it works; do not hang the first paint. */
const CONFIG_FETCH_TIMEOUT_MS = 3_000
const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/
export const DEFAULT_PROFILE = 'default'

export function profileFromUrl (url: URL): string {
  const wanted = url.searchParams.get('profile')?.trim().toLowerCase() ?? ''
  return PROFILE_NAME.test(wanted) ? wanted : DEFAULT_PROFILE
}

export async function loadConfig (url: URL = new URL(location.href)): Promise<ClientConfig> {
  const profile = profileFromUrl(url)
  const served = await fetchServedConfig(new URL('config.json', url))
  return {
    profile,
    dbName: profile === DEFAULT_PROFILE ? 'giniconnect' : `giniconnect-${profile}`,
    served,
    iceServers: Array.isArray(served.iceServers) ? served.iceServers : [],
    mailbox: served.mailbox ?? {},
    files: served.files ?? {}
  }
}

async function fetchServedConfig (url: URL): Promise<ServedConfig> {
  try {
    const res = await fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(CONFIG_FETCH_TIMEOUT_MS) })
    if (!res.ok) return {}
    const json: unknown = await res.json()
    if (json == null || typeof json !== 'object') return {}
    const { relay, iceServers, mailbox, files } = json as Record<string, unknown>
    return {
      relay: typeof relay === 'string' && relay.trim() !== '' ? relay.trim() : undefined,
      iceServers: Array.isArray(iceServers) ? iceServers as IceServer[] : undefined,
      mailbox: mailboxTimings(mailbox),
      files: fileLimits(files)
    }
  } catch {
    // No config.json (a static host without `npm start`): the user sets the relay in Settings.
    return {}
  }
}

/** The timings config.json gives that are whole milliseconds ≥ 0 (fetchIntervalMs ≥ 1 s); the rest stay defaults. */
function mailboxTimings (value: unknown): DaemonMailboxOptions | undefined {
  if (value == null || typeof value !== 'object') return undefined
  const { fetchIntervalMs, depositAfterMs } = value as Record<string, unknown>
  const ms = (v: unknown, min: number): number | undefined => typeof v === 'number' && Number.isSafeInteger(v) && v >= min ? v : undefined
  const out: DaemonMailboxOptions = {}
  const fetchEvery = ms(fetchIntervalMs, MIN_MAILBOX_FETCH_INTERVAL_MS)
  const depositAfter = ms(depositAfterMs, 0)
  if (fetchEvery != null) out.fetchIntervalMs = fetchEvery
  if (depositAfter != null) out.depositAfterMs = depositAfter
  return out
}

/** A file size limit that is a whole number of bytes ≥ 0; otherwise the daemon's default. */
function fileLimits (value: unknown): { maxBytes?: number } | undefined {
  if (value == null || typeof value !== 'object') return undefined
  const { maxBytes } = value as Record<string, unknown>
  return typeof maxBytes === 'number' && Number.isSafeInteger(maxBytes) && maxBytes >= 0 ? { maxBytes } : undefined
}

/** The relay the user chose in Settings (overrides config.json), per profile. */
export class RelaySetting {
  private readonly key: string

  constructor (profile: string) {
    this.key = `giniconnect:${profile}:relay`
  }

  get (): string | undefined {
    const value = localStorage.getItem(this.key)
    return value == null || value === '' ? undefined : value
  }

  set (value: string | undefined): void {
    if (value == null || value.trim() === '') localStorage.removeItem(this.key)
    else localStorage.setItem(this.key, value.trim())
  }
}
