// relay/forwarded-for.ts: which X-Forwarded-For entry is the client, and which proxies are believed.
import { expect } from 'chai'
import { TrustedProxies, clientAddress } from '../../../relay/forwarded-for.js'

describe('relay X-Forwarded-For', () => {
  const trusted = new TrustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8'])

  it('trusted list × addresses, CIDR blocks, IPv4-mapped IPv6', () => {
    expect(trusted.has('127.0.0.1')).to.equal(true)
    expect(trusted.has('::ffff:127.0.0.1')).to.equal(true)
    expect(trusted.has('10.200.3.4')).to.equal(true)
    expect(trusted.has('fd12::1')).to.equal(true)
    expect(trusted.has('127.0.0.2')).to.equal(false)
    expect(trusted.has('2001:db8::1')).to.equal(false)
    expect(trusted.has('nonsense')).to.equal(false)
  })

  it('bad entries × refused with the entry named', () => {
    for (const bad of ['10.0.0.0/33', 'fd00::/129', 'localhost', '10.0.0.0/8/1', '10.0.0.0/x', '']) {
      expect(() => new TrustedProxies([bad]), bad).to.throw(RangeError, /not an IP address or CIDR block/)
    }
  })

  it('client × right-most untrusted entry; header from an untrusted peer or none → the peer', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.7', trusted)).to.equal('203.0.113.7')
    expect(clientAddress('127.0.0.1', '192.0.2.1, 198.51.100.1, 10.1.2.3', trusted)).to.equal('198.51.100.1')
    expect(clientAddress('127.0.0.1', ['192.0.2.1', '198.51.100.1'], trusted)).to.equal('198.51.100.1')
    expect(clientAddress('127.0.0.1', '10.0.0.1, 10.0.0.2', trusted)).to.equal('10.0.0.1')
    expect(clientAddress('127.0.0.1', '::ffff:203.0.113.7', trusted)).to.equal('203.0.113.7')
    expect(clientAddress('127.0.0.1', '2001:db8::5', trusted)).to.equal('2001:db8::5')
    expect(clientAddress('127.0.0.1', undefined, trusted)).to.equal('127.0.0.1')
    expect(clientAddress('127.0.0.9', '203.0.113.7', trusted)).to.equal('127.0.0.9')
  })

  it('malformed × invalid: not an address, a port, an empty entry, a zone, too many hops', () => {
    for (const bad of ['nope', '203.0.113.7:80', '203.0.113.7,,', 'fe80::1%eth0', Array(40).fill('10.0.0.1').join(',')]) {
      expect(clientAddress('127.0.0.1', bad, trusted), bad).to.equal('invalid')
    }
    // Only the entries looked at count: a junk entry left of the client is never reached.
    expect(clientAddress('127.0.0.1', 'junk, 203.0.113.7', trusted)).to.equal('203.0.113.7')
  })
})
