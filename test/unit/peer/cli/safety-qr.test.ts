import { expect } from 'chai'
import { safetyQrTerminal } from '../../../../peer/cli/safety.js'

describe('gini safety-number terminal QR (docs/protocol.md §18)', () => {
  it('draws a non-empty block-character code for a payload', async () => {
    const qr = await safetyQrTerminal('gini-safety:1:' + '0'.repeat(60))
    expect(qr.trim().length).to.be.greaterThan(100)
    expect(qr).to.match(/[▀▄█]/)
    expect(qr.split('\n').length).to.be.greaterThan(10)
  })
})
