// The command lines' duration parser (gini daemon, gini-relay): the forms both accept, and what
// neither does.
import { expect } from 'chai'
import { parseDurationMs } from '../../../../protocols/common/duration.js'

describe('parseDurationMs', function () {
  it('parseDurationMs × 180s, 2s, 500ms, 3m, 1h, bare 90 → milliseconds', () => {
    expect(['180s', '2s', '500ms', '3m', '1h', '90', '1.5s'].map(t => parseDurationMs(t)))
      .to.deep.equal([180_000, 2_000, 500, 180_000, 3_600_000, 90_000, 1_500])
  })

  it('days × 3d, 365d, 8760h, 0.5d → milliseconds (365d is the CRP registration life)', () => {
    expect(['3d', '365d', '8760h', '0.5d', ' 2 s '].map(t => parseDurationMs(t)))
      .to.deep.equal([259_200_000, 31_536_000_000, 31_536_000_000, 43_200_000, 2_000])
  })

  it('parseDurationMs × garbage, zero, negative → throws', () => {
    for (const bad of ['', 'abc', '0s', '-1s', '10 days', 's']) expect(() => parseDurationMs(bad), bad).to.throw()
  })

  it('more refusals × 0.0001s rounding to 0, 1w, 1e3, 3dd, too large → throws a RangeError naming the input', () => {
    for (const bad of ['0.0001s', '1w', '1e3', '3dd', '99999999999999999d', 'soon']) {
      expect(() => parseDurationMs(bad), bad).to.throw(RangeError, `"${bad}"`)
    }
  })

  it('minMs × 0s with minMs 0 → 0; 500ms with minMs 1000 → throws naming the input and the minimum', () => {
    expect(['0s', '0', '0ms'].map(t => parseDurationMs(t, { minMs: 0 }))).to.deep.equal([0, 0, 0])
    expect(() => parseDurationMs('-1s', { minMs: 0 })).to.throw(RangeError, '"-1s"')
    expect(() => parseDurationMs('500ms', { minMs: 1_000 })).to.throw(RangeError, 'at least 1000 ms')
    expect(parseDurationMs('1s', { minMs: 1_000 })).to.equal(1_000)
  })
})
