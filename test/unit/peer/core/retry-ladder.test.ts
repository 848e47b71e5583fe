// peer/core/retry-ladder.ts: one retry pending per key, the delays in order, then nothing until a
// success or a cancel starts the ladder afresh.
import { expect } from 'chai'
import { RetryLadder } from '../../../../peer/core/retry-ladder.js'

const settle = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }
/** Polls `done` every 5 ms, at most 50 times. */
const until = async (done: () => boolean): Promise<void> => { for (let i = 0; i < 50 && !done(); i++) await settle(5) }

describe('peer/core/retry-ladder', () => {
  it('a failing key → one retry per delay, a second schedule while one is pending adds none; used up → no more', async () => {
    const ladder = new RetryLadder([1, 1])
    let runs = 0
    const fail = (): void => { runs++; ladder.schedule('a', fail) }
    ladder.schedule('a', fail)
    ladder.schedule('a', fail) // pending: ignored
    await until(() => runs >= 2)
    await settle(20)
    expect(runs).to.equal(2)
    expect(ladder.has('a')).to.equal(true)
  })

  it('succeeded → the next failure starts from the first delay; cancel → the pending retry never runs', async () => {
    const ladder = new RetryLadder([1])
    let runs = 0
    ladder.schedule('a', () => { runs++ })
    await until(() => runs >= 1)
    ladder.schedule('a', () => { runs++ }) // used up
    await settle(20)
    expect(runs).to.equal(1)
    ladder.succeeded('a')
    expect(ladder.has('a')).to.equal(false)
    ladder.schedule('a', () => { runs++ })
    ladder.cancel('a')
    await settle(20)
    expect(runs).to.equal(1)
    expect(ladder.has('a')).to.equal(false)
  })
})
