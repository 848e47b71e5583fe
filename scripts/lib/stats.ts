// Percentiles and summaries for the harness and the benchmarks (nearest-rank, as bench-pair.ts).

export interface Summary {
  n: number
  p50: number
  p95: number
  min: number
  max: number
  mean: number
}

/** Nearest-rank percentile; NaN for an empty list. */
export function pct (xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}

export function summarize (xs: number[]): Summary {
  if (xs.length === 0) return { n: 0, p50: NaN, p95: NaN, min: NaN, max: NaN, mean: NaN }
  return {
    n: xs.length,
    p50: pct(xs, 50),
    p95: pct(xs, 95),
    min: Math.min(...xs),
    max: Math.max(...xs),
    mean: xs.reduce((a, b) => a + b, 0) / xs.length
  }
}

/** Milliseconds for people: one decimal under 10 ms, whole numbers above. */
export function fmtMs (ms: number): string {
  return Number.isNaN(ms) ? '–' : ms.toFixed(ms < 10 ? 1 : 0)
}

/** Rounds every number in a summary (for JSON output). */
export function rounded (s: Summary, digits = 1): Summary {
  const f = 10 ** digits
  const r = (x: number): number => Number.isNaN(x) ? x : Math.round(x * f) / f
  return { n: s.n, p50: r(s.p50), p95: r(s.p95), min: r(s.min), max: r(s.max), mean: r(s.mean) }
}
