// A child process that prints JSON lines (`gini --json`, `gini-relay --json`): each parsed line is
// kept with the time it arrived, waits are bounded, and kill() never throws. Shared by the cluster
// harness, the benchmarks and the NAT lab. A process is never left behind: every JsonProcess is
// tracked and killAll() (called on exit and on signals by the harnesses) ends them.
import { spawn, type ChildProcess } from 'node:child_process'

export interface JsonLine {
  /** performance.now() when the line arrived. */
  at: number
  obj: any
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>
  cwd?: string
  /** Run inside a network namespace (`ip netns exec <ns> …`): the NAT lab, the bench's isolated namespace. */
  netns?: string
  /** Written to the process's stdin, which is then closed (default: no stdin). */
  stdin?: string
}

const live = new Set<JsonProcess>()

export class JsonProcess {
  readonly child: ChildProcess
  readonly lines: JsonLine[] = []
  readonly stderr: string[] = []
  readonly startedAt = performance.now()
  /** Exit code, or null when ended by a signal (see `signal`). */
  readonly exited: Promise<number | null>
  exitCode: number | null | undefined
  signal: NodeJS.Signals | null = null
  /** Set when the harness killed it on purpose (a fault), so the report can say so. */
  killedOnPurpose = false
  private buffer = ''
  private readonly waiters = new Set<() => void>()

  constructor (command: string, args: string[], opts: SpawnOptions = {}) {
    const [cmd, argv] = opts.netns != null ? ['ip', ['netns', 'exec', opts.netns, command, ...args]] : [command, args]
    this.child = spawn(cmd, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: [opts.stdin != null ? 'pipe' : 'ignore', 'pipe', 'pipe'] })
    if (opts.stdin != null) this.child.stdin!.end(opts.stdin)
    live.add(this)
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8')
      const parts = this.buffer.split('\n')
      this.buffer = parts.pop()!
      for (const part of parts) this.push(part)
    })
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk.toString('utf8'))
      if (this.stderr.length > 200) this.stderr.splice(0, 100) // bounded: only the tail matters
      this.wake()
    })
    this.exited = new Promise(resolve => {
      this.child.once('error', (err) => { this.stderr.push(String(err)); this.exitCode = -1; live.delete(this); this.wake(); resolve(-1) })
      this.child.once('exit', (code, signal) => {
        if (this.buffer.length > 0) this.push(this.buffer)
        this.buffer = ''
        this.exitCode = code
        this.signal = signal
        live.delete(this)
        this.wake()
        resolve(code)
      })
    })
  }

  get running (): boolean {
    return this.exitCode === undefined
  }

  /** The first line matching `pred`; rejects after `ms` or when the process exits without one. */
  async waitFor (pred: (obj: any) => boolean, ms: number): Promise<JsonLine> {
    const found = (): JsonLine | undefined => this.lines.find(l => pred(l.obj))
    const now = found()
    if (now != null) return now
    return await new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = found()
        if (hit != null) { done(); resolve(hit); return }
        if (!this.running) { done(); reject(new Error(`exited (${this.exitCode ?? this.signal}) first; ${this.tail()}`)) }
      }
      const timer = setTimeout(() => { done(); reject(new Error(`no matching line within ${ms} ms; ${this.tail()}`)) }, ms)
      const done = (): void => { clearTimeout(timer); this.waiters.delete(check) }
      this.waiters.add(check)
      check()
    })
  }

  /** Resolves once stdout or stderr (plain text) matched `pattern`; for programs without JSON output. */
  async waitForText (pattern: RegExp, ms: number): Promise<void> {
    const matches = (): boolean => pattern.test(this.lines.map(l => l.obj?.text ?? JSON.stringify(l.obj)).join('\n') + '\n' + this.stderr.join(''))
    if (matches()) return
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (matches()) { done(); resolve(); return }
        if (!this.running) { done(); reject(new Error(`exited (${this.exitCode ?? this.signal}) before ${String(pattern)}; ${this.tail()}`)) }
      }
      const timer = setTimeout(() => { done(); reject(new Error(`no ${String(pattern)} within ${ms} ms; ${this.tail()}`)) }, ms)
      const done = (): void => { clearTimeout(timer); this.waiters.delete(check) }
      this.waiters.add(check)
      check()
    })
  }

  /** Resolves with the exit code, killing the process (SIGKILL) after `ms`. */
  async waitExit (ms: number): Promise<number | null> {
    const timer = setTimeout(() => { this.kill('SIGKILL') }, ms)
    try { return await this.exited } finally { clearTimeout(timer) }
  }

  kill (signal: NodeJS.Signals = 'SIGKILL'): void {
    if (!this.running) return
    try { this.child.kill(signal) } catch {}
  }

  /** The last JSON `error` event, if any. */
  errorEvent (): { code?: string, message?: string } | undefined {
    return [...this.lines].reverse().find(l => l.obj?.event === 'error')?.obj
  }

  tail (): string {
    return `stdout: ${this.lines.slice(-3).map(l => JSON.stringify(l.obj)).join(' | ')}; stderr: ${this.stderr.join('').slice(-600)}`
  }

  private push (text: string): void {
    if (text.trim() === '') return
    let obj: unknown
    try { obj = JSON.parse(text) } catch { obj = { event: 'text', text } }
    this.lines.push({ at: performance.now(), obj })
    this.wake()
  }

  private wake (): void {
    for (const w of [...this.waiters]) w()
  }
}

/** Kills every process started through JsonProcess that is still running. */
export function killAll (signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const p of live) p.kill(signal)
}

/** Number of processes still running. */
export function liveCount (): number {
  return live.size
}
