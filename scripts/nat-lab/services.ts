// What runs inside the NAT lab: Debian's coturn and the product's own `gini-relay` in the "internet"
// namespace, and `gini` peers behind the NAT routers — all as processes under `ip netns exec`.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JsonProcess } from '../lib/json-process.js'
import { LAB_ADDRS, type NatTopology } from './topology.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const GINI = join(ROOT, 'bin', 'gini.js')
export const GINI_RELAY = join(ROOT, 'bin', 'gini-relay.js')

/** Debian packages the lab needs, by the program it runs. */
export const LAB_PACKAGES: Record<string, string> = { turnserver: 'coturn', iptables: 'iptables', conntrack: 'conntrack', ip: 'iproute2' }

/** Start-up of coturn / gini-relay is well under a few seconds even on a loaded 2-core VM. */
const START_TIMEOUT_MS = 30_000
export const TURN_PORT = 3478
export const STUN_URL = `stun:${LAB_ADDRS.server}:${TURN_PORT}`
export const TURN_URL = `turn:${LAB_ADDRS.server}:${TURN_PORT}?transport=udp`

export function missingPrograms (): string[] {
  return Object.keys(LAB_PACKAGES).filter(bin => {
    try { execFileSync('which', [bin], { stdio: 'ignore' }); return false } catch { return true }
  })
}

/**
 * coturn in the foreground (`-n`, no config file) with the REST-API secret; scratch pid file and
 * user db (otherwise it writes to /var/run and /var/lib/turn).
 */
export async function startCoturn (lab: NatTopology, dir: string, secret: string): Promise<JsonProcess> {
  const proc = new JsonProcess('turnserver', [
    '-n', '--listening-ip', LAB_ADDRS.server, '--relay-ip', LAB_ADDRS.server, '--listening-port', String(TURN_PORT),
    '--use-auth-secret', `--static-auth-secret=${secret}`, '--realm', 'gini.lab',
    '--no-tls', '--no-dtls', '--no-cli', '--no-multicast-peers', '--fingerprint',
    '--min-port', '49152', '--max-port', '49999',
    '--pidfile', join(dir, 'turnserver.pid'), '--userdb', join(dir, 'turndb'),
    '--log-file', 'stdout', '--simple-log', '--verbose'
  ], { netns: lab.ns.inet })
  await proc.waitFor(o => typeof o.text === 'string' && o.text.includes('Total General servers'), START_TIMEOUT_MS)
  return proc
}

export interface LabRelay {
  proc: JsonProcess
  addr: string
}

/** `gini-relay` in the "internet" namespace handing out the lab's STUN and TURN (docs/protocol.md §14). */
export async function startRelay (lab: NatTopology, dir: string, opts: { port: number, turnSecret: string, turnTtl?: string }): Promise<LabRelay> {
  const proc = new JsonProcess(process.execPath, [
    GINI_RELAY, '--json', '--data', dir, '--listen', `/ip4/${LAB_ADDRS.server}/tcp/${opts.port}`,
    '--stun', STUN_URL, '--turn', TURN_URL, ...(opts.turnTtl != null ? ['--turn-ttl', opts.turnTtl] : [])
  ], { netns: lab.ns.inet, env: { GINI_TURN_SECRET: opts.turnSecret } })
  const listening = await proc.waitFor(o => o.event === 'listening', START_TIMEOUT_MS)
  return { proc, addr: listening.obj.addrs[0] }
}

/** One `gini` command inside a namespace (its own data dir; no relay on the command line: init saved it). */
export function gini (lab: NatTopology, ns: string, dataDir: string, args: string[], env: Record<string, string> = {}): JsonProcess {
  return new JsonProcess(process.execPath, [GINI, '--data', dataDir, ...args, '--json'], { netns: ns, env: { GINI_DATA: undefined, GINI_RELAY: undefined, ...env } })
}
