// The relay's component logger (relay/quiet-logger.ts): off namespaces get a no-op logger, a
// namespace DEBUG turns on (or a scope under an off one) gets a real one.
import { expect } from 'chai'
import { disable, enable } from '@libp2p/logger'
import { relayLogger } from '../../../relay/quiet-logger.js'

describe('relay quiet logger', function () {
  afterEach(() => {
    disable()
    if (process.env.DEBUG != null && process.env.DEBUG !== '') enable(process.env.DEBUG)
  })

  it('namespaces all off × a component, its scope, a call → not enabled, calls do nothing', () => {
    disable()
    const log = relayLogger().forComponent('gini:quiet-test')
    expect(log.enabled).to.equal(false)
    expect(log.newScope('inner').enabled).to.equal(false)
    expect(() => { log('x %s', 1); log.error('e'); log.trace('t') }).to.not.throw()
  })

  it('DEBUG on a scope only × its off parent\'s newScope → that scope enabled, the parent not', () => {
    enable('gini:quiet-test:inner')
    const log = relayLogger().forComponent('gini:quiet-test')
    expect(log.enabled).to.equal(false)
    expect(log.newScope('inner').enabled).to.equal(true)
  })

  it('DEBUG on a component × forComponent → @libp2p/logger\'s enabled logger', () => {
    enable('gini:quiet-test')
    expect(relayLogger().forComponent('gini:quiet-test').enabled).to.equal(true)
  })
})
