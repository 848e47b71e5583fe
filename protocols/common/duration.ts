// The one parser for durations typed on a command line (`gini daemon --unreachable-after`,
// `--mailbox-after`, `--mailbox-fetch-every`, `gini-relay --pairing-ttl`, `--crp-ttl`, `--turn-ttl`):
// `500ms`, `2s`, `1.5s`, `3m`, `1h`, `3d`, `365d`; a bare number is seconds. Anything else, a negative
// value or one below `minMs` (default 1 ms: zero is refused unless `minMs` is 0) is refused.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

export interface ParseDurationOptions {
  /** The smallest value accepted, in ms (default 1: a positive duration). */
  minMs?: number
}

/** Milliseconds for a duration string; throws a RangeError with a readable message otherwise. */
export function parseDurationMs (text: string, opts: ParseDurationOptions = {}): number {
  const minMs = opts.minMs ?? 1
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text)
  const ms = m == null ? NaN : Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's'])
  if (!Number.isSafeInteger(ms) || ms < minMs) {
    const what = minMs === 0 ? 'a number ≥ 0' : minMs === 1 ? 'a positive number' : `at least ${minMs} ms: a number`
    const eg = minMs > 500 ? '180s, 3d' : '500ms, 180s, 3d'
    throw new RangeError(`invalid duration "${text}" (${what} with ms, s, m, h or d, e.g. ${eg})`)
  }
  return ms
}
