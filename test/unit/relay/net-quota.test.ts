// Per-network shares of a bounded pool (relay/net-quota.ts): the networks an address counts in,
// the cap of each scope, the reserve for networks that hold few, and places given back.
import { expect } from 'chai'
import { NetQuota, netKeys, type NetQuotaLimits } from '../../../relay/net-quota.js'

function quota (limits: Partial<NetQuotaLimits>, refused: string[] = []): NetQuota {
  return new NetQuota('pending', { total: 1_000, perNet: {}, reserved: 0, reserveMaxPerNet: 4, ...limits }, (l) => refused.push(l))
}

describe('NetQuota: places per network', function () {
  it('netKeys × IPv4 → the address; IPv6 → address, /64, /56, /48; IPv4-mapped → the IPv4 address', () => {
    expect(netKeys('203.0.113.9')).to.deep.equal([{ scope: 'ip', key: '203.0.113.9' }])
    expect(netKeys('2001:db8:12:3456:aaaa::1%eth0')).to.deep.equal([
      { scope: 'ip', key: '2001:db8:12:3456:aaaa:0:0:1' },
      { scope: 'ip6-64', key: '2001:db8:12:3456::/64' },
      { scope: 'ip6-56', key: '2001:db8:12:3400::/56' },
      { scope: 'ip6-48', key: '2001:db8:12::/48' }
    ])
    expect(netKeys('::ffff:192.0.2.7')).to.deep.equal([{ scope: 'ip', key: '192.0.2.7' }])
    expect(netKeys('::1')[1]).to.deep.equal({ scope: 'ip6-64', key: '0:0:0:0::/64' })
  })

  it('per-ip cap × one more → refused with its name; another address still takes', () => {
    const refused: string[] = []
    const q = quota({ perNet: { ip: 2 } }, refused)
    expect(q.take({ host: '192.0.2.1' })).to.equal(undefined)
    expect(q.take({ host: '192.0.2.1' })).to.equal(undefined)
    expect(q.take({ host: '192.0.2.1' })).to.equal('pending-per-ip')
    expect(q.take({ host: '192.0.2.2' })).to.equal(undefined)
    expect(refused).to.deep.equal(['pending-per-ip'])
    expect(q.size).to.equal(3)
  })

  it('/56 cap × a new /64 in the same /56 → refused; another /56 of the same /48 takes, until the /48 cap', () => {
    const q = quota({ perNet: { ip: 10, 'ip6-64': 10, 'ip6-56': 2, 'ip6-48': 3 } })
    expect(q.take({ host: '2001:db8:1:100::1' })).to.equal(undefined)
    expect(q.take({ host: '2001:db8:1:101::1' })).to.equal(undefined)
    expect(q.take({ host: '2001:db8:1:1ff::1' })).to.equal('pending-per-ip6-56') // still 2001:db8:1:100::/56
    expect(q.take({ host: '2001:db8:1:200::1' })).to.equal(undefined)
    expect(q.take({ host: '2001:db8:1:300::1' })).to.equal('pending-per-ip6-48')
    expect(q.take({ host: '2001:db8:2::1' })).to.equal(undefined)
  })

  it('/64 cap × fresh addresses in one /64 → refused at the cap (addresses in a /64 are free to mint)', () => {
    const q = quota({ perNet: { ip: 10, 'ip6-64': 3 } })
    for (let i = 1; i <= 3; i++) expect(q.take({ host: `2001:db8::${i}` })).to.equal(undefined)
    expect(q.take({ host: '2001:db8::4' })).to.equal('pending-per-ip6-64')
  })

  it('reserve × past total − reserved → a network holding reserveMaxPerNet is refused, a fresh one takes', () => {
    const q = quota({ total: 10, reserved: 4, reserveMaxPerNet: 4, perNet: { ip: 100 } })
    for (let i = 0; i < 6; i++) expect(q.take({ host: '192.0.2.1' })).to.equal(undefined)
    expect(q.take({ host: '192.0.2.1' })).to.equal('pending-reserved')
    for (let i = 0; i < 4; i++) expect(q.take({ host: `198.51.100.${i}` })).to.equal(undefined)
    expect(q.size).to.equal(10)
  })

  it('release × every place of a network → it is forgotten and may take again; no host → counted in the pool only', () => {
    const q = quota({ perNet: { ip: 1 } })
    expect(q.take({ host: '192.0.2.1' })).to.equal(undefined)
    expect(q.take({ host: '192.0.2.1' })).to.equal('pending-per-ip')
    q.release({ host: '192.0.2.1' })
    expect(q.size).to.equal(0)
    expect(q.take({ host: '192.0.2.1' })).to.equal(undefined)
    expect(q.take({})).to.equal(undefined)
    expect(q.take({})).to.equal(undefined)
    expect(q.size).to.equal(3)
  })
})
