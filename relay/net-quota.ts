// Shares of a bounded pool (connection slots, pending pairings) per network. An address costs
// nothing to a stranger with an IPv6 block, so places are counted per IPv4 address, per IPv6
// address and per IPv6 /64, /56 and /48, each with its own cap; and the last `reserved` places of
// the pool go only to networks that hold few, so a handful of busy networks cannot fill it.
// Counts only: no address is ever logged or exported (metric labels are limit names).

/** The networks a place is counted in; only scopes with a cap are counted. */
export type NetScope = 'ip' | 'ip6-64' | 'ip6-56' | 'ip6-48'

export interface NetQuotaLimits {
  /** Size of the pool (the caller refuses past it; here it only places the reserve). */
  total: number
  /** Cap per network of each scope; a scope without one is not counted. */
  perNet: Partial<Record<NetScope, number>>
  /** The last this many places of `total`… */
  reserved: number
  /** …go only to networks holding fewer than this many in every counted scope. */
  reserveMaxPerNet: number
}

/** Who asks for a place: the remote IP address as text (none for a non-IP transport). */
export interface NetHolder { host?: string }

export class NetQuota {
  private readonly counts = new Map<string, number>()
  private used = 0

  constructor (
    /** Prefix of the limit names reported on a refusal, e.g. `connections` → `connections-per-ip`. */
    private readonly pool: string,
    private readonly limits: NetQuotaLimits,
    private readonly onRefused?: (limit: string) => void
  ) {}

  /** Places held. */
  get size (): number {
    return this.used
  }

  /** Takes one place; returns the name of the limit that refused (also reported), or undefined once taken. */
  take (holder: NetHolder): string | undefined {
    const keys = this.keysOf(holder)
    const inReserve = this.used >= this.limits.total - this.limits.reserved
    for (const { scope, key } of keys) {
      const held = this.counts.get(key) ?? 0
      const cap = this.limits.perNet[scope]
      if (cap != null && held >= cap) return this.refuse(`per-${scope}`)
      if (inReserve && held >= this.limits.reserveMaxPerNet) return this.refuse('reserved')
    }
    for (const { key } of keys) this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    this.used++
    return undefined
  }

  /** Gives back a place taken for the same holder. */
  release (holder: NetHolder): void {
    for (const { key } of this.keysOf(holder)) {
      const held = (this.counts.get(key) ?? 0) - 1
      if (held > 0) this.counts.set(key, held)
      else this.counts.delete(key) // an empty network is forgotten: memory follows the places held
    }
    this.used = Math.max(0, this.used - 1)
  }

  private keysOf (holder: NetHolder): Array<{ scope: NetScope, key: string }> {
    if (holder.host == null) return []
    return netKeys(holder.host).filter(k => this.limits.perNet[k.scope] != null)
  }

  private refuse (limit: string): string {
    const name = `${this.pool}-${limit}`
    try { this.onRefused?.(name) } catch {}
    return name
  }
}

/** The networks of an address: an IPv4 address alone; an IPv6 address and its /64, /56 and /48. */
export function netKeys (host: string): Array<{ scope: NetScope, key: string }> {
  const groups = ip6Groups(host)
  if (groups == null) return [{ scope: 'ip', key: host }]
  const mapped = groups.slice(0, 6).join(':') === '0:0:0:0:0:65535'
  if (mapped) return [{ scope: 'ip', key: `${groups[6] >> 8}.${groups[6] & 0xff}.${groups[7] >> 8}.${groups[7] & 0xff}` }]
  return [
    { scope: 'ip', key: groups.map(g => g.toString(16)).join(':') },
    { scope: 'ip6-64', key: ip6Prefix(groups, 64) },
    { scope: 'ip6-56', key: ip6Prefix(groups, 56) },
    { scope: 'ip6-48', key: ip6Prefix(groups, 48) }
  ]
}

/** `2001:db8:0:1::/64`-style key of the first `bits` bits (a multiple of 8). */
function ip6Prefix (groups: number[], bits: number): string {
  const out = groups.slice(0, Math.ceil(bits / 16))
  if (bits % 16 !== 0) out[out.length - 1] &= 0xff00
  return `${out.map(g => g.toString(16)).join(':')}::/${bits}`
}

/** The eight 16-bit groups of an IPv6 address (zone dropped, dotted IPv4 tail allowed); undefined for IPv4. */
export function ip6Groups (host: string): number[] | undefined {
  if (!host.includes(':')) return undefined
  let text = host.split('%')[0].toLowerCase()
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted != null) {
    const [a, b, c, d] = dotted.slice(1).map(Number)
    text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail == null || tail === '' ? [] : tail.split(':')
  const fill = tail == null ? 0 : 8 - left.length - right.length
  const groups = [...left, ...Array(Math.max(0, fill)).fill('0'), ...right].map(g => parseInt(g, 16) & 0xffff)
  return groups.length === 8 && groups.every(g => Number.isFinite(g)) ? groups : undefined
}
