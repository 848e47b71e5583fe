// An isolated network namespace for the transfer comparison (root only): loopback plus a veth pair
// (10.99.0.1 ⇄ 10.99.0.2) so the wormhole clients have a non-loopback address to offer as a direct
// transit hint. wormhole-william has its transit relay hard-coded (transit.magic-wormhole.io:4001);
// `ip netns exec` reads /etc/netns/<name>/hosts and resolv.conf instead of the host's, so inside the
// namespace that name is 127.0.0.1 (our own transit relay) and no lookup ever leaves it. Removed
// again (namespace and /etc/netns files) by destroy(), on exit and on signals.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const COMMAND_TIMEOUT_MS = 10_000

export class BenchNamespace {
  readonly name = `gbench-${process.pid}`
  private readonly etcDir = join('/etc/netns', this.name)
  private created = false
  /** /etc/netns did not exist before this run: remove it again once empty. */
  private madeEtcNetns = false
  private readonly onExit = (): void => { this.destroy() }

  static available (): boolean {
    if (process.getuid?.() !== 0) return false
    try { execFileSync('ip', ['netns', 'list'], { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS }); return true } catch { return false }
  }

  /** Removes namespaces (and their /etc/netns files) left by bench runs whose process is gone. */
  static removeStale (): void {
    let list = ''
    try { list = execFileSync('ip', ['netns', 'list'], { timeout: COMMAND_TIMEOUT_MS }).toString() } catch { return }
    for (const name of list.split('\n').map(l => l.split(' ')[0])) {
      const m = /^gbench-(\d+)$/.exec(name)
      if (m == null || Number(m[1]) === process.pid) continue
      try { process.kill(Number(m[1]), 0); continue } catch {}
      try { execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS }) } catch {}
      rmSync(join('/etc/netns', name), { recursive: true, force: true })
    }
  }

  create (): void {
    BenchNamespace.removeStale()
    process.once('exit', this.onExit)
    const ip = (...args: string[]): void => { execFileSync('ip', args, { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS }) }
    ip('netns', 'add', this.name)
    this.created = true
    ip('-n', this.name, 'link', 'set', 'lo', 'up')
    ip('link', 'add', 'name', 'b0', 'netns', this.name, 'type', 'veth', 'peer', 'name', 'b1', 'netns', this.name)
    for (const [dev, addr] of [['b0', '10.99.0.1/24'], ['b1', '10.99.0.2/24']]) {
      ip('-n', this.name, 'link', 'set', dev, 'up')
      ip('-n', this.name, 'addr', 'add', addr, 'dev', dev)
    }
    this.madeEtcNetns = !existsSync('/etc/netns')
    mkdirSync(this.etcDir, { recursive: true })
    writeFileSync(join(this.etcDir, 'hosts'), '127.0.0.1 localhost\n127.0.0.1 transit.magic-wormhole.io relay.magic-wormhole.io\n')
    writeFileSync(join(this.etcDir, 'resolv.conf'), 'nameserver 127.0.0.1\n')
  }

  destroy (): void {
    process.removeListener('exit', this.onExit)
    if (this.created) {
      try {
        const pids = execFileSync('ip', ['netns', 'pids', this.name], { timeout: COMMAND_TIMEOUT_MS }).toString().split('\n').filter(Boolean)
        for (const pid of pids) { try { process.kill(Number(pid), 'SIGKILL') } catch {} }
      } catch {}
      try { execFileSync('ip', ['netns', 'del', this.name], { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS }) } catch {}
      this.created = false
    }
    rmSync(this.etcDir, { recursive: true, force: true })
    if (this.madeEtcNetns) { try { rmdirSync('/etc/netns') } catch {} } // only when empty
  }
}
