// How a connection's path is named (peer/core/pairing/connection-path.ts): relayed / direct / turn, from the
// ICE selected candidate pair of node-datachannel's polyfill or of a browser's getStats().
import { expect } from 'chai'
import type { Connection } from '@libp2p/interface'
import { describeConnection, selectedCandidatePair } from '../../../../peer/core/pairing/connection-path.js'

const WEBRTC_ADDR = { toString: () => '/ip4/198.51.100.1/tcp/4001/p2p/R/p2p-circuit/webrtc/p2p/X' }
const CIRCUIT_ADDR = { toString: () => '/ip4/198.51.100.1/tcp/4001/p2p/R/p2p-circuit/p2p/X' }

function conn (peerConnection: unknown, opts: { relayed?: boolean } = {}): Connection {
  return {
    remoteAddr: opts.relayed === true ? CIRCUIT_ADDR : WEBRTC_ADDR,
    limits: opts.relayed === true ? { bytes: 1n } : undefined,
    status: 'open',
    maConn: { peerConnection }
  } as unknown as Connection
}

/** node-datachannel's polyfill: selectedCandidatePair() returns the native pair. */
const ndcPair = (...pairs: Array<[string, string]>): unknown => {
  let i = 0
  return { selectedCandidatePair: () => { const [local, remote] = pairs[Math.min(i++, pairs.length - 1)]; return { local: { type: local }, remote: { type: remote } } } }
}

describe('connection path', () => {
  it('circuit connection with limits → relayed, direct false, no candidates', async () => {
    expect(await describeConnection(conn(undefined, { relayed: true }))).to.deep.equal({ direct: false, path: 'relayed' })
  })

  it('WebRTC × srflx↔srflx → direct, with the candidate types', async () => {
    expect(await describeConnection(conn(ndcPair(['srflx', 'srflx'])))).to.deep.equal({ direct: true, path: 'direct', candidates: { local: 'srflx', remote: 'srflx' } })
  })

  it('WebRTC × a relay candidate that stays selected → turn (direct stays true)', async function () {
    this.timeout(10_000)
    const d = await describeConnection(conn(ndcPair(['relay', 'prflx'])))
    expect(d).to.deep.equal({ direct: true, path: 'turn', candidates: { local: 'relay', remote: 'prflx' } })
  })

  it('WebRTC × TURN pair selected first, then the srflx pair nominated → direct', async () => {
    const d = await describeConnection(conn(ndcPair(['srflx', 'relay'], ['srflx', 'relay'], ['srflx', 'srflx'])))
    expect(d.path).to.equal('direct')
    expect(d.candidates).to.deep.equal({ local: 'srflx', remote: 'srflx' })
  })

  it('browser RTCPeerConnection × getStats() with the transport\'s selected pair → its candidate types', async () => {
    const stats = new Map<string, any>([
      ['T', { type: 'transport', selectedCandidatePairId: 'P2' }],
      ['P1', { type: 'candidate-pair', id: 'P1', localCandidateId: 'L1', remoteCandidateId: 'R1', nominated: true, state: 'succeeded' }],
      ['P2', { type: 'candidate-pair', id: 'P2', localCandidateId: 'L2', remoteCandidateId: 'R2' }],
      ['L1', { type: 'local-candidate', candidateType: 'host' }],
      ['R1', { type: 'remote-candidate', candidateType: 'host' }],
      ['L2', { type: 'local-candidate', candidateType: 'relay' }],
      ['R2', { type: 'remote-candidate', candidateType: 'srflx' }]
    ])
    expect(await selectedCandidatePair(conn({ getStats: async () => stats }))).to.deep.equal({ local: 'relay', remote: 'srflx' })
  })

  it('no RTCPeerConnection behind the connection (another transport) → direct without candidates', async () => {
    expect(await describeConnection(conn(undefined))).to.deep.equal({ direct: true, path: 'direct' })
  })
})
