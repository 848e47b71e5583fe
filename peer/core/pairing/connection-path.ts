// Which path a connection to the other peer takes (README: `connected` {direct, path}):
// `relayed` through the relay's circuit, or WebRTC — `direct` peer to peer, or `turn` through a
// TURN server. libp2p cannot tell the last two apart (a TURN-relayed WebRTC connection is
// `direct: true` with no limits), so the ICE selected candidate pair decides:
// if either side's candidate is of type `relay`, the packets go through TURN. Isomorphic: the
// RTCPeerConnection behind a WebRTC connection is node-datachannel's polyfill in Node (it has
// `selectedCandidatePair()`) or the browser's own (standard `getStats()`).
import type { Connection } from '@libp2p/interface'
import { isDirectConnection } from '../dial-peer.js'
import type { ConnectionPath } from './events.js'

/**
 * How long a TURN pair may still give way to a direct one. ICE first uses whichever pair works
 * first; through two port-restricted NATs the relay pairs answer at once while srflx↔srflx needs a
 * retransmitted check (≥ 500 ms, RFC 8445 RTO) to punch through. libjuice's controlling agent
 * nominates the best succeeded pair 2 s after it was selected (NOMINATION_TIMEOUT, agent.h), so by
 * then the pair is final. Measured in the NAT lab: eim/eim read `srflx→relay` at connect time and
 * `srflx→srflx` after the switch.
 */
export const TURN_PAIR_SETTLE_MS = 2_500
const SETTLE_POLL_MS = 100

/** ICE candidate types of the selected pair: `host`, `srflx`, `prflx` or `relay`. */
export interface CandidatePair {
  local: string
  remote: string
}

export interface ConnectionDescription {
  /** A WebRTC connection (peer to peer or through TURN), not the relay's circuit. */
  direct: boolean
  path: ConnectionPath
  candidates?: CandidatePair
}

export async function describeConnection (connection: Connection): Promise<ConnectionDescription> {
  const direct = isDirectConnection(connection)
  if (!direct) return { direct, path: 'relayed' }
  let candidates = await selectedCandidatePair(connection).catch(() => undefined)
  const deadline = Date.now() + TURN_PAIR_SETTLE_MS
  while (candidates != null && isTurn(candidates) && Date.now() < deadline && connection.status === 'open') {
    await new Promise(resolve => setTimeout(resolve, SETTLE_POLL_MS))
    candidates = await selectedCandidatePair(connection).catch(() => candidates)
  }
  return { direct, path: candidates != null && isTurn(candidates) ? 'turn' : 'direct', ...(candidates != null ? { candidates } : {}) }
}

function isTurn (pair: CandidatePair): boolean {
  return pair.local === 'relay' || pair.remote === 'relay'
}

/**
 * The selected pair of a WebRTC connection, or undefined when it is not one (or not known yet).
 * @libp2p/webrtc keeps the RTCPeerConnection on the connection's MultiaddrConnection
 * (`maConn.peerConnection`, rtcpeerconnection-to-conn.js); libp2p's Connection keeps `maConn`.
 * Neither is typed API, so every step is checked.
 */
export async function selectedCandidatePair (connection: Connection): Promise<CandidatePair | undefined> {
  const pc = (connection as unknown as { maConn?: { peerConnection?: any } }).maConn?.peerConnection
  if (pc == null) return undefined
  if (typeof pc.selectedCandidatePair === 'function') {
    const pair = pc.selectedCandidatePair()
    if (typeof pair?.local?.type === 'string' && typeof pair?.remote?.type === 'string') {
      return { local: pair.local.type, remote: pair.remote.type }
    }
  }
  if (typeof pc.getStats !== 'function') return undefined
  const stats: Map<string, any> = await pc.getStats()
  const all = [...stats.values()]
  const selectedId = all.find(r => r.type === 'transport' && r.selectedCandidatePairId != null)?.selectedCandidatePairId
  const pair = all.find(r => r.type === 'candidate-pair' && (selectedId != null ? r.id === selectedId : r.nominated === true && r.state === 'succeeded'))
  const local = pair != null ? stats.get(pair.localCandidateId)?.candidateType : undefined
  const remote = pair != null ? stats.get(pair.remoteCandidateId)?.candidateType : undefined
  return typeof local === 'string' && typeof remote === 'string' ? { local, remote } : undefined
}
