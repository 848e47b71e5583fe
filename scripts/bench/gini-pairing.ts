// GiniConnect pairing timed like Magic Wormhole: from the moment the code is entered (accept) to
// the end-to-end encrypted channel being ready (the joiner's `connected`: a verified WebRTC
// connection to the other side) and on to both sides' `contact-added`. Two ways: as a library in
// this process (no process start), and as the `gini` CLI in fresh processes (like wormhole's CLI).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRelay } from '../../relay/index.js'
import { GiniNode, FileStorage, createPeerNode } from '../../peer/index.js'
import type { PairingEvent } from '../../peer/core/pairing/events.js'
import { JsonProcess } from '../lib/json-process.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const GINI = join(ROOT, 'bin', 'gini.js')
const GINI_RELAY = join(ROOT, 'bin', 'gini-relay.js')
/** Bound on one step of one sample. */
export const STEP_LIMIT_MS = 30_000

export interface PairingSample {
  /** accept → joiner `connected` (channel ready). */
  channel: number
  /** accept → both `contact-added`. */
  total: number
  relay: number
  cpace: number
  webrtc: number
  sync: number
  path: string
}

/** In-process: a relay and two GiniNodes in this process; fresh data dirs per sample. */
export async function benchGiniInProcess (runs: number, onSample?: (i: number, s: PairingSample) => void): Promise<PairingSample[]> {
  const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  const addr = relay.multiaddrs[0].toString()
  const samples: PairingSample[] = []
  try {
    for (let i = 0; i < runs; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'gini-bench-'))
      try {
        const [alice, bob] = await Promise.all(['alice', 'bob'].map(async (who) => {
          const node = await GiniNode.open({ storage: new FileStorage(join(dir, who)), createPeerNode })
          await node.setProfile({ name: who })
          return node
        }))
        let aliceDone = 0
        const codeShown = new Promise<string>((resolve, reject) => {
          alice.invite({
            relay: addr,
            signal: AbortSignal.timeout(STEP_LIMIT_MS * 2),
            onProgress: (e) => { if (e.event === 'flash-code') resolve(e.code) }
          }).then(() => { aliceDone = performance.now() }, reject)
        })
        const code = await codeShown
        const marks = new Map<string, number>()
        let path = 'unknown'
        const t0 = performance.now()
        await bob.accept(code, {
          relay: addr,
          signal: AbortSignal.timeout(STEP_LIMIT_MS),
          onProgress: (e: PairingEvent) => {
            if (!marks.has(e.event)) marks.set(e.event, performance.now())
            if (e.event === 'connected') path = e.path
          }
        })
        const bobDone = performance.now()
        const limit = Date.now() + STEP_LIMIT_MS
        // eslint-disable-next-line no-unmodified-loop-condition -- the creator's promise sets aliceDone
        while (aliceDone === 0 && Date.now() < limit) await new Promise(resolve => setTimeout(resolve, 1))
        const end = Math.max(bobDone, aliceDone)
        const at = (e: string): number => marks.get(e) ?? NaN
        samples.push({
          channel: at('connected') - t0,
          total: end - t0,
          relay: at('matched') - t0,
          cpace: at('verified') - at('matched'),
          webrtc: at('connected') - at('verified'),
          sync: end - at('connected'),
          path
        })
        onSample?.(i, samples[samples.length - 1])
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    }
  } finally {
    await relay.stop()
  }
  return samples
}

export interface CliSample {
  /** `gini accept` spawned → its `connected` line. */
  channel: number
  /** `gini accept` spawned → both `contact-added`. */
  total: number
  path: string
}

/** A relay process and two initialised data dirs, alice inviting and bob accepting, sample by sample. */
export interface GiniCliBench {
  /** One pairing: `gini invite` waiting, then `gini accept` spawned (the clock starts there). */
  sample(): Promise<CliSample>
  stop(): Promise<void>
}

/**
 * The CLI as a user runs it: a gini-relay process, `gini invite` waiting, then `gini accept` spawned.
 * `daemons`: both sides run `gini daemon` first, so invite and accept are thin clients of it
 * (peer/cli/daemon-link.ts) and the pairing runs in a node that is already online.
 * `gini`: another build's bin/gini.js (a baseline measured in the same run); this checkout's by default.
 */
export async function startGiniCliBench (opts: { daemons?: boolean, gini?: string } = {}): Promise<GiniCliBench> {
  const dir = await mkdtemp(join(tmpdir(), 'gini-bench-cli-'))
  const relay = new JsonProcess(process.execPath, [GINI_RELAY, '--json', '--data', join(dir, 'relay'), '--listen', '/ip4/127.0.0.1/tcp/0'])
  let daemons: JsonProcess[] = []
  const stop = async (): Promise<void> => {
    for (const d of daemons) d.kill('SIGTERM')
    await Promise.all(daemons.map(async d => await d.waitExit(10_000)))
    relay.kill('SIGTERM')
    await relay.waitExit(10_000)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const addr = (await relay.waitFor(o => o.event === 'listening', STEP_LIMIT_MS)).obj.addrs[0]
    const gini = (who: string, args: string[]): JsonProcess =>
      new JsonProcess(process.execPath, [opts.gini ?? GINI, '--data', join(dir, who), '--relay', addr, ...args, '--json'], { env: { GINI_DATA: undefined, GINI_RELAY: undefined } })
    for (const who of ['alice', 'bob']) {
      const init = gini(who, ['init', '--name', who])
      if (await init.waitExit(STEP_LIMIT_MS) !== 0) throw new Error(`gini init failed: ${init.tail()}`)
    }
    if (opts.daemons === true) {
      daemons = ['alice', 'bob'].map(who => gini(who, ['daemon']))
      await Promise.all(daemons.map(async d => await d.waitFor(o => o.event === 'listening', STEP_LIMIT_MS)))
    }
    let n = 0
    return {
      stop,
      async sample () {
        n++
        const invite = gini('alice', ['invite'])
        let accept: JsonProcess | undefined
        try {
          const code = (await invite.waitFor(o => o.event === 'flash-code', STEP_LIMIT_MS)).obj.code
          accept = gini('bob', ['accept', code])
          const added = (p: JsonProcess): Promise<unknown> => p.waitFor(o => o.event === 'contact-added', STEP_LIMIT_MS)
          await Promise.all([added(accept), added(invite)]).catch(() => {})
          const at = (p: JsonProcess, e: string): number => p.lines.find(l => l.obj.event === e)?.at ?? NaN
          const total = Math.max(at(accept, 'contact-added'), at(invite, 'contact-added')) - accept.startedAt
          if (!Number.isFinite(total)) throw new Error(`gini CLI pairing ${n} failed: ${accept.tail()} / ${invite.tail()}`)
          // Both processes are gone before the next sample starts, so nothing overlaps its clock.
          await Promise.all([invite.waitExit(STEP_LIMIT_MS), accept.waitExit(STEP_LIMIT_MS)])
          return {
            channel: at(accept, 'connected') - accept.startedAt,
            total,
            path: accept.lines.find(l => l.obj.event === 'connected')?.obj.path ?? 'unknown'
          }
        } catch (err) {
          invite.kill()
          accept?.kill()
          throw err
        }
      }
    }
  } catch (err) {
    await stop()
    throw err
  }
}

/** `runs` CLI pairings in a row (startGiniCliBench). */
export async function benchGiniCli (runs: number, onSample?: (i: number, s: CliSample) => void, opts: { daemons?: boolean } = {}): Promise<CliSample[]> {
  const bench = await startGiniCliBench(opts)
  const samples: CliSample[] = []
  try {
    for (let i = 0; i < runs; i++) {
      samples.push(await bench.sample())
      onSample?.(i, samples[samples.length - 1])
    }
  } finally {
    await bench.stop()
  }
  return samples
}

/** Start-up of a bare program run (`node -e 0`, `wormhole --version`): what process start alone costs. */
export async function startupMs (command: string, args: string[], runs: number): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < runs; i++) {
    const p = new JsonProcess(command, args)
    await p.waitExit(STEP_LIMIT_MS)
    out.push(performance.now() - p.startedAt)
  }
  return out
}
