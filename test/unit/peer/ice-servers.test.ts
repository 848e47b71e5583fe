// The peer's ICE server source (peer/core/ice-servers.ts, docs/protocol.md §14): configured servers first,
// the relay's asked once and again before the credential expires; on failure no public defaults.
import { expect } from 'chai'
import { IceServerSource } from '../../../peer/core/ice-servers.js'
import { forNodeDatachannel } from '../../../peer/adapters/webrtc-config.js'
import { FakeClock } from '../../helpers/fake-clock.js'
import type { IceServerGrant } from '../../../protocols/ice/index.js'

function manualClock (start = 1_000_000): FakeClock {
  return new FakeClock(start)
}

const turnGrant = (n: number, ttlMs = 10_000): IceServerGrant => ({
  servers: [{ urls: ['stun:s:3478'] }, { urls: ['turn:t:3478?transport=udp'], username: `${n}:r`, credential: `c${n}` }],
  ttlMs
})

describe('ice: the peer\'s ICE server source', () => {
  it('nothing configured, no relay → no servers at all (never public defaults)', async () => {
    expect(await new IceServerSource().servers()).to.deep.equal([])
  })

  it('configured + relay → configured first, then the relay\'s; asked once for many connections', async () => {
    let asked = 0
    const source = new IceServerSource({ configured: [{ urls: 'stun:mine:3478' }], clock: manualClock() })
    source.useRelay(async () => turnGrant(++asked))
    const a = await source.servers()
    const b = await source.servers()
    expect(a.map(s => s.urls)).to.deep.equal(['stun:mine:3478', ['stun:s:3478'], ['turn:t:3478?transport=udp']])
    expect(b).to.deep.equal(a)
    expect(asked).to.equal(1)
  })

  it('credential × half its TTL passed → asks the relay again and hands out the new one', async () => {
    const clock = manualClock()
    let asked = 0
    const source = new IceServerSource({ clock })
    source.useRelay(async () => turnGrant(++asked, 10_000))
    expect((await source.servers())[1].credential).to.equal('c1')
    clock.advance(4_999)
    expect((await source.servers())[1].credential).to.equal('c1')
    clock.advance(2)
    expect((await source.servers())[1].credential).to.equal('c2')
    expect(asked).to.equal(2)
  })

  it('expired credential × relay unreachable → STUN kept, the expired TURN entry dropped', async () => {
    const clock = manualClock()
    let fail = false
    const source = new IceServerSource({ clock })
    source.useRelay(async () => { if (fail) throw Object.assign(new Error('down'), { name: 'TimeoutError' }); return turnGrant(1) })
    expect(await source.servers()).to.have.length(2)
    fail = true
    clock.advance(20_000)
    expect(await source.servers()).to.deep.equal([{ urls: ['stun:s:3478'] }])
  })

  it('relay without /gini/ice/1 → configured only, and it is not asked again', async () => {
    let asked = 0
    const source = new IceServerSource({ configured: [{ urls: 'stun:mine' }] })
    source.useRelay(async () => { asked++; throw Object.assign(new Error('nope'), { name: 'UnsupportedProtocolError' }) })
    expect(await source.servers()).to.deep.equal([{ urls: 'stun:mine' }])
    expect(await source.servers()).to.deep.equal([{ urls: 'stun:mine' }])
    expect(asked).to.equal(1)
  })

  it('invalidate() after a failed WebRTC attempt → the next connection gets a fresh credential', async () => {
    let asked = 0
    const source = new IceServerSource({ clock: manualClock() })
    source.useRelay(async () => turnGrant(++asked))
    await source.servers()
    source.invalidate()
    expect((await source.servers())[1].credential).to.equal('c2')
  })

  it('node-datachannel form → username and credential percent-encoded (libdatachannel splits the URL at ":")', () => {
    const [entry] = forNodeDatachannel([{ urls: 'turn:t:3478', username: '1767225600:a/b', credential: 'x+y/z=' }])
    expect(entry).to.deep.equal({ urls: ['turn:t:3478'], username: '1767225600%3Aa%2Fb', credential: 'x%2By%2Fz%3D' })
  })
})
