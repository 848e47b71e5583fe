// Memory and CPU of a process from /proc (Linux): resident set (VmRSS), its peak (VmHWM) and CPU
// time (utime + stime). A sampler keeps the last reading, so a process that was killed still
// reports what it used until then.
import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'

export interface ProcReading {
  rssBytes: number
  peakRssBytes: number
  cpuSeconds: number
}

let ticksPerSecond: number | undefined

function clockTicks (): number {
  if (ticksPerSecond == null) {
    try { ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100 } catch { ticksPerSecond = 100 }
  }
  return ticksPerSecond
}

/** One reading, or undefined when the process is gone (or /proc is not there). */
export function readProc (pid: number): ProcReading | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
    // /proc/<pid>/stat: the command name may contain spaces; fields after ')' start at field 3.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cpuTicks = Number(fields[11]) + Number(fields[12]) // utime (14), stime (15)
    return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM'), cpuSeconds: cpuTicks / clockTicks() }
  } catch {
    return undefined
  }
}

/** Samples a process every `intervalMs` until stop(); `last` survives the process. */
export class ProcSampler {
  last?: ProcReading
  readonly startedAt = performance.now()
  private readonly timer: NodeJS.Timeout

  constructor (readonly pid: number, intervalMs = 500) {
    this.sample()
    this.timer = setInterval(() => { this.sample() }, intervalMs)
    this.timer.unref()
  }

  sample (): ProcReading | undefined {
    const r = readProc(this.pid)
    // A zombie (exited, not yet reaped) has no VmRSS line: keep the last real reading.
    if (r != null && r.rssBytes > 0) this.last = r
    return r
  }

  stop (): void {
    this.sample()
    clearInterval(this.timer)
  }
}

export const MB = 1024 * 1024
