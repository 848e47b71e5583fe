// The one schedule module (peer/core/daemon/schedule.ts): the CRP schedule of docs/protocol.md §9.3
// walked end to end on a fake clock, its jitter, the fast variant, the re-dial back-off, and
// wall-clock jumps.
import { expect } from 'chai'
import {
  DAY_MS, FAST_CRP_SCHEDULE, REDIAL_BACKOFF, SEED_CRP_SCHEDULE, ScheduledRunner, crpScheduleByName, intervalAt,
  jitteredIntervalAt, type Schedule
} from '../../../../peer/core/daemon/schedule.js'
import { reachabilityOf, restoreStatusOf, type ReachabilityPolicy } from '../../../../peer/core/daemon/reachability.js'
import { FakeClock } from '../../../helpers/fake-clock.js'

const S = 1000

/** Starts a runner on a fake clock and records the wall-clock time of every run. */
function walk (schedule: Schedule, random: () => number = Math.random): { clock: FakeClock, runs: number[], endedAt: () => number | undefined, runner: ScheduledRunner, start: number } {
  const clock = new FakeClock()
  const start = clock.now()
  const runs: number[] = []
  let ended: number | undefined
  const runner = new ScheduledRunner({
    clock,
    schedule,
    startedAtMs: start,
    random,
    run: () => { runs.push(clock.now()) },
    onEnd: () => { ended = clock.now() }
  })
  runner.start()
  return { clock, runs, endedAt: () => ended, runner, start }
}

describe('schedule', () => {
  it('§9.3 bands × age → 60 s, 300 s from day 3, 600 s from day 10, 3600 s from day 20, 43 200 s from day 30, 86 400 s from day 40, none from day 365', () => {
    const at = (days: number): number | undefined => intervalAt(SEED_CRP_SCHEDULE, days * DAY_MS)
    expect(at(0)).to.equal(60 * S)
    expect(at(2.999)).to.equal(60 * S)
    expect(at(3)).to.equal(300 * S)
    expect(at(10)).to.equal(600 * S)
    expect(at(20)).to.equal(3600 * S)
    expect(at(30)).to.equal(43_200 * S)
    expect(at(40)).to.equal(86_400 * S)
    expect(at(364.99)).to.equal(86_400 * S)
    expect(at(365)).to.equal(undefined)
    expect(intervalAt(SEED_CRP_SCHEDULE, -5 * S)).to.equal(60 * S) // a clock set back never breaks it
  })

  it('jitter × random 0 and → 1 → exactly ×0.9 and ×1.1', () => {
    expect(jitteredIntervalAt(SEED_CRP_SCHEDULE, 0, () => 0)).to.equal(54 * S)
    expect(jitteredIntervalAt(SEED_CRP_SCHEDULE, 0, () => 0.999999999)).to.equal(66 * S)
    expect(jitteredIntervalAt(SEED_CRP_SCHEDULE, 40 * DAY_MS, () => 0.5)).to.equal(86_400 * S)
  })

  it('fast × the §9.3 schedule → same bands and ratios, every duration ÷ 60 (1 s until 72 min … expired at 146 h)', () => {
    expect(crpScheduleByName('fast')).to.equal(FAST_CRP_SCHEDULE)
    expect(crpScheduleByName('seed')).to.equal(SEED_CRP_SCHEDULE)
    expect(FAST_CRP_SCHEDULE.bands.map(b => b.intervalMs)).to.deep.equal([1, 5, 10, 60, 720, 1440].map(x => x * S))
    expect(FAST_CRP_SCHEDULE.bands.map(b => b.fromMs)).to.deep.equal(SEED_CRP_SCHEDULE.bands.map(b => b.fromMs / 60))
    expect(FAST_CRP_SCHEDULE.endMs).to.equal(365 * DAY_MS / 60)
    expect(FAST_CRP_SCHEDULE.jitter).to.deep.equal({ min: 0.9, max: 1.1 })
  })

  it('the whole 365-day §9.3 schedule on a fake clock → every interval within ×[0.9, 1.1] of its band, expired at day 365', function () {
    const { clock, runs, endedAt, runner, start } = walk(SEED_CRP_SCHEDULE)
    let steps = 0
    while (endedAt() == null && clock.step()) {
      if (++steps > 100_000) throw new Error('the schedule did not end within 100 000 timer steps')
    }
    expect(endedAt(), 'expiry').to.equal(start + 365 * DAY_MS)
    expect(runs[0], 'first run at once').to.equal(start)
    const perBand = new Map<number, number>()
    for (let i = 1; i < runs.length; i++) {
      const age = runs[i - 1] - start
      const band = intervalAt(SEED_CRP_SCHEDULE, age)!
      const gap = runs[i] - runs[i - 1]
      expect(gap, `interval ${i} at day ${(age / DAY_MS).toFixed(3)}`).to.be.within(Math.floor(band * 0.9), Math.ceil(band * 1.1))
      perBand.set(band, (perBand.get(band) ?? 0) + 1)
    }
    expect(runs[runs.length - 1] - start).to.be.below(365 * DAY_MS)
    // Runs a day: 1440 for 3 days, 288 for 7, 144 for 10, 24 for 10, 2 for 10, 1 for 325 (±10 % jitter).
    const expected: Array<[number, number]> = [[60 * S, 4320], [300 * S, 2016], [600 * S, 1440], [3600 * S, 240], [43_200 * S, 20], [86_400 * S, 325]]
    for (const [band, n] of expected) expect(perBand.get(band) ?? 0, `runs every ${band / S} s`).to.be.within(n * 0.88, n * 1.12)
    expect(runner.nextRunAtMs).to.equal(undefined)
    expect(clock.pending, 'no timer left after the end').to.equal(0)
  })

  it('the fast schedule walked to its end → expired at 146 h with the same shape', () => {
    const { clock, runs, endedAt, start } = walk(FAST_CRP_SCHEDULE, () => 0.5)
    let steps = 0
    while (endedAt() == null && clock.step()) if (++steps > 100_000) throw new Error('no end')
    expect(endedAt()).to.equal(start + FAST_CRP_SCHEDULE.endMs)
    expect(runs[1] - runs[0]).to.equal(1 * S)
    expect(runs.length).to.be.within(8300, 8420)
  })

  it('a run due while the wall clock jumped 8 h forward (suspend/resume) → runs once at once, then in the band of the real age; no burst, no crash', () => {
    const { clock, runs, start } = walk(SEED_CRP_SCHEDULE, () => 0.5)
    clock.advance(120 * S) // runs at 0, 60, 120 s
    expect(runs.map(t => t - start)).to.deep.equal([0, 60 * S, 120 * S])
    clock.jump(3 * DAY_MS) // asleep for 3 days: the pending 60 s timer has not moved on the monotonic clock
    clock.advance(60 * S)
    expect(runs.length, 'exactly one run after the resume').to.equal(4)
    clock.advance(299 * S)
    expect(runs.length, 'next one a 300-s interval later: the age is past day 3').to.equal(4)
    clock.advance(1 * S)
    expect(runs.length).to.equal(5)
  })

  it('the wall clock set back by a day → the planned run still comes on time, the age never goes negative', () => {
    const { clock, runs, start, runner } = walk(SEED_CRP_SCHEDULE, () => 0.5)
    clock.advance(60 * S)
    clock.jump(-DAY_MS)
    clock.advance(60 * S)
    expect(runs.length, 'the run planned before the jump').to.equal(3)
    clock.advance(60 * S)
    expect(runs.length).to.equal(4)
    expect(runs[3] - runs[2]).to.equal(60 * S)
    expect(start - runs[3]).to.be.above(0) // wall time is before the start: age clamped to 0, band 1
    expect(runner.nextRunAtMs! - clock.now(), 'the shown plan follows the new wall clock').to.equal(60 * S)
  })

  it('a runner whose stored next run is after a restart in the past → runs at once; far in the future → within one interval', () => {
    const clock = new FakeClock()
    const now = clock.now()
    let n = 0
    const past = new ScheduledRunner({ clock, schedule: SEED_CRP_SCHEDULE, startedAtMs: now - 10 * DAY_MS, nextRunAtMs: now - 5 * S, run: () => { n++ }, random: () => 0.5 })
    past.start()
    expect(n).to.equal(1)
    past.stop()
    let m = 0
    const future = new ScheduledRunner({ clock, schedule: SEED_CRP_SCHEDULE, startedAtMs: now, nextRunAtMs: now + 30 * DAY_MS, run: () => { m++ }, random: () => 0.5 })
    future.start()
    expect(m).to.equal(0)
    clock.advance(60 * S)
    expect(m).to.equal(1)
    future.stop()
    expect(clock.pending).to.equal(0)
  })

  it('re-dial back-off → 2 s for a minute, then 15 s, 60 s from 10 min, 300 s from an hour, never ends', () => {
    expect(intervalAt(REDIAL_BACKOFF, 0)).to.equal(2 * S)
    expect(intervalAt(REDIAL_BACKOFF, 61 * S)).to.equal(15 * S)
    expect(intervalAt(REDIAL_BACKOFF, 601 * S)).to.equal(60 * S)
    expect(intervalAt(REDIAL_BACKOFF, 400 * DAY_MS)).to.equal(300 * S)
  })
})

describe('reachability', () => {
  const policy: ReachabilityPolicy = { unreachableAfterMs: 3 * DAY_MS, crpSchedule: SEED_CRP_SCHEDULE }
  const now = Date.UTC(2026, 5, 1)

  it('connected → online; seen 2 days ago → offline; 3 days → unreachable; CRP 365 days old → expired', () => {
    expect(reachabilityOf({ lastSeenMs: now - 10 * DAY_MS, state: 'unreachable' }, true, now, policy)).to.equal('online')
    expect(reachabilityOf({ lastSeenMs: now - 2 * DAY_MS, state: 'online' }, false, now, policy)).to.equal('offline')
    expect(reachabilityOf({ lastSeenMs: now - 3 * DAY_MS, state: 'offline' }, false, now, policy)).to.equal('unreachable')
    expect(reachabilityOf({ lastSeenMs: now - 400 * DAY_MS, state: 'unreachable', crp: { startedAtMs: now - 365 * DAY_MS, incorrectInRow: 0 } }, false, now, policy)).to.equal('expired')
    expect(reachabilityOf({ lastSeenMs: now, state: 'expired' }, false, now, policy)).to.equal('expired')
  })

  it('a clock set back before "last seen" → offline, not a crash; a CRP already running stays unreachable', () => {
    expect(reachabilityOf({ lastSeenMs: now + DAY_MS, state: 'offline' }, false, now, policy)).to.equal('offline')
    expect(reachabilityOf({ lastSeenMs: now + DAY_MS, state: 'unreachable', crp: { startedAtMs: now + DAY_MS, incorrectInRow: 0 } }, false, now, policy)).to.equal('unreachable')
  })

  it('incorrect runs in a row 0, 1, 3 → no status, "failed", "keeps-failing"', () => {
    expect(restoreStatusOf({})).to.equal(undefined)
    expect(restoreStatusOf({ crp: { startedAtMs: 0, incorrectInRow: 1 } })).to.equal('failed')
    expect(restoreStatusOf({ crp: { startedAtMs: 0, incorrectInRow: 3 } })).to.equal('keeps-failing')
  })
})
