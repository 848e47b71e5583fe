// The comparison's Debian tools: Magic Wormhole's Python client and mailbox server, the Go client
// (wormhole-william) and the transit relay. Installed with apt-get when missing and allowed (root),
// otherwise reported missing: a row without its tool says so, it is never faked.
import { execFileSync, spawnSync } from 'node:child_process'

/** Debian package → how to tell it is there. */
const PACKAGES: Record<string, () => boolean> = {
  'magic-wormhole': () => has('wormhole'),
  'wormhole-william': () => has('wormhole-william'),
  'python3-magic-wormhole-mailbox-server': () => twistPlugin('wormhole-mailbox'),
  'magic-wormhole-transit-relay': () => twistPlugin('transitrelay')
}

/** apt-get on a fresh machine: the index plus four small packages. */
const APT_TIMEOUT_MS = 300_000

export interface ToolStatus {
  /** Package name → installed. */
  installed: Record<string, boolean>
  /** What was done about missing ones, in words (for the report). */
  notes: string[]
}

function has (bin: string): boolean {
  return spawnSync('which', [bin], { stdio: 'ignore' }).status === 0
}

function twistPlugin (name: string): boolean {
  if (!has('twist3')) return false
  const help = spawnSync('twist3', ['--help'], { encoding: 'utf8', timeout: 30_000 })
  return `${help.stdout ?? ''}${help.stderr ?? ''}`.includes(name)
}

export function checkTools (install: boolean): ToolStatus {
  const notes: string[] = []
  const state = (): Record<string, boolean> => Object.fromEntries(Object.entries(PACKAGES).map(([pkg, ok]) => [pkg, ok()]))
  let installed = state()
  const missing = Object.keys(installed).filter(p => !installed[p])
  if (missing.length === 0) return { installed, notes }
  if (!install) {
    notes.push(`not installed: ${missing.join(', ')} (--no-install given)`)
    return { installed, notes }
  }
  if (process.getuid?.() !== 0) {
    notes.push(`not installed: ${missing.join(', ')} (run as root, or: sudo apt-get install ${missing.join(' ')})`)
    return { installed, notes }
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  try {
    process.stderr.write(`bench: apt-get install ${missing.join(' ')}…\n`)
    execFileSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: APT_TIMEOUT_MS })
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: APT_TIMEOUT_MS })
    notes.push(`installed with apt-get: ${missing.join(', ')}`)
  } catch (err: any) {
    notes.push(`apt-get install ${missing.join(' ')} failed: ${String(err?.message ?? err).split('\n')[0]}`)
  }
  installed = state()
  return { installed, notes }
}

/** Installed version of a Debian package, for the report ("–" when not installed). */
export function debVersion (pkg: string): string {
  // eslint-disable-next-line no-template-curly-in-string -- a dpkg-query format, not a template
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' })
  return r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : '–'
}
