// 10 MiB over GiniConnect's direct WebRTC connection: a gini-relay process and two peer processes
// (transfer-peer.ts) on loopback, or all three inside the bench namespace next to the wormhole
// clients. One connection per run of the benchmark; each sample is a new stream on it.
import { join } from 'node:path'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { JsonProcess } from '../lib/json-process.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const GINI_RELAY = join(ROOT, 'bin', 'gini-relay.js')
const PEER = fileURLToPath(new URL('./transfer-peer.js', import.meta.url))
/** Bound on one sample: start-up, reservation, upgrade and 10 MiB. */
const SAMPLE_LIMIT_MS = 90_000

export interface TransferSample {
  ms: number
  bytes: number
  path: string
  /** CPU time of the sending and the receiving process during the transfer (JS thread and native threads). */
  senderCpuMs: number
  receiverCpuMs: number
}

export async function benchGiniTransfer (bytes: number, runs: number, opts: { netns?: string, onSample?: (i: number, s: TransferSample) => void } = {}): Promise<TransferSample[]> {
  const dir = await mkdtemp(join(tmpdir(), 'gini-bench-xfer-'))
  const listenAddr = opts.netns != null ? '/ip4/10.99.0.1/tcp/0' : '/ip4/127.0.0.1/tcp/0'
  const relay = new JsonProcess(process.execPath, [GINI_RELAY, '--json', '--data', join(dir, 'relay'), '--listen', listenAddr], { netns: opts.netns })
  const samples: TransferSample[] = []
  try {
    const relayAddr = (await relay.waitFor(o => o.event === 'listening', SAMPLE_LIMIT_MS)).obj.addrs[0]
    // One connection, `runs` transfers on fresh streams: the rate of an established connection.
    const listener = new JsonProcess(process.execPath, [PEER, 'listen', relayAddr, String(runs)], { netns: opts.netns })
    let dialer: JsonProcess | undefined
    try {
      const ready = (await listener.waitFor(o => o.event === 'ready', SAMPLE_LIMIT_MS)).obj
      const webrtc = ready.addrs.find((a: string) => a.includes('/webrtc'))
      dialer = new JsonProcess(process.execPath, [PEER, 'dial', relayAddr, ready.peerId, webrtc, String(bytes), String(runs)], { netns: opts.netns })
      for (let i = 0; i < runs; i++) {
        const nth = async (p: JsonProcess, event: string): Promise<any> => {
          const all = (): any[] => p.lines.map(l => l.obj).filter(o => o.event === event || o.event === 'error')
          await p.waitFor(() => all().length > i || all().some(o => o.event === 'error'), SAMPLE_LIMIT_MS)
          const hit = all().find(o => o.event === 'error') ?? all()[i]
          if (hit.event === 'error') throw new Error(`transfer failed: ${String(hit.message)}`)
          return hit
        }
        const result = await nth(dialer, 'result')
        const received = await nth(listener, 'received').catch(() => undefined)
        samples.push({ ms: result.ms, bytes: result.bytes, path: result.path, senderCpuMs: result.cpuMs, receiverCpuMs: received?.cpuMs ?? NaN })
        opts.onSample?.(i, samples[samples.length - 1])
      }
      await Promise.all([dialer.waitExit(10_000), listener.waitExit(10_000)])
    } finally {
      listener.kill()
      dialer?.kill()
    }
  } finally {
    relay.kill('SIGTERM')
    await relay.waitExit(10_000)
    await rm(dir, { recursive: true, force: true })
  }
  return samples
}
