// Bounded waits: the caller's signal (e.g. Ctrl-C) combined with a step's own deadline.

/** Aborts when `signal` does or after `ms`, whichever comes first. */
export function withTimeout (signal: AbortSignal | undefined, ms: number): AbortSignal {
  const t = AbortSignal.timeout(ms)
  return signal == null ? t : AbortSignal.any([signal, t])
}
