// The NAT lab's network: Linux network namespaces joined by veth pairs (docs/protocol.md §14;
// README "ICE servers").
//
//   alice 10.0.1.2 ── lan │nat-a│ wan 203.0.113.2 ──┐                ┌─ black hole (default route)
//                                                  ├─ inet: 198.51.100.1 (gini-relay + coturn)
//   bob   10.0.2.2 ── lan │nat-b│ wan 203.0.113.6 ──┘
//
// Each NAT router masquerades its LAN behind its WAN address and runs a home-router WAN firewall:
// nothing new comes in from the WAN (INPUT and FORWARD), only replies. Without that drop rule, a
// peer's first check packet reaches the router's INPUT, confirms a conntrack entry, and the host's
// own outbound packet then collides with it and gets a new source port: hole punching between two
// bare MASQUERADE routers fails. `eim` keeps the source port
// (endpoint-independent mapping, port-restricted filtering); `sym` adds `--random-fully`, a new
// port per destination (symmetric NAT); `udp-blocked` drops all forwarded UDP.
//
// The "internet" namespace routes anything it does not know into a black-hole veth: coturn closes a
// whole allocation on `udp send: Network is unreachable` when it relays a check to a peer's private
// host candidate (pitfall 2). Nothing here ever leaves the namespaces created by this module; all
// of them are deleted by destroy(), on exit, and on SIGINT/SIGTERM.
import { execFileSync } from 'node:child_process'

export type NatKind = 'eim' | 'sym' | 'udp-blocked'

/** Every command this module runs must finish within this time. */
const COMMAND_TIMEOUT_MS = 10_000

export const LAB_ADDRS = {
  /** The relay's and coturn's address, on the "internet" namespace's loopback. */
  server: '198.51.100.1',
  natA: { wan: '203.0.113.2', gw: '203.0.113.1', lan: '10.0.1.1', host: '10.0.1.2' },
  natB: { wan: '203.0.113.6', gw: '203.0.113.5', lan: '10.0.2.1', host: '10.0.2.2' }
} as const

/** Namespace names carry the owning process id, so leftovers of a killed run can be found. */
const PREFIX = 'gnat-'

export interface LabNamespaces {
  inet: string
  natA: string
  natB: string
  alice: string
  bob: string
}

function run (cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { timeout: COMMAND_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] }).toString()
}

function inNs (ns: string, cmd: string, args: string[]): string {
  return run('ip', ['netns', 'exec', ns, cmd, ...args])
}

/** True when this process may create network namespaces (root and `ip netns`). */
export function labAvailable (): { ok: boolean, why?: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'needs root (network namespaces, iptables)' }
  try {
    run('ip', ['netns', 'list'])
  } catch {
    return { ok: false, why: '`ip netns` is not available (iproute2)' }
  }
  return { ok: true }
}

/** Deletes namespaces left by lab runs whose process is gone (a run killed with SIGKILL). */
export function removeStaleNamespaces (): string[] {
  const removed: string[] = []
  for (const line of run('ip', ['netns', 'list']).split('\n')) {
    const name = line.split(' ')[0]
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name)
    if (m == null) continue
    const pid = Number(m[1])
    let alive = true
    try { process.kill(pid, 0) } catch { alive = false }
    if (alive && pid !== process.pid) continue
    try { run('ip', ['netns', 'del', name]); removed.push(name) } catch {}
  }
  return removed
}

export class NatTopology {
  readonly ns: LabNamespaces
  private created: string[] = []
  private readonly onExit = (): void => { this.destroy() }
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.destroy()
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }

  constructor () {
    const p = `${PREFIX}${process.pid}-`
    this.ns = { inet: `${p}inet`, natA: `${p}nat-a`, natB: `${p}nat-b`, alice: `${p}alice`, bob: `${p}bob` }
  }

  /** Builds the namespaces, links, addresses and routes; NAT rules come with setNat(). */
  create (): void {
    process.once('exit', this.onExit)
    process.once('SIGINT', this.onSignal)
    process.once('SIGTERM', this.onSignal)
    const { ns } = this
    const a = LAB_ADDRS
    for (const name of Object.values(ns)) {
      run('ip', ['netns', 'add', name])
      this.created.push(name)
      inNs(name, 'ip', ['link', 'set', 'lo', 'up'])
    }
    this.link(ns.inet, 'wa', ns.natA, 'wan')
    this.link(ns.inet, 'wb', ns.natB, 'wan')
    this.link(ns.natA, 'lan', ns.alice, 'eth0')
    this.link(ns.natB, 'lan', ns.bob, 'eth0')

    // "Internet": the server address on lo, one /30 per router, the black-hole default route.
    inNs(ns.inet, 'ip', ['addr', 'add', `${a.server}/32`, 'dev', 'lo'])
    inNs(ns.inet, 'ip', ['addr', 'add', `${a.natA.gw}/30`, 'dev', 'wa'])
    inNs(ns.inet, 'ip', ['addr', 'add', `${a.natB.gw}/30`, 'dev', 'wb'])
    run('ip', ['link', 'add', 'name', 'bh', 'netns', ns.inet, 'type', 'veth', 'peer', 'name', 'bh-sink', 'netns', ns.inet])
    inNs(ns.inet, 'ip', ['link', 'set', 'bh', 'up'])
    inNs(ns.inet, 'ip', ['link', 'set', 'bh-sink', 'up'])
    inNs(ns.inet, 'ip', ['addr', 'add', '192.0.2.1/30', 'dev', 'bh'])
    // A neighbour entry nobody owns: packets leave on bh and are dropped at bh-sink (wrong MAC).
    inNs(ns.inet, 'ip', ['neigh', 'add', '192.0.2.2', 'lladdr', '02:00:00:00:00:02', 'dev', 'bh', 'nud', 'permanent'])
    inNs(ns.inet, 'ip', ['route', 'add', 'default', 'via', '192.0.2.2', 'dev', 'bh'])
    // The "internet" routes between the two routers' WANs (a new namespace does not forward).
    inNs(ns.inet, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1'])

    for (const [router, host, addrs] of [[ns.natA, ns.alice, a.natA], [ns.natB, ns.bob, a.natB]] as const) {
      inNs(router, 'ip', ['addr', 'add', `${addrs.wan}/30`, 'dev', 'wan'])
      inNs(router, 'ip', ['addr', 'add', `${addrs.lan}/24`, 'dev', 'lan'])
      inNs(router, 'ip', ['route', 'add', 'default', 'via', addrs.gw])
      inNs(router, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1'])
      inNs(host, 'ip', ['addr', 'add', `${addrs.host}/24`, 'dev', 'eth0'])
      inNs(host, 'ip', ['route', 'add', 'default', 'via', addrs.lan])
    }
  }

  /** Sets both routers' NAT behaviour and flushes their conntrack tables (UDP entries live 30–120 s). */
  setNat (kindA: NatKind, kindB: NatKind): void {
    this.router(this.ns.natA, kindA)
    this.router(this.ns.natB, kindB)
  }

  private router (ns: string, kind: NatKind): void {
    inNs(ns, 'iptables', ['-t', 'nat', '-F'])
    inNs(ns, 'iptables', ['-F'])
    inNs(ns, 'iptables', ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE', ...(kind === 'sym' ? ['--random-fully'] : [])])
    // Home-router WAN firewall: only replies come in.
    inNs(ns, 'iptables', ['-A', 'INPUT', '-i', 'wan', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'])
    inNs(ns, 'iptables', ['-A', 'INPUT', '-i', 'wan', '-j', 'DROP'])
    if (kind === 'udp-blocked') inNs(ns, 'iptables', ['-A', 'FORWARD', '-p', 'udp', '-j', 'DROP'])
    inNs(ns, 'iptables', ['-A', 'FORWARD', '-i', 'wan', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'])
    inNs(ns, 'iptables', ['-A', 'FORWARD', '-i', 'wan', '-j', 'DROP'])
    try { inNs(ns, 'conntrack', ['-F']) } catch {} // "0 flow entries" exits non-zero on some versions
  }

  /** `ip netns exec <ns>` prefix for spawning a program inside a namespace. */
  exec (ns: string, cmd: string, args: string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', ns, cmd, ...args]]
  }

  /** Removes every namespace (their veths go with them). Idempotent, never throws. */
  destroy (): void {
    process.removeListener('exit', this.onExit)
    process.removeListener('SIGINT', this.onSignal)
    process.removeListener('SIGTERM', this.onSignal)
    for (const name of this.created.splice(0).reverse()) {
      try { execFileSync('ip', ['netns', 'pids', name], { timeout: COMMAND_TIMEOUT_MS }).toString().split('\n').filter(Boolean).forEach(pid => { try { process.kill(Number(pid), 'SIGKILL') } catch {} }) } catch {}
      try { execFileSync('ip', ['netns', 'del', name], { timeout: COMMAND_TIMEOUT_MS, stdio: 'ignore' }) } catch {}
    }
  }

  private link (nsA: string, ifA: string, nsB: string, ifB: string): void {
    run('ip', ['link', 'add', 'name', ifA, 'netns', nsA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB])
    inNs(nsA, 'ip', ['link', 'set', ifA, 'up'])
    inNs(nsB, 'ip', ['link', 'set', ifB, 'up'])
  }
}
