// Keeps this person online while the tab is open: the core's daemon (peer/core/daemon/) with the long-term
// identity holds a slot at the relay, re-dials every contact, answers their dials, and moves each
// contact between online / offline / unreachable / expired, and runs the relay mailbox
// (docs/protocol.md §16): fetches what contacts left for us when the tab opens, when it becomes
// visible again (a background tab's timers are throttled) and every fetchIntervalMs, and leaves our outbox there for contacts offline longer than depositAfterMs. The UI reads the states from storage
// (the daemon writes them) and redraws when an event says something changed. File transfers
// (docs/protocol.md §17) run in the same daemon, with the largest accepted file from /config.json.
import type { GiniNode } from '../../peer/core/gini-node.js'
import type { Daemon, DaemonMailboxOptions, DaemonOptions } from '../../peer/core/daemon/daemon.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import type { RestoreStatus } from '../../peer/core/daemon/reachability.js'
import type { ChatEvent } from '../../peer/core/chat/chat-service.js'
import type { FileEvent } from '../../peer/core/files/file-transfers.js'

/** `other-tab`: another tab of this profile is the one online (one identity, one daemon). */
export type RelayStatus = 'off' | 'connecting' | 'connected' | 'unreachable' | 'other-tab'

export class Presence {
  status: RelayStatus = 'off'
  private readonly node: GiniNode
  private readonly primary: boolean
  private readonly mailbox: DaemonMailboxOptions
  private daemon?: Daemon
  private generation = 0
  private readonly restore = new Map<string, RestoreStatus | undefined>()
  private readonly listeners = new Set<() => void>()
  private readonly chatListeners = new Set<(e: ChatEvent) => void>()
  private readonly fileListeners = new Set<(e: FileEvent) => void>()
  private readonly files: DaemonOptions['files']

  constructor (node: GiniNode, primary: boolean, mailbox: DaemonMailboxOptions = {}, files: DaemonOptions['files'] = {}) {
    this.node = node
    this.primary = primary
    this.mailbox = mailbox
    this.files = files
    if (!primary) this.status = 'other-tab'
    else if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') void this.daemon?.fetchMailbox().catch(() => {})
      })
    }
  }

  /** (Re)starts the daemon at `relay`; returns at once, progress comes as status changes. */
  start (relay: string): void {
    if (!this.primary) return
    const generation = ++this.generation
    this.setStatus('connecting')
    void (async () => {
      await this.stopDaemon()
      if (generation !== this.generation) return
      try {
        const daemon = await this.node.startDaemon({
          relays: [relay],
          mailbox: this.mailbox,
          files: this.files,
          onEvent: (e) => { if (generation === this.generation) this.onEvent(e) }
        })
        if (generation !== this.generation) { await daemon.stop(); return }
        this.daemon = daemon
      } catch {
        if (generation === this.generation) this.setStatus('unreachable')
      }
    })()
  }

  async stop (): Promise<void> {
    this.generation++
    await this.stopDaemon()
    if (this.primary) this.setStatus('off')
  }

  /** §10: restore keeps failing for this contact (shown beside its state). */
  restoreOf (id: string): RestoreStatus | undefined {
    return this.restore.get(id)
  }

  /** The running daemon (chat sends through it), if this tab is online. */
  get running (): Daemon | undefined {
    return this.daemon
  }

  /** A chat message stored (ours or theirs) or one of ours delivered (docs/protocol.md §15). */
  onChat (fn: (e: ChatEvent) => void): () => void {
    this.chatListeners.add(fn)
    return () => { this.chatListeners.delete(fn) }
  }

  /** A file transfer changed state (docs/protocol.md §17), including offers refused as too large (never stored). */
  onFile (fn: (e: FileEvent) => void): () => void {
    this.fileListeners.add(fn)
    return () => { this.fileListeners.delete(fn) }
  }

  onChange (fn: () => void): () => void {
    this.listeners.add(fn)
    return () => { this.listeners.delete(fn) }
  }

  private onEvent (e: DaemonEvent): void {
    switch (e.event) {
      case 'listening':
        if (e.addrs.length > 0) this.setStatus('connected')
        return
      case 'relay':
        this.setStatus(e.status === 'connected' ? 'connected' : 'unreachable')
        return
      case 'contact-state':
        this.restore.set(e.id, e.restore)
        this.notify()
        return
      case 'session':
      case 'crp':
      case 'contact-updated': // §19: a contact's new card; the views re-read contacts
      case 'key-change': // §18.1
      case 'contact-renamed': // §19 local edits
      case 'contact-blocked':
      case 'contact-unblocked':
      case 'contact-deleted':
        this.notify()
        return
      case 'message':
      case 'delivered':
        for (const fn of this.chatListeners) fn(e)
        this.notify() // the contact list's unread counts
        return
      case 'file':
        for (const fn of this.fileListeners) fn(e)
    }
  }

  private async stopDaemon (): Promise<void> {
    const daemon = this.daemon
    this.daemon = undefined
    await daemon?.stop().catch(() => {})
  }

  private setStatus (status: RelayStatus): void {
    if (this.status === status) return
    this.status = status
    this.notify()
  }

  private notify (): void {
    for (const fn of this.listeners) fn()
  }
}
