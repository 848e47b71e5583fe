// Shared by the CRP relay tests (unit and integration): raw /gini/crp/1 clients, a CrpRelay on
// in-memory stream pairs with a fake clock and a real SQLite store in a temp dir, and the steps of
// an honest run. The relay is never mocked; the peers are plain frame writers.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { streamPair } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { PeerLeftError, type FrameChannel } from '../../protocols/common/index.js'
import {
  crpChannel, CRP_PROTOCOL, CrpRelay, type CrpOutcome, type CrpRelayInit, type CrpRemote, type CrpRole,
  CrpMessage, type Sealed
} from '../../protocols/crp/index.js'
import {
  CRP_CLOSE_GRACE_MS, CRP_FIRST_FRAME_TIMEOUT_MS, CRP_FRAME_TIMEOUT_MS, CRP_PARKED_MAX_BYTES, CRP_SWEEP_INTERVAL_MS, CRP_WRITE_TIMEOUT_MS
} from '../../relay/constants.js'
import { SqliteRestoreStore } from '../../relay/restore-store.js'
import { FakeClock } from './fake-clock.js'
import { Cleanup, WAIT_MS, bytes, clientNode } from './relay-clients.js'
import type { Relay } from '../../relay/index.js'
import type { Libp2p } from 'libp2p'
import type { Stream } from '@libp2p/interface'

export type Crp = FrameChannel<CrpMessage>

export const ROLE = { A: new Uint8Array([0x41]), B: new Uint8Array([0x42]) } as const

/** A 32-byte token nobody else in this process uses. */
export function freshToken (): Uint8Array<ArrayBuffer> {
  return bytes(32)
}

/** A random sealed blob the size of a parked PeerInfo (the relay never opens it). */
export function sealed (ciphertextBytes = 114): Sealed {
  return { nonce: bytes(24), ciphertext: bytes(ciphertextBytes) }
}

export async function tempDir (cleanup: Cleanup, prefix = 'gini-crp-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  cleanup.add(async () => { await rm(dir, { recursive: true, force: true }) })
  return dir
}

export async function next (ch: Crp, ms = WAIT_MS): Promise<CrpMessage> {
  return await ch.read({ signal: AbortSignal.timeout(ms) })
}

/** Names the frame's body, for readable failures. */
export function kind (msg: CrpMessage): string {
  return Object.keys(msg).filter(k => (msg as any)[k] != null).join(',') || '(empty)'
}

export async function expectError (ch: Crp, code: string, ms = WAIT_MS): Promise<CrpMessage> {
  const msg = await next(ch, ms)
  expect(msg.error?.code, `expected Error{${code}}, got ${kind(msg)} ${msg.error?.code ?? ''}`).to.equal(code)
  return msg
}

/** The relay closed the stream: the next read ends (EOF or reset), not a frame or a timeout. */
export async function expectEnd (ch: Crp, ms = WAIT_MS): Promise<void> {
  let msg: CrpMessage | undefined
  try {
    msg = await next(ch, ms)
  } catch (err) {
    expect(err, 'expected the relay to close the stream').to.be.instanceOf(PeerLeftError)
    return
  }
  expect.fail(`expected the stream to end, got a frame ${kind(msg)}`)
}

export async function expectErrorThenEnd (ch: Crp, code: string): Promise<void> {
  await expectError(ch, code)
  await expectEnd(ch)
}

/** Nothing arrives within `ms` (real time): the stream is open and silent. */
export async function expectSilence (ch: Crp, ms = 150): Promise<void> {
  try {
    const msg = await next(ch, ms)
    expect.fail(`expected silence, got ${kind(msg)}`)
  } catch (err: any) {
    expect(err?.name, `expected silence, got ${String(err)}`).to.equal('TimeoutError')
  }
}

/** Register and read the relay's first answer, which must be `Registered`. */
export async function register (ch: Crp, token: Uint8Array<ArrayBuffer>, role: CrpRole, parked?: Sealed): Promise<NonNullable<CrpMessage['registered']>> {
  await ch.write({ register: { token, role: ROLE[role].slice(), parked } })
  const msg = await next(ch)
  expect(msg.registered, `expected Registered, got ${kind(msg)} ${msg.error?.code ?? ''}`).to.not.equal(undefined)
  return msg.registered!
}

export async function expectMatched (...chs: Crp[]): Promise<void> {
  for (const ch of chs) {
    const msg = await next(ch)
    expect(msg.matched, `expected Matched, got ${kind(msg)} ${msg.error?.code ?? ''}`).to.not.equal(undefined)
  }
}

/** One side sends `msg`; the other must receive it unchanged. */
export async function relayed (from: Crp, to: Crp, msg: CrpMessage): Promise<void> {
  await from.write(msg)
  expect(await next(to)).to.deep.equal(msg)
}

/** Challenges, proofs, offer, answer: the relayed part of an honest run (§9.4). */
export async function exchange (a: Crp, b: Crp): Promise<void> {
  await relayed(a, b, { challenge: { nonce: bytes(32) } })
  await relayed(b, a, { challenge: { nonce: bytes(32) } })
  await relayed(a, b, { proof: { mac: bytes(32) } })
  await relayed(b, a, { proof: { mac: bytes(32) } })
  await relayed(a, b, { offer: sealed() })
  await relayed(b, a, { answer: sealed() })
}

/** Unsigned LEB128, for hand-made frames. */
export function varint (n: number): Uint8Array {
  const out: number[] = []
  while (n >= 0x80) { out.push((n & 0x7f) | 0x80); n = Math.floor(n / 128) }
  out.push(n)
  return new Uint8Array(out)
}

// ---- the pure relay on stream pairs --------------------------------------------------------------

export interface Harness {
  relay: CrpRelay
  store: SqliteRestoreStore
  clock: FakeClock
  dir: string
  outcomes: CrpOutcome[]
  connect: (remote?: Partial<CrpRemote>) => Promise<Crp>
  /** The relay's end of a stream from `connect`: its state changes at once when the relay acts. */
  relayEnd: (ch: Crp) => Stream
}

/** A started CrpRelay over a real SQLite store in a temp dir, with a fake clock. */
export async function harness (cleanup: Cleanup, init: Partial<CrpRelayInit> = {}, reuse?: { dir: string, clock: FakeClock }): Promise<Harness> {
  const dir = reuse?.dir ?? await tempDir(cleanup)
  const clock = reuse?.clock ?? new FakeClock()
  const store = SqliteRestoreStore.open(join(dir, 'restore.sqlite'))
  cleanup.add(() => { store.close() })
  const outcomes: CrpOutcome[] = []
  const relay = new CrpRelay({
    store,
    clock,
    sweepIntervalMs: CRP_SWEEP_INTERVAL_MS,
    firstFrameTimeoutMs: CRP_FIRST_FRAME_TIMEOUT_MS,
    frameTimeoutMs: CRP_FRAME_TIMEOUT_MS,
    writeTimeoutMs: CRP_WRITE_TIMEOUT_MS,
    closeGraceMs: CRP_CLOSE_GRACE_MS,
    maxParkedBytes: CRP_PARKED_MAX_BYTES,
    onOutcome: (o) => outcomes.push(o),
    ...init
  })
  cleanup.add(async () => { await relay.close() })
  relay.start()
  await relay.sweep()
  let n = 0
  const ends = new WeakMap<Crp, Stream>()
  const connect = async (remote: Partial<CrpRemote> = {}): Promise<Crp> => {
    const [client, server] = await streamPair()
    cleanup.add(() => { client.abort(new Error('test over')) })
    void relay.handle(crpChannel(server), { peer: `peer-${n++}`, ip: '192.0.2.1', ...remote })
    const ch = crpChannel(client)
    ends.set(ch, server)
    return ch
  }
  return { relay, store, clock, dir, outcomes, connect, relayEnd: (ch) => ends.get(ch)! }
}

// ---- a real relay over loopback ------------------------------------------------------------------

/** Opens /gini/crp/1 on the relay from `node` (a fresh client, i.e. a fresh run identity, when omitted). */
export async function openCrp (cleanup: Cleanup, relayAddr: Relay | string, node?: Libp2p): Promise<Crp> {
  const n = node ?? await clientNode(cleanup)
  const addr = typeof relayAddr === 'string'
    ? multiaddr(relayAddr)
    : relayAddr.multiaddrs.find(ma => !ma.toString().includes('/ws')) ?? relayAddr.multiaddrs[0]
  const stream = await n.dialProtocol(addr, CRP_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
  cleanup.add(() => { stream.abort(new Error('test over')) })
  return crpChannel(stream)
}
