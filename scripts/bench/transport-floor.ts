// The raw floor under `/gini/files/1` over the direct TCP link (docs/protocol.md §17.6): two Node
// processes, each with the peer's own libp2p node (peer/adapters/peer-libp2p.ts: TCP, Noise, Yamux
// as the daemon builds them), one pushing `mib` MiB over one stream as 512 KiB Uint8Arrays (the
// chunk size, §17.2), no framing, no hashing, no disk. The CPU both processes use per transfer and
// the receiver's rate tell how much of bench-files' cost is the transport and how much is ours.
// Used by scripts/bench-files.ts; run as a child by itself (`--role receiver|sender`).
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'
import type { Stream } from '@libp2p/interface'
import { createPeerNode } from '../../peer/adapters/peer-libp2p.js'
import { directTcpAddrsOf } from '../../peer/core/peer-node.js'
import { JsonProcess } from '../lib/json-process.js'

const PROTOCOL = '/gini-bench/floor/1'
const PIECE_BYTES = 512 * 1024
const MIB = 1024 * 1024

export interface FloorSample {
  mibPerSecond: number
  /** CPU seconds of both processes during the transfer (user + system). */
  cpuSeconds: number
}

const cpuNow = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6 }
const print = (obj: unknown): void => { process.stdout.write(JSON.stringify(obj) + '\n') }

/** Receiver: prints its address, then per stream the bytes, the time from open to end, and its CPU. */
async function receiver (): Promise<void> {
  const node = await createPeerNode({ directTcp: true })
  await node.handle(PROTOCOL, (stream: Stream) => {
    void (async () => {
      const t0 = performance.now()
      const c0 = cpuNow()
      let bytes = 0
      for await (const piece of stream) bytes += piece.byteLength
      const ms = performance.now() - t0
      const cpu = cpuNow() - c0
      await stream.close().catch(() => {})
      print({ event: 'received', bytes, ms, cpu })
    })()
  }, { maxInboundStreams: 4 })
  const addr = directTcpAddrsOf(node).find(a => a.toString().includes('/ip4/127.0.0.1/'))
  print({ event: 'listening', addr: addr?.toString() }) // the parent kills it when done
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { process.exit(0) }) // exits cleanly (a --cpu-prof run writes its profile)
}

/** Sender: dials, then `runs` times opens a stream, writes `mib` MiB and closes it; prints its CPU per run. */
async function sender (addr: string, mib: number, runs: number): Promise<void> {
  const node = await createPeerNode({})
  const conn = await node.dial(multiaddr(addr), { signal: AbortSignal.timeout(20_000) })
  const piece = new Uint8Array(PIECE_BYTES).fill(7)
  const pieces = Math.ceil(mib * MIB / PIECE_BYTES)
  for (let r = 0; r < runs; r++) {
    const c0 = cpuNow()
    const stream = await conn.newStream(PROTOCOL, { signal: AbortSignal.timeout(20_000) })
    for (let i = 0; i < pieces; i++) {
      if (!stream.send(piece)) await stream.onDrain({ signal: AbortSignal.timeout(30_000) })
    }
    await stream.close({ signal: AbortSignal.timeout(30_000) })
    // The receiver closes its side once it has every byte: wait for it, so the CPU is the whole transfer's.
    let back = 0
    for await (const piece of stream) back += piece.byteLength // nothing comes back
    if (back !== 0) throw new Error(`the floor receiver sent ${back} bytes`)
    print({ event: 'sent', cpu: cpuNow() - c0 })
  }
  await node.stop()
  process.exit(0)
}

/** `runs` transfers of `mib` MiB between two fresh processes; each sample sums both processes' CPU. */
export async function benchTransportFloor (mib: number, runs: number, limitMs: number): Promise<FloorSample[]> {
  const self = fileURLToPath(import.meta.url)
  const rx = new JsonProcess(process.execPath, [self, '--role', 'receiver'])
  try {
    const listening = await rx.waitFor(o => o.event === 'listening', 30_000)
    const addr: string | undefined = listening.obj.addr
    if (addr == null) throw new Error('the floor receiver has no loopback TCP address')
    const tx = new JsonProcess(process.execPath, [self, '--role', 'sender', '--addr', addr, '--mib', String(mib), '--runs', String(runs)])
    try {
      const out: FloorSample[] = []
      for (let r = 0; r < runs; r++) {
        const nth = (p: JsonProcess, event: string): any => p.lines.filter(l => l.obj.event === event)[r]?.obj
        await rx.waitFor(() => nth(rx, 'received') != null, limitMs)
        await tx.waitFor(() => nth(tx, 'sent') != null, limitMs)
        const [got, sent] = [{ obj: nth(rx, 'received') }, { obj: nth(tx, 'sent') }]
        if (got.obj.bytes !== Math.ceil(mib * MIB / PIECE_BYTES) * PIECE_BYTES) throw new Error(`the floor receiver got ${String(got.obj.bytes)} bytes`)
        out.push({ mibPerSecond: got.obj.bytes / MIB / (got.obj.ms / 1000), cpuSeconds: got.obj.cpu + sent.obj.cpu })
      }
      await tx.waitExit(30_000)
      return out
    } finally {
      tx.kill('SIGKILL')
    }
  } finally {
    rx.kill('SIGKILL')
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      addr: { type: 'string' },
      mib: { type: 'string', default: '100' },
      runs: { type: 'string', default: '3' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  if (values.help === true) {
    console.log(`Usage: node dist/scripts/bench/transport-floor.js [--mib N] [--runs N]
  Two processes, the peer's libp2p node each (TCP, Noise, Yamux), N MiB over one stream as 512 KiB
  pieces, no framing; prints MiB/s and the CPU seconds of both processes per run. bench-files runs it.`)
    process.exit(0)
  } else if (values.role == null) {
    const mib = Math.min(1024, Math.max(1, Number(values.mib)))
    const runs = Math.min(20, Math.max(1, Number(values.runs)))
    for (const s of await benchTransportFloor(mib, runs, 30_000 + mib * 1_000)) console.log(`${s.mibPerSecond.toFixed(1)} MiB/s, CPU ${s.cpuSeconds.toFixed(2)} s`)
    process.exit(0)
  } else if (values.role === 'receiver') {
    await receiver()
  } else {
    await sender(values.addr ?? '', Number(values.mib), Number(values.runs))
  }
}
