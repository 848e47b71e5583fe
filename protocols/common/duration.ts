// The one parser for durations typed on a command line (`gini daemon --unreachable-after`,
// `gini-relay --pairing-ttl`, `--crp-ttl`, `--turn-ttl`): `500ms`, `2s`, `1.5s`, `3m`, `1h`, `3d`,
// `365d`; a bare number is seconds. Anything else, zero or a negative value is refused.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Milliseconds for a duration string; throws a RangeError with a readable message otherwise. */
export function parseDurationMs (text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text)
  const ms = m == null ? NaN : Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's'])
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new RangeError(`invalid duration "${text}" (a positive number with ms, s, m, h or d, e.g. 500ms, 180s, 3d)`)
  }
  return ms
}
