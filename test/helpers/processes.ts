// Test helpers for CLI processes: spawn with the project's Node (the one running mocha), read JSON
// event lines as they come, and always kill what was started.
import { expect } from 'chai'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const GINI = join(ROOT, 'bin', 'gini.js')
export const GINI_RELAY = join(ROOT, 'bin', 'gini-relay.js')

export interface Proc {
  child: ChildProcess
  lines: string[]
  stderr: string[]
  /** Resolves with the first JSON line matching `pred` (bounded by `ms`). */
  waitFor(pred: (obj: any) => boolean, ms?: number): Promise<any>
  /** Resolves with the first line (words, not JSON) that `pattern` matches (bounded by `ms`). */
  waitForLine(pattern: RegExp, ms?: number): Promise<string>
  exited: Promise<number | null>
  kill(): void
}

export function run (script: string, args: string[], env: Record<string, string> = {}): Proc {
  const inherited = { ...process.env }
  delete inherited.GINI_DATA
  delete inherited.GINI_RELAY
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const lines: string[] = []
  const stderr: string[] = []
  let buffer = ''
  const waiters: Array<() => void> = []
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8')
    const parts = buffer.split('\n')
    buffer = parts.pop()!
    lines.push(...parts.filter(l => l.length > 0))
    for (const w of waiters) w()
  })
  child.stderr!.on('data', (chunk: Buffer) => { stderr.push(chunk.toString('utf8')) })
  const exited = new Promise<number | null>(resolve => child.once('exit', (code) => {
    if (buffer.length > 0) lines.push(buffer)
    for (const w of waiters) w()
    resolve(code)
  }))
  return {
    child,
    lines,
    stderr,
    exited,
    kill: () => { if (child.exitCode == null) child.kill('SIGKILL') },
    waitFor: async (pred, ms = 30_000) => await new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (const line of lines) {
          try {
            const obj = JSON.parse(line)
            if (pred(obj)) { resolve(obj); return true }
          } catch {}
        }
        return false
      }
      if (check()) return
      const timer = setTimeout(() => { reject(new Error(`timed out after ${ms} ms; stdout: ${lines.join(' | ')}; stderr: ${stderr.join('')}`)) }, ms)
      waiters.push(() => { if (check()) clearTimeout(timer) })
      void exited.then(() => { if (!check()) { clearTimeout(timer); reject(new Error(`exited; stdout: ${lines.join(' | ')}; stderr: ${stderr.join('')}`)) } })
    }),
    waitForLine: async (pattern, ms = 30_000) => await new Promise((resolve, reject) => {
      const check = (): boolean => {
        const line = lines.find(l => pattern.test(l))
        if (line != null) resolve(line)
        return line != null
      }
      if (check()) return
      const timer = setTimeout(() => { reject(new Error(`no line matched ${String(pattern)} in ${ms} ms; stdout: ${lines.join(' | ')}; stderr: ${stderr.join('')}`)) }, ms)
      waiters.push(() => { if (check()) clearTimeout(timer) })
      void exited.then(() => { if (!check()) { clearTimeout(timer); reject(new Error(`exited; stdout: ${lines.join(' | ')}; stderr: ${stderr.join('')}`)) } })
    })
  }
}

/** Runs to completion; resolves with the exit code and stdout lines. */
export async function runToEnd (script: string, args: string[], ms = 60_000): Promise<{ code: number | null, lines: string[], stderr: string }> {
  const p = run(script, args)
  const timer = setTimeout(() => { p.kill() }, ms)
  const code = await p.exited
  clearTimeout(timer)
  return { code, lines: p.lines, stderr: p.stderr.join('') }
}

export interface CliPairing {
  /** The exited `gini invite --json` process: its stdout lines stay readable. */
  invite: Proc
  /** Each side's --json events, in order. */
  inviterEvents: any[]
  joinerEvents: any[]
  /** The contact each side added (its `contact-added` event); undefined where none was (a key change). */
  inviterAdded?: { id: string, name: string }
  joinerAdded?: { id: string, name: string }
}

/**
 * Pairs two initialized data dirs as a user would: `gini invite --json` on `inviterDir`, and once it
 * shows its Flash Code, `gini accept <code> --json` on `joinerDir`; both must exit 0. The invite
 * goes through a daemon running on `inviterDir` if there is one. Kills the invite if anything fails,
 * so nothing started here outlives the call.
 */
export async function pairByCli (inviterDir: string, joinerDir: string): Promise<CliPairing> {
  const invite = run(GINI, ['--data', inviterDir, 'invite', '--json'])
  try {
    const shown = await invite.waitFor(o => o.event === 'flash-code')
    const accept = await runToEnd(GINI, ['--data', joinerDir, 'accept', shown.code, '--json'])
    expect(accept.code, accept.stderr + accept.lines.join('\n')).to.equal(0)
    expect(await invite.exited).to.equal(0)
    const inviterEvents = invite.lines.map(l => JSON.parse(l))
    const joinerEvents = accept.lines.map(l => JSON.parse(l))
    const added = (events: any[]): { id: string, name: string } | undefined => {
      const e = events.find(x => x.event === 'contact-added')
      return e != null ? { id: e.id, name: e.name } : undefined
    }
    return { invite, inviterEvents, joinerEvents, inviterAdded: added(inviterEvents), joinerAdded: added(joinerEvents) }
  } finally {
    invite.kill()
  }
}
