// Parses the CLI's durations (`180s`, `2s`, `500ms`, `3m`, `1h`, `365d`; a bare number is seconds).
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Milliseconds for a duration string; throws a readable error for anything else. */
export function parseDurationMs (text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text)
  if (m == null) throw new Error(`invalid duration "${text}" (use e.g. 180s, 500ms, 3m)`)
  const ms = Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's'])
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new Error(`invalid duration "${text}" (must be positive)`)
  return ms
}
