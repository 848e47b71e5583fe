// Token buckets of the relay (docs/protocol.md §6.5) on a hand-driven clock, plus the small parser
// for its per-IP keys. Durations: test/unit/protocols/common/duration.test.ts.
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { ipKey } from '../../../relay/fc-service.js'
import { RateLimiter, TokenBuckets } from '../../../relay/rate-limit.js'

describe('relay rate limits (token buckets)', function () {
  it('fresh key × burst+1 takes → the last is refused', () => {
    let t = 0
    const b = new TokenBuckets({ burst: 3, refillMs: 1000 }, 10, () => t)
    expect([b.take('k'), b.take('k'), b.take('k'), b.take('k')]).to.deep.equal([true, true, true, false])
    t = 999
    expect(b.take('k')).to.equal(false)
    t = 1000
    expect(b.take('k')).to.equal(true)
    expect(b.take('k')).to.equal(false)
  })

  it('empty bucket × long pause → refills to burst, never above', () => {
    let t = 0
    const b = new TokenBuckets({ burst: 2, refillMs: 100 }, 10, () => t)
    b.take('k'); b.take('k')
    t = 1_000_000
    expect([b.take('k'), b.take('k'), b.take('k')]).to.deep.equal([true, true, false])
  })

  it('keys × at maxKeys → full buckets are forgotten to make room; busy ones are kept', () => {
    let t = 0
    const b = new TokenBuckets({ burst: 1, refillMs: 100 }, 2, () => t)
    expect(b.take('a')).to.equal(true)
    expect(b.take('b')).to.equal(true)
    expect(b.take('c')).to.equal(false) // a and b are drained: no room, refuse rather than grow
    t = 100 // a and b refilled → forgettable
    expect(b.take('c')).to.equal(true)
    expect(b.size).to.be.at.most(2)
  })

  it('RateLimiter × one IP, many peer ids → the IP bucket bites', () => {
    const limiter = new RateLimiter({ perIp: { burst: 2, refillMs: 60_000 }, perPeer: { burst: 5, refillMs: 60_000 } }, () => 0)
    expect(limiter.admit({ peer: 'p1', ip: '198.51.100.7' }, 'create')).to.equal(true)
    expect(limiter.admit({ peer: 'p2', ip: '198.51.100.7' }, 'join')).to.equal(true)
    expect(limiter.admit({ peer: 'p3', ip: '198.51.100.7' }, 'join')).to.equal(false)
    expect(limiter.admit({ peer: 'p4', ip: '198.51.100.8' }, 'join')).to.equal(true)
  })

  it('RateLimiter × one peer id → the peer bucket bites on Create and Join alike', () => {
    const limiter = new RateLimiter({ perPeer: { burst: 2, refillMs: 60_000 } }, () => 0)
    expect(limiter.admit({ peer: 'p', ip: '198.51.100.1' }, 'create')).to.equal(true)
    expect(limiter.admit({ peer: 'p', ip: '198.51.100.2' }, 'join')).to.equal(true)
    expect(limiter.admit({ peer: 'p', ip: '198.51.100.3' }, 'join')).to.equal(false)
  })
})

describe('relay helpers', function () {
  it('ipKey × IPv4 → the address; IPv6 → its /64; no IP → undefined', () => {
    expect(ipKey(multiaddr('/ip4/203.0.113.9/tcp/4001'))).to.equal('203.0.113.9')
    expect(ipKey(multiaddr('/ip6/2001:db8:0:1:aaaa::1/tcp/4001'))).to.equal('2001:db8:0:1::/64')
    expect(ipKey(multiaddr('/ip6/2001:db8:0:1:bbbb:cccc:dddd:eeee/tcp/4001'))).to.equal('2001:db8:0:1::/64')
    expect(ipKey(multiaddr('/ip6/2001:db8::1/tcp/1'))).to.equal('2001:db8:0:0::/64')
    expect(ipKey(multiaddr('/ip6/::1/tcp/1'))).to.equal('0:0:0:0::/64')
    expect(ipKey(multiaddr('/p2p-circuit'))).to.equal(undefined)
  })
})
