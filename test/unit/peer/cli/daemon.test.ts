// The words `gini daemon` prints for relay events: said once when a relay is lost or unreachable,
// once when it is back, nothing for the first connection (the `listening` line says that).
import { expect } from 'chai'
import { contactEventWords, daemonEventWords } from '../../../../peer/cli/daemon.js'
import type { DaemonEvent } from '../../../../peer/core/daemon/events.js'

const R1 = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWR1'
const R2 = '/ip4/127.0.0.1/tcp/4002/p2p/12D3KooWR2'
const relay = (status: 'connected' | 'disconnected' | 'unreachable', addr = R1): DaemonEvent => ({ event: 'relay', status, relay: addr })

describe('gini daemon words', () => {
  it('relay connected at start → nothing; unreachable → said; connected after it → "reachable again"', () => {
    const words = daemonEventWords(id => id)
    expect(words(relay('connected'))).to.equal(undefined)
    expect(words(relay('unreachable'))).to.match(/unreachable/)
    expect(words(relay('connected'))).to.equal('The relay is reachable again.')
    expect(words(relay('connected')), 'only once').to.equal(undefined)
  })

  it('lost, then unreachable, then back → three lines, one each; another relay keeps its own story', () => {
    const words = daemonEventWords(id => id)
    expect(words(relay('connected', R2))).to.equal(undefined)
    expect(words(relay('disconnected'))).to.match(/Lost the relay/)
    expect(words(relay('unreachable'))).to.match(/unreachable/)
    expect(words(relay('connected', R2)), 'R2 was never lost').to.equal(undefined)
    expect(words(relay('connected'))).to.equal('The relay is reachable again.')
  })

  it('§22.5: a fallback relay taken → says which; lost → "trying the next"; the relay back → "reachable again"; a list refresh → nothing', () => {
    const words = daemonEventWords(id => id)
    expect(words(relay('connected'))).to.equal(undefined)
    expect(words(relay('disconnected'))).to.match(/Lost the relay/)
    expect(words({ event: 'relay', status: 'connected', relay: R2, fallback: true })).to.equal(`Reachable through another relay of the network (${R2}) while the relay is down.`)
    expect(words({ event: 'relay', status: 'disconnected', relay: R2, fallback: true })).to.match(/next one/)
    expect(words(relay('connected'))).to.equal('The relay is reachable again.')
    expect(words({ event: 'relay-list', relay: R1, relays: 3, saved: true })).to.equal(undefined)
  })

  it('a session on the TCP link (§17.6) → "connected directly (TCP)"; on WebRTC → "(WebRTC)"', () => {
    const words = daemonEventWords(id => id === 'B' ? 'Bob' : id)
    expect(words({ event: 'session', id: 'B', direct: true, link: 'tcp', remoteAddr: '/ip4/10.0.0.2/tcp/4100', via: 'dial' })).to.equal('Bob: connected directly (TCP).')
    expect(words({ event: 'session', id: 'B', direct: true, link: 'webrtc', remoteAddr: '/webrtc', via: 'inbound' })).to.equal('Bob: connected directly (WebRTC).')
  })

  it('§19 local edits → one line each, naming the contact by its card name and the new nickname', () => {
    const words = daemonEventWords(id => id === 'P' ? 'Bob' : id === 'Q' ? 'Carol' : id)
    expect(words({ event: 'contact-renamed', id: 'P', name: 'Bob', nickname: 'Bobby' })).to.equal('Bob: nickname now "Bobby".')
    expect(words({ event: 'contact-renamed', id: 'P', name: 'Bob', nickname: null })).to.equal('Bob: nickname removed.')
    expect(words({ event: 'contact-blocked', id: 'P', name: 'Bob' })).to.equal('Bob: blocked.')
    expect(words({ event: 'contact-unblocked', id: 'P', name: 'Bob' })).to.equal('Bob: unblocked.')
    expect(words({ event: 'contact-deleted', id: 'Q', name: 'Carol' })).to.equal('Carol: deleted.')
  })

  it('§19 a nickname names the contact in every line (state, session, messages, files, key change, block, delete); the card name only where it is the news', () => {
    const { words, nameOf } = contactEventWords([{ id: 'P', name: 'Bob', nickname: 'Bobby' }, { id: 'Q', name: 'Carol' }])
    expect(nameOf('P')).to.equal('Bobby')
    expect(words({ event: 'contact-state', id: 'P', name: 'Bob', state: 'online' })).to.match(/^Bobby: /)
    expect(words({ event: 'session', id: 'P', direct: false, link: 'relayed', remoteAddr: '/p2p-circuit', via: 'dial' })).to.equal('Bobby: connected through the relay.')
    expect(words({ event: 'message', direction: 'in', contact: 'P', id: 'm1', type: 'MESSAGE', content: 'hi', at: 1 })).to.equal('Bobby: hi')
    expect(words({ event: 'file', direction: 'in', contact: 'P', id: 't1', name: 'a.txt', size: 3, sha256: '00', state: 'offered' })).to.equal('Bobby offers a.txt (3 bytes): gini files accept t1')
    expect(words({ event: 'file', direction: 'out', contact: 'P', id: 't2', name: 'b.txt', size: 3, sha256: '00', state: 'failed', error: 'x' })).to.equal('b.txt to Bobby: x')
    expect(words({ event: 'key-change', id: 'P', name: 'Bob', newSafetyNumber: '1'.repeat(60) })).to.match(/^Warning: Bobby paired again/)
    expect(words({ event: 'contact-blocked', id: 'P', name: 'Bob' })).to.equal('Bobby: blocked.')
    // A card update keeps the nickname; the line names the contact as known, then the new card name.
    expect(words({ event: 'contact-updated', id: 'P', name: 'Robert' })).to.equal('Bobby updated their contact card: now "Robert".')
    expect(nameOf('P')).to.equal('Bobby')
    // The nickname line names the card; later lines use the new nickname, or the card once it is removed.
    expect(words({ event: 'contact-renamed', id: 'P', name: 'Robert', nickname: 'Rob' })).to.equal('Robert: nickname now "Rob".')
    expect(words({ event: 'contact-unblocked', id: 'P', name: 'Robert' })).to.equal('Rob: unblocked.')
    expect(words({ event: 'contact-renamed', id: 'P', name: 'Robert', nickname: null })).to.equal('Robert: nickname removed.')
    expect(nameOf('P')).to.equal('Robert')
    // Without a nickname, the card's name; a card update changes it after its own line.
    expect(words({ event: 'contact-updated', id: 'Q', name: 'Caroline' })).to.equal('Carol updated their contact card: now "Caroline".')
    expect(words({ event: 'contact-deleted', id: 'Q', name: 'Caroline' })).to.equal('Caroline: deleted.')
    expect(nameOf('Q'), 'forgotten once deleted').to.equal('Q')
    // A contact paired while the daemon runs: named by its first contact-state.
    expect(words({ event: 'contact-state', id: 'N', name: 'Nina', state: 'online' })).to.match(/^Nina: /)
  })
})
