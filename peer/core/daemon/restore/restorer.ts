// The Connection Restore Protocol per contact (docs/protocol.md §9.4): while a contact is
// `unreachable`, one restore run per interval of the schedule (schedule.ts), each with a fresh
// identity (restore-run.ts). Three runs in a row ending in INCORRECT_SHARED_SECRET make the contact
// show "restore keeps failing", but the schedule never stops for it (a hostile relay must not be
// able to force a re-pairing). At the end of the schedule (day 365) the contact is `expired`.
import type { Multiaddr } from '@multiformats/multiaddr'
import { crpRole, fromHex, sodium, type X25519KeyPair } from '../../../../protocols/crypto/index.js'
import type { Clock } from '../../../../protocols/common/index.js'
import { ScheduledRunner, type Schedule } from '../schedule.js'
import { RestoreRun, type RestoreRunContext } from './restore-run.js'
import { RESTORE_FAILURES_BEFORE_WARNING } from '../reachability.js'
import type { ContactBook } from '../../contact-book.js'
import type { Sessions } from '../sessions.js'
import type { CreatePeerNode, PeerNodeOptions } from '../../peer-node.js'
import type { DaemonEventListener } from '../events.js'
import type { CrpRecord } from '../../storage.js'

export interface RestorerInit {
  /** The configured relay: where the CRP registers when fewer than two relays are remembered (§22.4). */
  relay: Multiaddr
  /** The relays remembered from the last list of two or more (§22.2): each token's two homes come from them (§22.4). */
  knownRelays?: () => Promise<Multiaddr[]>
  createPeerNode: CreatePeerNode
  webrtc?: Pick<PeerNodeOptions, 'iceServers' | 'iceTransportPolicy'>
  book: ContactBook
  sessions: Sessions
  ppk: X25519KeyPair
  clock: Clock
  schedule: Schedule
  emit: DaemonEventListener
  attemptTimeoutsMs: number[]
  random?: () => number
  randomBytes?: (n: number) => Uint8Array
  /** The schedule reached its end for this contact. */
  onExpired: (id: string) => void
  /** The contact's restore status changed ("restore failed" / "keeps failing"). */
  onRestoreStatus: (id: string) => void
  /** Chat streams arriving on a restored connection. */
  chatInbound?: RestoreRunContext['chatInbound']
  filesInbound?: RestoreRunContext['filesInbound']
}

export class Restorer {
  private readonly init: RestorerInit
  private readonly contacts = new Map<string, ContactRestore>()
  /** Retired runs whose identity still carries a restored connection (stopped with the daemon). */
  private readonly carriers = new Set<RestoreRun>()
  private readonly stopping = new AbortController()

  constructor (init: RestorerInit) {
    this.init = init
  }

  isRunning (id: string): boolean {
    return this.contacts.has(id)
  }

  /** The planned next run (wall-clock ms), if a CRP runs for this contact. */
  nextRunAtMs (id: string): number | undefined {
    return this.contacts.get(id)?.nextRunAtMs
  }

  /** Starts (or resumes, with its stored age) the CRP for a contact that turned unreachable. */
  async start (id: string): Promise<void> {
    if (this.contacts.has(id) || this.stopping.signal.aborted) return
    const now = this.init.clock.now()
    const record = await this.init.book.update(id, (c) => {
      if (c.crp != null) return false
      c.crp = { startedAtMs: now, incorrectInRow: 0 }
    })
    if (record?.crp == null || this.contacts.has(id)) return
    const keep = (run: RestoreRun): void => { if (run.alive) this.carriers.add(run) }
    const cr = new ContactRestore(this.init, id, crpRole(this.init.ppk.publicKey, fromHex(record.ppk)), record.crp, this.stopping.signal, keep)
    this.contacts.set(id, cr)
    this.init.emit({ event: 'crp', id, step: 'started' })
    cr.start()
  }

  /** The contact is online again (any path): `Done` on every CRP stream, no more runs. */
  async succeeded (id: string): Promise<void> {
    const cr = this.contacts.get(id)
    if (cr == null) return
    this.contacts.delete(id)
    await cr.succeeded()
  }

  /** The contact needs no CRP any more (expired, removed): runs end without `Done`. */
  async stop (id: string): Promise<void> {
    const cr = this.contacts.get(id)
    if (cr == null) return
    this.contacts.delete(id)
    await cr.stop(false)
  }

  /** The daemon stops: every run identity goes, also those carrying a restored connection. */
  async stopAll (): Promise<void> {
    this.stopping.abort(new Error('daemon stopping'))
    const all = [...this.contacts.values()]
    this.contacts.clear()
    await Promise.all(all.map(async cr => { await cr.stop(true) }))
    const carriers = [...this.carriers]
    this.carriers.clear()
    await Promise.all(carriers.map(async r => { await r.stopNode() }))
  }
}

/** The CRP of one contact: its schedule and its runs. */
class ContactRestore {
  private readonly init: RestorerInit
  private readonly id: string
  private readonly runner: ScheduledRunner
  private readonly ctx: RestoreRunContext
  private current?: RestoreRun
  private readonly keep: (run: RestoreRun) => void
  private starting?: Promise<void>
  private due = false
  private done = false

  constructor (init: RestorerInit, id: string, role: 'A' | 'B', record: CrpRecord, signal: AbortSignal, keep: (run: RestoreRun) => void) {
    this.init = init
    this.id = id
    this.keep = keep
    this.ctx = {
      contactId: id,
      role,
      relay: init.relay,
      knownRelays: init.knownRelays,
      createPeerNode: init.createPeerNode,
      webrtc: init.webrtc,
      book: init.book,
      sessions: init.sessions,
      clock: init.clock,
      emit: init.emit,
      attemptTimeoutsMs: init.attemptTimeoutsMs,
      randomBytes: init.randomBytes ?? ((n) => sodium.randombytes_buf(n)),
      signal,
      holdMs: Infinity,
      chatInbound: init.chatInbound,
      filesInbound: init.filesInbound
    }
    this.runner = new ScheduledRunner({
      clock: init.clock,
      schedule: init.schedule,
      startedAtMs: record.startedAtMs,
      nextRunAtMs: record.nextRunAtMs,
      random: init.random,
      run: () => { this.onDue() },
      onNext: (atMs) => { void this.persistNext(atMs) },
      onEnd: () => { void this.expire() }
    })
  }

  get nextRunAtMs (): number | undefined {
    return this.runner.nextRunAtMs
  }

  start (): void {
    this.runner.start()
  }

  async succeeded (): Promise<void> {
    this.done = true
    this.runner.stop()
    await this.starting?.catch(() => {})
    const run = this.current
    this.current = undefined
    if (run != null) {
      await run.finishRestored()
      await this.retire(run)
    }
  }

  async stop (everything: boolean): Promise<void> {
    this.done = true
    this.runner.stop()
    await this.starting?.catch(() => {})
    const run = this.current
    this.current = undefined
    if (run == null) return
    if (everything) await run.stopNode()
    else await this.retire(run)
  }

  /** A run is due. One at a time: if the current one is mid-exchange, the next starts after it. */
  private onDue (): void {
    // Online again (the success is being reported right now): no new run.
    if (this.done || this.init.sessions.isOnline(this.id)) return
    if (this.starting != null || this.current?.busy === true) { this.due = true; return }
    this.due = false
    // The run is held until the next one (§9.4, at most 300 s): the planned interval, not a guess.
    const next = this.runner.nextRunAtMs
    this.ctx.holdMs = next != null ? Math.max(0, next - this.init.clock.now()) : Infinity
    this.starting = this.beginRun().finally(() => { this.starting = undefined; if (this.due) this.onDue() })
  }

  private async beginRun (): Promise<void> {
    const previous = this.current
    // §9.4: the previous run's streams are "closed before registering again"; its identity stays
    // reachable until the new run has registered (a parked offer of it may still be taken up).
    await previous?.closeWaiting()
    const run = new RestoreRun(this.ctx)
    run.onIdle = () => { if (this.due && !this.done) this.onDue() }
    run.onIncorrect = () => { void this.onIncorrect(run) }
    this.current = run
    let ok = false
    try {
      ok = await run.start()
    } catch {}
    if (previous != null) await this.retire(previous)
    if (!ok && !this.done && this.current === run) {
      this.init.emit({ event: 'crp', id: this.id, step: 'run-ended', code: 'RELAY_UNREACHABLE' })
      this.current = undefined
      await run.retire()
    }
    void this.persistRun()
  }

  /** §9.4: the run ends; three in a row → "restore keeps failing"; the schedule goes on regardless. */
  private async onIncorrect (run: RestoreRun): Promise<void> {
    const stored = await this.init.book.update(this.id, (c) => {
      if (c.crp == null) return false
      c.crp.incorrectInRow += 1
    }).catch(() => undefined)
    this.init.emit({ event: 'crp', id: this.id, step: 'incorrect-shared-secret' })
    if ((stored?.crp?.incorrectInRow ?? 0) === RESTORE_FAILURES_BEFORE_WARNING) {
      this.init.emit({ event: 'crp', id: this.id, step: 'keeps-failing' })
    }
    this.init.onRestoreStatus(this.id)
    if (this.current === run) this.current = undefined
    await this.retire(run)
  }

  private async retire (run: RestoreRun): Promise<void> {
    await run.retire()
    this.keep(run)
  }

  private async expire (): Promise<void> {
    if (this.done) return
    this.init.emit({ event: 'crp', id: this.id, step: 'expired' })
    this.init.onExpired(this.id)
  }

  private async persistNext (atMs: number | undefined): Promise<void> {
    await this.init.book.update(this.id, (c) => {
      if (c.crp == null || c.crp.nextRunAtMs === atMs) return false
      c.crp.nextRunAtMs = atMs
    }).catch(() => {})
  }

  private async persistRun (): Promise<void> {
    const now = this.init.clock.now()
    await this.init.book.update(this.id, (c) => {
      if (c.crp == null) return false
      c.crp.lastRunAtMs = now
    }).catch(() => {})
  }
}
