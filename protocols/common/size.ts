// The one parser for sizes typed on a command line (`gini-relay --circuit-data-limit 8MiB`,
// `gini daemon --accept-files-up-to 100MiB`): a whole or decimal number with B, KiB/KB, MiB/MB or
// GiB/GB (case does not matter); a bare number is bytes. Anything else, zero or a negative is refused.
const UNIT_BYTES: Record<string, number> = { '': 1, b: 1, kib: 1024, kb: 1000, mib: 1024 ** 2, mb: 1000 ** 2, gib: 1024 ** 3, gb: 1000 ** 3 }

/** Bytes for a size string; throws a RangeError with a readable message otherwise. */
export function parseSizeBytes (text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i.exec(text)
  const n = m == null ? NaN : Math.round(Number(m[1]) * UNIT_BYTES[(m[2] ?? '').toLowerCase()])
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`invalid size "${text}" (e.g. 8MiB, 512KiB or 65536)`)
  return n
}
