// Magic Wormhole on the same work as GiniConnect, with Debian's packages only: a local mailbox
// server (`twist3 wormhole-mailbox`), a local transit relay (`twist3 transitrelay`), the Python
// client `wormhole` and the Go client `wormhole-william`. Everything listens on 127.0.0.1 (or inside
// the bench's own namespace): no public server is ever contacted.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { JsonProcess } from '../lib/json-process.js'

/** Bound on one wormhole step (start-up, a transfer of 10 MiB on loopback). */
export const WORMHOLE_STEP_TIMEOUT_MS = 30_000

export type WormholeImpl = 'go' | 'python'
export const WORMHOLE_BIN: Record<WormholeImpl, string> = { go: 'wormhole-william', python: 'wormhole' }

export interface WormholeServers {
  mailboxUrl: string
  /** `tcp:127.0.0.1:<port>` of the transit relay. */
  transitHelper: string
  stop(): void
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => { resolve(port) })
    })
    srv.on('error', reject)
  })
}

/**
 * Mailbox and transit relay on 127.0.0.1. Inside the bench namespace the transit relay takes
 * port 4001, where wormhole-william's hard-coded transit.magic-wormhole.io:4001 then points.
 */
export async function startWormholeServers (opts: { netns?: string } = {}): Promise<WormholeServers> {
  const mailboxPort = opts.netns != null ? 4000 : await freePort()
  const transitPort = opts.netns != null ? 4001 : await freePort()
  const mailbox = new JsonProcess('twist3', ['wormhole-mailbox', `--port=tcp:${mailboxPort}:interface=127.0.0.1`], { netns: opts.netns })
  const transit = new JsonProcess('twist3', ['transitrelay', `--port=tcp:${transitPort}:interface=127.0.0.1`], { netns: opts.netns })
  const stop = (): void => { mailbox.kill('SIGTERM'); transit.kill('SIGTERM') }
  try {
    await Promise.all([mailbox.waitForText(/starting on/, WORMHOLE_STEP_TIMEOUT_MS), transit.waitForText(/starting on/, WORMHOLE_STEP_TIMEOUT_MS)])
  } catch (err) {
    stop()
    throw err
  }
  return { mailboxUrl: `ws://127.0.0.1:${mailboxPort}/v1`, transitHelper: `tcp:127.0.0.1:${transitPort}`, stop }
}

/**
 * "Code entered → both sides done" for a short text (bench-pair.ts's measurement): the sender waits
 * with a fixed code, the clock starts when the receiver is spawned and stops when both exited. It
 * includes the receiver's process start, the PAKE, the encrypted message and both exits.
 */
export async function benchWormholeText (impl: WormholeImpl, mailboxUrl: string, runs: number, onSample?: (i: number, ms: number) => void): Promise<number[]> {
  const bin = WORMHOLE_BIN[impl]
  const send = (code: string): string[] => impl === 'go'
    ? ['--relay-url', mailboxUrl, 'send', '--code', code, '--text', 'hello']
    : ['--relay-url', mailboxUrl, 'send', '--code', code, '--text', 'hello']
  const recv = (code: string): string[] => impl === 'go'
    ? ['--relay-url', mailboxUrl, 'recv', code]
    : ['--relay-url', mailboxUrl, 'receive', code]
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const code = `${i + 2}-guitarist-revenge`
    const sender = new JsonProcess(bin, send(code))
    try {
      await sender.waitForText(/Wormhole code is/, WORMHOLE_STEP_TIMEOUT_MS)
      const t0 = performance.now()
      const receiver = new JsonProcess(bin, recv(code))
      const [r, s] = await Promise.all([receiver.waitExit(WORMHOLE_STEP_TIMEOUT_MS), sender.waitExit(WORMHOLE_STEP_TIMEOUT_MS)])
      if (r !== 0 || s !== 0) throw new Error(`${bin} text run ${i + 1} failed (receiver ${String(r)}, sender ${String(s)}): ${receiver.tail()}`)
      samples.push(performance.now() - t0)
      onSample?.(i, samples[samples.length - 1])
    } finally {
      sender.kill()
    }
  }
  return samples
}

export interface WormholeTransferOptions {
  impl: WormholeImpl
  servers: WormholeServers
  /** Run both clients inside this namespace (direct transit between its veth addresses). */
  netns?: string
  /** Both sides `--no-listen` (Python only): everything goes through the transit relay. */
  relayOnly?: boolean
  file: string
  runs: number
  /** Bound on one send or receive (default WORMHOLE_STEP_TIMEOUT_MS; more for a 100 MiB file). */
  stepTimeoutMs?: number
}

export interface WormholeTransferSample {
  /** Receiver spawned → exited with the whole file. */
  wallMs: number
  /** Python only: the receiver's own `rx file` span from `--dump-timing` (first to last byte). */
  rxMs?: number
}

/**
 * Receiver wall time (spawned → exited, file complete) for one file, `runs` times. The Go client
 * has no timing output, so its rate comes from two series (a large and a 1-byte file): the
 * difference of their medians is the time the bytes took, the rest (start-up, PAKE, transit set-up)
 * cancels out. The Python client reports its own `rx file` span (`--dump-timing`).
 */
export async function benchWormholeTransfer (opts: WormholeTransferOptions): Promise<WormholeTransferSample[]> {
  const { impl, servers } = opts
  const bin = WORMHOLE_BIN[impl]
  const size = (await stat(opts.file)).size
  const stepMs = opts.stepTimeoutMs ?? WORMHOLE_STEP_TIMEOUT_MS
  const samples: WormholeTransferSample[] = []
  for (let i = 0; i < opts.runs; i++) {
    const code = `${i + 2}-bench-transfer`
    const out = await mkdtemp(join(tmpdir(), 'gini-bench-wh-'))
    const listen = opts.relayOnly === true ? ['--no-listen'] : []
    const sendArgs = impl === 'go'
      ? ['--relay-url', servers.mailboxUrl, 'send', '--code', code, '--hide-progress', opts.file]
      : ['--relay-url', servers.mailboxUrl, '--transit-helper', servers.transitHelper, 'send', ...listen, '--code', code, '--hide-progress', opts.file]
    const recvArgs = impl === 'go'
      ? ['--relay-url', servers.mailboxUrl, 'recv', '--hide-progress', code]
      : ['--relay-url', servers.mailboxUrl, '--transit-helper', servers.transitHelper, '--dump-timing', join(out, 'timing.json'), 'receive', ...listen, '--accept-file', '--hide-progress', '-o', join(out, 'received'), code]
    const sender = new JsonProcess(bin, sendArgs, { netns: opts.netns })
    try {
      await sender.waitForText(/Wormhole code is/, WORMHOLE_STEP_TIMEOUT_MS)
      const t0 = performance.now()
      // wormhole-william asks "ok? (y/N)" before it writes into its working directory.
      const receiver = new JsonProcess(bin, recvArgs, { netns: opts.netns, cwd: out, stdin: impl === 'go' ? 'y\n' : undefined })
      const code = await receiver.waitExit(stepMs)
      const ms = performance.now() - t0
      await sender.waitExit(stepMs)
      const got = await stat(join(out, impl === 'go' ? fileName(opts.file) : 'received')).then(s => s.size, () => -1)
      if (code !== 0 || got !== size) throw new Error(`${bin} transfer run ${i + 1} failed (exit ${String(code)}, ${got}/${size} bytes): ${receiver.tail()} ${sender.tail()}`)
      samples.push({ wallMs: ms, ...(impl === 'python' ? { rxMs: await rxFileMs(join(out, 'timing.json')) } : {}) })
    } finally {
      sender.kill()
      await rm(out, { recursive: true, force: true })
    }
  }
  return samples
}

/** The `rx file` span of a Python `--dump-timing` file, in ms (NaN when absent). */
async function rxFileMs (file: string): Promise<number> {
  try {
    const events: Array<{ name: string, start: number, stop: number | null }> = JSON.parse(await readFile(file, 'utf8'))
    const rx = events.find(e => e.name === 'rx file')
    return rx?.stop != null ? (rx.stop - rx.start) * 1000 : NaN
  } catch {
    return NaN
  }
}

function fileName (path: string): string {
  return path.split('/').pop()!
}
