// Run inside a NAT lab namespace: asks the relay for ICE servers (/gini/ice/1), then tries to
// allocate on coturn with that credential twice — at once, and again after it expired — by gathering
// ICE candidates with `iceTransportPolicy: 'relay'` (node-datachannel, as a peer would). Prints one
// JSON line {ttlMs, fresh, expired}: the number of TURN (relay) candidates each attempt got.
// Usage: node turn-probe.js <relay multiaddr> <ms to wait past the expiry>
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { RTCPeerConnection } from 'node-datachannel/polyfill'
import ndc from 'node-datachannel'
import { iceChannel, ICE_PROTOCOL, requestIceServers, type IceServerEntry } from '../../protocols/ice/index.js'
import { forNodeDatachannel } from '../../peer/adapters/webrtc-config.js'

/** Gathering against one TURN server on a LAN-like lab takes well under this. */
const GATHER_TIMEOUT_MS = 8_000

/** After gathering reports `complete`, candidates may still be on their way from the native thread. */
const LATE_CANDIDATE_GRACE_MS = 1_000

async function relayCandidates (servers: IceServerEntry[]): Promise<number> {
  const pc = new RTCPeerConnection({ iceServers: forNodeDatachannel(servers.filter(s => s.credential != null)), iceTransportPolicy: 'relay' })
  const count = (): number => (pc as any).ext_localCandidates.filter((c: { candidate: string }) => / typ relay /.test(c.candidate)).length
  try {
    pc.createDataChannel('probe')
    await pc.setLocalDescription(await pc.createOffer())
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, GATHER_TIMEOUT_MS)
      const done = (): void => { clearTimeout(timer); resolve() }
      pc.addEventListener('icecandidate', () => { if (count() > 0) done() })
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') setTimeout(done, LATE_CANDIDATE_GRACE_MS)
      })
    })
    return count()
  } finally {
    pc.close()
  }
}

const [relayArg, waitArg] = process.argv.slice(2)
const node = await createLibp2p({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
try {
  const stream = await node.dialProtocol(multiaddr(relayArg), ICE_PROTOCOL, { signal: AbortSignal.timeout(10_000) })
  const grant = await requestIceServers(iceChannel(stream))
  const fresh = await relayCandidates(grant.servers)
  const expiry = Number(grant.servers.find(s => s.username != null)?.username?.split(':')[0] ?? 0) * 1000
  await new Promise(resolve => setTimeout(resolve, Math.max(0, expiry - Date.now()) + Number(waitArg ?? 1000)))
  const expired = await relayCandidates(grant.servers)
  console.log(JSON.stringify({ ttlMs: grant.ttlMs, username: grant.servers.find(s => s.username != null)?.username, fresh, expired }))
} finally {
  await node.stop()
  ndc.cleanup()
}
process.exit(0)
