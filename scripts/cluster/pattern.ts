// Which peers pair with which (`--pattern`), and in what order. Pure: given the counts and a seeded
// random source. A pairing is [creator, joiner] by peer index; the creator runs `gini invite`.

export type Pattern = 'random' | 'ring' | 'all-to-one'
export const PATTERNS: Pattern[] = ['random', 'ring', 'all-to-one']

export type PeerPair = [creator: number, joiner: number]

/** Small fast PRNG (mulberry32): reproducible runs with `--seed`. */
export function seededRandom (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The largest number of pairings a pattern allows for M peers. */
export function maxPairs (pattern: Pattern, peers: number): number {
  if (peers < 2) return 0
  if (pattern === 'ring') return peers === 2 ? 1 : peers
  if (pattern === 'all-to-one') return peers - 1
  return (peers * (peers - 1)) / 2
}

/** Default number of pairings: a perfect matching (random), the whole ring, every spoke. */
export function defaultPairs (pattern: Pattern, peers: number): number {
  return pattern === 'random' ? Math.floor(peers / 2) : maxPairs(pattern, peers)
}

/**
 * The pairings. `random` draws distinct unordered pairs, disjoint while it can (each peer once),
 * so `--peers 20 --pairs 10` is a perfect matching; past M/2 pairs, peers recur.
 */
export function makePairs (pattern: Pattern, peers: number, count: number, random: () => number): PeerPair[] {
  const limit = maxPairs(pattern, peers)
  if (!Number.isSafeInteger(count) || count < 1 || count > limit) {
    throw new RangeError(`--pairs must be between 1 and ${limit} for ${peers} peers with --pattern ${pattern}`)
  }
  if (pattern === 'ring') return Array.from({ length: count }, (_, i) => [i, (i + 1) % peers] as PeerPair)
  if (pattern === 'all-to-one') return Array.from({ length: count }, (_, i) => [0, i + 1] as PeerPair)
  const order = shuffle([...Array(peers).keys()], random)
  const pairs: PeerPair[] = []
  const seen = new Set<string>()
  const key = (a: number, b: number): string => a < b ? `${a}-${b}` : `${b}-${a}`
  for (let i = 0; i + 1 < order.length && pairs.length < count; i += 2) {
    pairs.push([order[i], order[i + 1]])
    seen.add(key(order[i], order[i + 1]))
  }
  // Beyond a perfect matching: every remaining unordered pair, in random order.
  if (pairs.length < count) {
    const rest: PeerPair[] = []
    for (let a = 0; a < peers; a++) for (let b = a + 1; b < peers; b++) if (!seen.has(key(a, b))) rest.push(random() < 0.5 ? [a, b] : [b, a])
    pairs.push(...shuffle(rest, random).slice(0, count - pairs.length))
  }
  return pairs
}

/** Fisher–Yates, in place. */
export function shuffle<T> (xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[xs[i], xs[j]] = [xs[j], xs[i]]
  }
  return xs
}
