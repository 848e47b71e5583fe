// The one schedule module: the CRP registration schedule of docs/protocol.md §9.3 and the
// daemon's re-dial back-off are data, jittered, and driven by an injected Clock, so tests walk a
// 365-day schedule in milliseconds by advancing a fake clock.
//
// Clock jumps. A wall-clock jump forward (suspend/resume) runs what is due once, at once, and goes
// on in the band of the real age: missed runs are not replayed in a burst. A jump backward does not
// delay the planned run (the timers, not the wall clock, measure the interval). Sleeps are chunked
// (≤ MAX_SLEEP_MS) so a jump is noticed within one chunk even though timers stand still while the
// machine sleeps.
import type { Clock } from '../../../protocols/common/index.js'

export const SECOND_MS = 1_000
export const DAY_MS = 86_400_000

/** One band of a schedule: from `fromMs` of age on, run every `intervalMs` (before jitter). */
export interface ScheduleBand {
  fromMs: number
  intervalMs: number
}

export interface Schedule {
  name: string
  /** Ascending by `fromMs`, the first at 0. */
  bands: readonly ScheduleBand[]
  /** Age at which the schedule ends (the CRP's day 365); Infinity for none. */
  endMs: number
  /** Each interval is multiplied by a factor uniform in [min, max] (§9.3: [0.9, 1.1]). */
  jitter: { min: number, max: number }
}

/** §9.3: "each interval is multiplied by a fresh factor uniform in [0.9, 1.1]". */
export const SCHEDULE_JITTER = { min: 0.9, max: 1.1 } as const

/**
 * docs/protocol.md §9.3 (named `seed`): every 60 s until day 3 of the CRP, 300 s from day 3, 600 s from day 10,
 * 3600 s from day 20, 43 200 s from day 30, 86 400 s from day 40 to day 365; then `expired`.
 */
export const SEED_CRP_SCHEDULE: Schedule = Object.freeze({
  name: 'seed',
  bands: Object.freeze([
    { fromMs: 0, intervalMs: 60 * SECOND_MS },
    { fromMs: 3 * DAY_MS, intervalMs: 300 * SECOND_MS },
    { fromMs: 10 * DAY_MS, intervalMs: 600 * SECOND_MS },
    { fromMs: 20 * DAY_MS, intervalMs: 3_600 * SECOND_MS },
    { fromMs: 30 * DAY_MS, intervalMs: 43_200 * SECOND_MS },
    { fromMs: 40 * DAY_MS, intervalMs: 86_400 * SECOND_MS }
  ]),
  endMs: 365 * DAY_MS,
  jitter: SCHEDULE_JITTER
})

/**
 * For harness users (`--crp-schedule fast`): §9.3's shape with every duration ÷ 60, i.e. where
 * §9.3 says minutes it says seconds: every 1 s until 72 min, then 5 s, 10 s, 60 s, 720 s and
 * 1 440 s, `expired` after 146 h. Same bands, same jitter, same ratios.
 */
export const FAST_SCALE = 1 / 60
export const FAST_CRP_SCHEDULE: Schedule = scaleSchedule(SEED_CRP_SCHEDULE, FAST_SCALE, 'fast')

/**
 * Re-dial back-off of a contact that went offline (counted from the moment it did): quick at first
 * (a restart, a short network blip), then gentler. It never ends; after `unreachableAfterMs` the
 * CRP runs beside it.
 */
export const REDIAL_BACKOFF: Schedule = Object.freeze({
  name: 'redial',
  bands: Object.freeze([
    { fromMs: 0, intervalMs: 2 * SECOND_MS },
    { fromMs: 60 * SECOND_MS, intervalMs: 15 * SECOND_MS },
    { fromMs: 600 * SECOND_MS, intervalMs: 60 * SECOND_MS },
    { fromMs: 3_600 * SECOND_MS, intervalMs: 300 * SECOND_MS }
  ]),
  endMs: Infinity,
  jitter: SCHEDULE_JITTER
})

export type CrpScheduleName = 'seed' | 'fast'

export function crpScheduleByName (name: CrpScheduleName): Schedule {
  return name === 'fast' ? FAST_CRP_SCHEDULE : SEED_CRP_SCHEDULE
}

/** The same bands with every duration multiplied by `factor`. */
export function scaleSchedule (s: Schedule, factor: number, name = `${s.name}×${factor}`): Schedule {
  return Object.freeze({
    name,
    bands: Object.freeze(s.bands.map(b => ({ fromMs: b.fromMs * factor, intervalMs: b.intervalMs * factor }))),
    endMs: s.endMs * factor,
    jitter: s.jitter
  })
}

/** The un-jittered interval at this age, or undefined once the schedule ended. */
export function intervalAt (s: Schedule, ageMs: number): number | undefined {
  const age = Math.max(0, ageMs)
  if (age >= s.endMs) return undefined
  let interval = s.bands[0].intervalMs
  for (const band of s.bands) {
    if (age >= band.fromMs) interval = band.intervalMs
  }
  return interval
}

/** The jittered delay to the next run after a run at this age (undefined once ended). `random` ∈ [0, 1). */
export function jitteredIntervalAt (s: Schedule, ageMs: number, random: () => number = Math.random): number | undefined {
  const interval = intervalAt(s, ageMs)
  if (interval == null) return undefined
  const r = Math.min(1, Math.max(0, random()))
  return Math.round(interval * (s.jitter.min + (s.jitter.max - s.jitter.min) * r))
}

/** Longest sleep between two looks at the wall clock, so a jump is noticed within this time. */
export const MAX_SLEEP_MS = 3_600_000

export interface ScheduledRunnerInit {
  clock: Clock
  schedule: Schedule
  /** Wall-clock epoch ms the schedule's age counts from (persisted by the caller). */
  startedAtMs: number
  /** Called at each due time; not awaited (the caller serializes its own runs). */
  run: () => void
  /** Called once when the age reaches `schedule.endMs`; no run happens after it. */
  onEnd?: () => void
  /** Told the wall-clock time of the next run whenever it changes (for `gini contacts --json`). */
  onNext?: (atMs: number | undefined) => void
  random?: () => number
  /** A previously planned next run (after a restart); ignored if it is not plausible. */
  nextRunAtMs?: number
  maxSleepMs?: number
}

/**
 * Calls `run` on the schedule: the first time at once, then after each jittered interval of the
 * band its age is in. The interval is measured between run starts. A planned run is due when the
 * timers say its interval passed (immune to the wall clock being set back) or when the wall clock
 * passed its time (a suspend, during which timers stand still).
 */
export class ScheduledRunner {
  private readonly init: ScheduledRunnerInit
  private readonly random: () => number
  private handle: unknown
  private started = false
  private stopped = false
  private ended = false
  /** The plan in wall-clock ms (persisted, shown)… */
  private nextAtMs?: number
  /** …and as timer time still to wait (what the injected clock's timers measure). */
  private remainingMs?: number
  private sleepingMs = 0

  constructor (init: ScheduledRunnerInit) {
    this.init = init
    this.random = init.random ?? Math.random
    this.nextAtMs = init.nextRunAtMs
  }

  /** Wall-clock time of the next run, undefined before start, after stop or end. */
  get nextRunAtMs (): number | undefined {
    return this.stopped || this.ended ? undefined : this.nextAtMs
  }

  get hasEnded (): boolean {
    return this.ended
  }

  /** Begins the schedule; once only (a later call, or one after runNow, does nothing). */
  start (): void {
    if (this.started) return
    this.started = true
    this.wake()
  }

  /** Runs now (e.g. on a network change) and restarts the interval from here. */
  runNow (): void {
    if (this.stopped || this.ended) return
    this.started = true
    this.nextAtMs = undefined
    this.remainingMs = undefined
    this.clear()
    this.wake()
  }

  stop (): void {
    this.stopped = true
    this.clear()
  }

  private wake (slept = 0): void {
    this.handle = undefined
    if (this.stopped || this.ended) return
    const { clock, schedule } = this.init
    const now = clock.now()
    const age = Math.max(0, now - this.init.startedAtMs)
    if (age >= schedule.endMs) {
      this.ended = true
      this.init.onNext?.(undefined)
      this.init.onEnd?.()
      return
    }
    const longest = (intervalAt(schedule, age) ?? 0) * schedule.jitter.max
    if (this.nextAtMs != null && this.remainingMs == null) {
      // A plan from before a restart: trust it only if it is no further away than one interval.
      if (this.nextAtMs - now > longest) this.plan(now, age)
      else this.remainingMs = Math.max(0, this.nextAtMs - now)
    } else if (this.remainingMs != null) {
      this.remainingMs -= slept
    }
    if (this.nextAtMs == null || this.remainingMs == null || this.remainingMs <= 0 || now >= this.nextAtMs) {
      // Due, or a jump forward made it overdue: run once (missed runs are not replayed).
      this.plan(now, age)
      this.init.run()
      if (this.stopped) return
    } else if (Math.abs((this.nextAtMs - now) - this.remainingMs) > 1000) {
      // The wall clock was set: keep the shown plan in step with the timers.
      this.nextAtMs = now + this.remainingMs
      this.init.onNext?.(this.nextAtMs)
    }
    const sleep = Math.max(0, Math.min(this.remainingMs!, this.nextAtMs! - now, this.init.maxSleepMs ?? MAX_SLEEP_MS))
    this.sleepingMs = sleep
    this.handle = clock.setTimeout(() => { this.wake(this.sleepingMs) }, sleep)
  }

  /** The next run one jittered interval from now (never past the schedule's end). */
  private plan (now: number, age: number): void {
    const delay = jitteredIntervalAt(this.init.schedule, age, this.random) ?? 0
    this.nextAtMs = Math.min(now + delay, this.init.startedAtMs + this.init.schedule.endMs)
    this.remainingMs = this.nextAtMs - now
    this.init.onNext?.(this.nextAtMs)
  }

  private clear (): void {
    if (this.handle != null) this.init.clock.clearTimeout(this.handle)
    this.handle = undefined
  }
}

/** How often the daemon fetches the relay mailbox (docs/protocol.md §16), and first at start. */
export const MAILBOX_FETCH_INTERVAL_MS = 15 * 60_000
/** A contact not seen for this long gets our outbox through the relay mailbox too. */
export const MAILBOX_DEPOSIT_AFTER_MS = 10 * 60_000
/** The shortest fetch interval a command line or config.json may set (one round a second at most). */
export const MIN_MAILBOX_FETCH_INTERVAL_MS = 1_000
