// The pairing sentences the CLI prints and the web client shows (peer/core/pairing/describe.ts):
// one step of the four per event, and the same words in both.
import { expect } from 'chai'
import { describePairingEvent } from '../../../../peer/core/pairing/describe.js'
import { describePairingEvent as cliWords } from '../../../../peer/cli/output.js'
import type { PairingEvent } from '../../../../peer/core/pairing/events.js'

const EVENTS: PairingEvent[] = [
  { event: 'waiting', for: 'peer' },
  { event: 'waiting', for: 'match' },
  { event: 'matched', relay: '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWexample' },
  { event: 'verified' },
  { event: 'waiting', for: 'connection' },
  { event: 'connected', direct: true, path: 'direct', remoteAddr: '/ip4/127.0.0.1/udp/1/webrtc-direct' },
  { event: 'connected', direct: true, path: 'turn', remoteAddr: '/ip4/127.0.0.1/udp/1/webrtc-direct' },
  { event: 'connected', direct: false, path: 'relayed', remoteAddr: '/ip4/127.0.0.1/tcp/1/p2p-circuit' },
  { event: 'syncing' },
  { event: 'contact-added', id: '12D3KooWexample', name: 'Alice Example' }
]

describe('pairing words', function () {
  it('each progress event × describePairingEvent → its step, in the order a person sees them', () => {
    expect(EVENTS.map(e => describePairingEvent(e)?.step)).to.deep.equal([
      'waiting', 'waiting', 'verifying', 'verifying', 'connecting', 'connecting', 'connecting', 'connecting', 'syncing', 'done'
    ])
  })

  it('connected × direct, turn, relayed → says which path; contact-added → names the contact', () => {
    const texts = EVENTS.slice(5).map(e => describePairingEvent(e)?.text)
    expect(texts).to.deep.equal([
      'Connected directly (WebRTC).',
      'Connected over WebRTC through a TURN server (no direct path through these NATs).',
      'Connected through the relay (a direct connection was not possible).',
      'Exchanging contact cards…',
      'Added Alice Example to your contacts.'
    ])
  })

  it('CLI words × every progress event → the shared sentence; flash-code → the code, its read-out and its expiry', () => {
    for (const e of EVENTS) expect(cliWords(e), e.event).to.equal(describePairingEvent(e)?.text)
    expect(describePairingEvent({ event: 'flash-code', code: 'wz2e-cd95', expiresAt: Date.now() + 180_000, relay: '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWexample' })).to.equal(undefined)
    const said = cliWords({ event: 'flash-code', code: 'wz2e-cd95', expiresAt: Date.now() + 180_000, relay: '/ip4/127.0.0.1/tcp/1/p2p/12D3KooWexample' })
    expect(said).to.include('wz2e-cd95').and.to.include('valid for 3 minutes')
    // The read-out line of docs/protocol.md §4.4.
    expect(said).to.include('Say it as:        Whiskey Zulu two Echo, Charlie Delta nine five')
  })
})
