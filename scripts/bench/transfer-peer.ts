// One side of the 10 MiB transfer benchmark, as its own process (scripts/bench/transfer.ts starts
// two). It runs the product's Node peer stack (createPeerNode: the same libp2p/WebRTC configuration
// and DTLS-role patch as a pairing) and connects the way a pairing does (connectToVerifiedPeer: the
// /p2p-circuit/webrtc upgrade through the relay). The payload goes over a bench-only stream
// protocol on that direct WebRTC connection — it exists only in this script, not in the product.
//   listen <relay multiaddr> <transfers>                 → {"event":"ready","peerId","addrs"}, then one
//                                                          {"event":"received","bytes","cpuMs"} per transfer
//   dial <relay multiaddr> <peerId> <addr> <bytes> <transfers> → one {"event":"result","ms","bytes","path","cpuMs"}
//                                                          per transfer, each on a new stream of one connection
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Stream } from '@libp2p/interface'
import type { Libp2p } from 'libp2p'
import { createPeerNode, releaseWebRtc } from '../../peer/index.js'
import { connectToVerifiedPeer, WEBRTC_ATTEMPT_TIMEOUTS_MS } from '../../peer/core/dial-peer.js'
import { describeConnection } from '../../peer/core/pairing/connection-path.js'

export const BENCH_TRANSFER_PROTOCOL = '/gini-bench/transfer/1'
const CHUNK_BYTES = 64 * 1024
/** Bound on the whole run of this process. */
const PROCESS_LIMIT_MS = 120_000
const RESERVATION_LIMIT_MS = 10_000

const [role, relayArg, ...rest] = process.argv.slice(2)
const limit = setTimeout(() => { process.exit(3) }, PROCESS_LIMIT_MS)
limit.unref()
const print = (obj: unknown): void => { process.stdout.write(JSON.stringify(obj) + '\n') }

async function circuitAddrs (node: Libp2p, relay: Multiaddr): Promise<Multiaddr[]> {
  const conn = await node.dial(relay, { signal: AbortSignal.timeout(RESERVATION_LIMIT_MS) })
  const deadline = Date.now() + RESERVATION_LIMIT_MS
  while (Date.now() < deadline) {
    const addrs = node.getMultiaddrs().filter(ma => ma.toString().includes(`${conn.remotePeer.toString()}/p2p-circuit`))
    if (addrs.some(ma => ma.toString().includes('/webrtc'))) return addrs
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  throw new Error('no circuit reservation')
}

async function drain (stream: Stream): Promise<number> {
  let bytes = 0
  for await (const chunk of stream) bytes += chunk.byteLength
  return bytes
}

const node = await createPeerNode()
try {
  const relay = multiaddr(relayArg)
  if (role === 'listen') {
    let left = Math.max(1, Number(rest[0] ?? 1))
    let done: () => void = () => {}
    const finished = new Promise<void>(resolve => { done = resolve })
    await node.handle(BENCH_TRANSFER_PROTOCOL, async (stream) => {
      const cpu0 = process.cpuUsage()
      const bytes = await drain(stream)
      const cpu = process.cpuUsage(cpu0)
      stream.send(new Uint8Array([1]))
      await stream.close()
      print({ event: 'received', bytes, cpuMs: (cpu.user + cpu.system) / 1000 })
      if (--left === 0) done()
    })
    const addrs = await circuitAddrs(node, relay)
    print({ event: 'ready', peerId: node.peerId.toString(), addrs: addrs.map(a => a.toString()) })
    await finished
    await new Promise(resolve => setTimeout(resolve, 500)) // let the ack leave before the node stops
  } else {
    const [peer, addr, size, transfers] = rest
    await circuitAddrs(node, relay)
    const connected = await connectToVerifiedPeer(node, { peerId: peerIdFromString(peer), multiaddrs: [multiaddr(addr)] }, { attemptTimeoutsMs: WEBRTC_ATTEMPT_TIMEOUTS_MS })
    if (connected?.direct !== true) throw new Error('no direct WebRTC connection')
    const { path } = await describeConnection(connected.connection)
    const total = Number(size)
    const chunk = new Uint8Array(CHUNK_BYTES).fill(7)
    for (let n = Math.max(1, Number(transfers ?? 1)); n > 0; n--) {
      const stream = await connected.connection.newStream(BENCH_TRANSFER_PROTOCOL, { signal: AbortSignal.timeout(PROCESS_LIMIT_MS) })
      const t0 = performance.now()
      const cpu0 = process.cpuUsage()
      for (let sent = 0; sent < total; sent += CHUNK_BYTES) {
        const piece = total - sent >= CHUNK_BYTES ? chunk : chunk.subarray(0, total - sent)
        if (!stream.send(piece)) await stream.onDrain({ signal: AbortSignal.timeout(PROCESS_LIMIT_MS) })
      }
      await stream.close()
      const ack = await drain(stream)
      const ms = performance.now() - t0
      const cpu = process.cpuUsage(cpu0)
      if (ack !== 1) throw new Error('no acknowledgement')
      print({ event: 'result', ms, bytes: total, path, cpuMs: (cpu.user + cpu.system) / 1000 })
    }
  }
} catch (err: any) {
  print({ event: 'error', message: err?.message ?? String(err) })
  process.exitCode = 1
} finally {
  for (const c of node.getConnections()) c.abort(new Error('bench over'))
  await Promise.resolve(node.stop()).catch(() => {})
  await releaseWebRtc().catch(() => {})
}
process.exit(process.exitCode ?? 0)
