// `gini daemon`: stay online with the long-term identity until Ctrl-C (peer/core/daemon/). With --json, one
// object a line: `listening` {peerId, addrs}, `contact-state` {id, name, state}, `session`
// {id, direct, link, remoteAddr}, `crp` {id, step} (plus `relay`, `relay-list`, `tcp-failed` and `address-update`). In words, it
// says what it is waiting for. SIGINT/SIGTERM stop it cleanly with exit code 0.
import { serveDaemon } from './daemon-link.js'
import type { CliContext } from './context.js'
import type { DaemonEvent } from '../core/daemon/events.js'
import { displayName } from '../core/contact-names.js'
import type { ContactRecord } from '../core/storage.js'
import { describeReachability } from '../core/daemon/reachability.js'
import { keyChangeText } from '../core/pairing/describe.js'
import type { CrpScheduleName } from '../core/daemon/schedule.js'
import type { DaemonMailboxOptions } from '../core/daemon/daemon.js'

export interface DaemonCliOptions {
  /** commander's `--no-mailbox`: false turns the relay mailbox off (docs/protocol.md §16). */
  mailbox?: boolean
  /** commander's `--no-direct-tcp` (or GINI_NO_DIRECT_TCP): false turns the TCP listener for contacts off (docs/protocol.md §17.6). */
  directTcp?: boolean
  /** Accept file offers up to this many bytes by itself (into `<data>/downloads`). */
  acceptFilesUpTo?: number
  unreachableAfter?: number
  /** `--mailbox-after`: deposit for a contact offline this long (ms; default 10 minutes, §16.8). */
  mailboxAfter?: number
  /** `--mailbox-fetch-every`: the fetch interval (ms; default 15 minutes, at least 1 s). */
  mailboxFetchEvery?: number
  crpSchedule?: CrpScheduleName
}

/** How long a clean stop may take before the command returns anyway. */
const STOP_TIMEOUT_MS = 10_000

export async function daemonCommand (ctx: CliContext, opts: DaemonCliOptions): Promise<void> {
  const relay = await ctx.relay()
  const node = await ctx.node({ exclusive: true })
  const contacts = await node.contacts()
  const { nameOf, words } = contactEventWords(contacts)
  if (!ctx.json) {
    const n = contacts.length
    process.stdout.write(n === 0
      ? 'No contacts yet: waiting for pairings (`gini invite` / `gini accept` in another terminal). Ctrl-C to stop.\n'
      : `Keeping ${n} contact${n === 1 ? '' : 's'} connected. Ctrl-C to stop.\n`)
  }
  const daemon = await node.startDaemon({
    relays: [relay],
    unreachableAfterMs: opts.unreachableAfter,
    crpSchedule: opts.crpSchedule ?? 'seed',
    directTcp: opts.directTcp !== false,
    // Offline delivery through the relay's mailbox for contacts never online at the same time.
    ...(opts.mailbox !== false ? { mailbox: mailboxTimings(opts) } : {}),
    onEvent: (e) => {
      // An offer the daemon takes by itself (--accept-files-up-to) needs no command from the user.
      const auto = e.event === 'file' && e.direction === 'in' && e.state === 'offered' && opts.acceptFilesUpTo != null && e.size <= opts.acceptFilesUpTo
      ctx.out.event(e as DaemonEvent & Record<string, unknown>, auto ? `${nameOf(e.contact)} sends ${e.name} (${e.size} bytes): accepting it (--accept-files-up-to).` : words(e))
    }
  })
  if (opts.acceptFilesUpTo != null) {
    const limit = opts.acceptFilesUpTo
    daemon.addListener((e) => {
      if (e.event === 'file' && e.direction === 'in' && e.state === 'offered' && e.size <= limit) {
        daemon.files?.accept(e.id).catch((err: any) => { ctx.out.event({ event: 'error', code: 'FILE', message: String(err?.message ?? err) }, `Could not accept ${e.name}: ${String(err?.message ?? err)}`) })
      }
    })
  }
  // Other `gini` commands on this data dir now go through this process (daemon-link.ts).
  const control = await serveDaemon(ctx.dataDir, node, daemon, relay)
  try {
    await new Promise<void>(resolve => {
      if (ctx.signal.aborted) { resolve(); return }
      ctx.signal.addEventListener('abort', () => { resolve() }, { once: true })
    })
    if (!ctx.json) process.stdout.write('Stopping…\n')
  } finally {
    await control.close().catch(() => {})
    await Promise.race([daemon.stop(), new Promise(resolve => setTimeout(resolve, STOP_TIMEOUT_MS).unref())])
  }
}

/** The mailbox timings the flags set; the daemon's defaults for the others. */
function mailboxTimings (opts: DaemonCliOptions): DaemonMailboxOptions {
  return {
    ...(opts.mailboxAfter != null ? { depositAfterMs: opts.mailboxAfter } : {}),
    ...(opts.mailboxFetchEvery != null ? { fetchIntervalMs: opts.mailboxFetchEvery } : {})
  }
}

/**
 * The words for one daemon run's events, each contact named as the user knows them (their nickname
 * if set, else the card's name: contact-names.ts displayName), kept current by the run's own
 * `contact-*` events. A line is worded before its event changes the name, so a card update or a
 * deletion still names the contact as it was known. `--json` lines keep their fields as they are.
 */
export function contactEventWords (contacts: Array<Pick<ContactRecord, 'id' | 'name' | 'nickname'>>): { nameOf: (id: string) => string, words: (e: DaemonEvent) => string | undefined } {
  const known = new Map(contacts.map(c => [c.id, { name: c.name, nickname: c.nickname }]))
  const nameOf = (id: string): string => {
    const c = known.get(id)
    return c != null ? displayName(c) : id
  }
  const describe = daemonEventWords(nameOf)
  const words = (e: DaemonEvent): string | undefined => {
    // A contact paired while the daemon runs is first seen in its contact-state.
    if (e.event === 'contact-state' && !known.has(e.id)) known.set(e.id, { name: e.name, nickname: undefined })
    const text = describe(e)
    if (e.event === 'contact-state' || e.event === 'contact-updated') known.set(e.id, { name: e.name, nickname: known.get(e.id)?.nickname })
    if (e.event === 'contact-renamed') known.set(e.id, { name: e.name, nickname: e.nickname ?? undefined })
    if (e.event === 'contact-deleted') known.delete(e.id)
    return text
  }
  return { nameOf, words }
}

/**
 * The words for one daemon run's events: a relay said to be lost or unreachable is news again
 * when it answers (the daemon reports a relay's status only when it changes).
 */
export function daemonEventWords (nameOf: (id: string) => string): (e: DaemonEvent) => string | undefined {
  const lost = new Set<string>()
  return (e) => {
    let back = false
    if (e.event === 'relay') {
      if (e.status === 'connected') back = lost.delete(e.relay)
      else if (e.fallback !== true) lost.add(e.relay)
    }
    return describeDaemonEvent(e, nameOf, back)
  }
}

/**
 * The words for a daemon event (human mode); undefined for events people need not see. `back`:
 * this `connected` follows a `disconnected` or `unreachable` of the same relay.
 */
export function describeDaemonEvent (e: DaemonEvent, nameOf: (id: string) => string, back = false): string | undefined {
  switch (e.event) {
    case 'listening':
      return e.addrs.length > 0
        ? `Online as ${e.peerId}, reachable through the relay.`
        : `Running as ${e.peerId}; waiting for a slot at the relay…`
    case 'relay':
      // §22.5: a relay of the remembered list holds the slot while the configured one is down.
      if (e.fallback === true) return e.status === 'connected' ? `Reachable through another relay of the network (${e.relay}) while the relay is down.` : 'Lost the other relay; trying the next one…'
      if (e.status === 'connected') return back ? 'The relay is reachable again.' : undefined
      return e.status === 'disconnected' ? 'Lost the relay; reconnecting…' : 'The relay is unreachable; retrying with back-off…'
    case 'contact-state': {
      const waiting = e.state === 'offline' ? ' Waiting for them to come online.' : e.state === 'unreachable' ? ' Waiting to meet them at the relay.' : ''
      return `${nameOf(e.id)}: ${describeReachability(e.state, e.restore)}.${waiting}`
    }
    case 'session':
      return `${nameOf(e.id)}: connected ${e.link === 'tcp' ? 'directly (TCP)' : e.direct ? 'directly (WebRTC)' : 'through the relay'}.`
    case 'tcp-failed':
    case 'relay-list':
      return undefined
    case 'crp':
      switch (e.step) {
        case 'restored': return `${nameOf(e.id)}: connection restored.`
        case 'incorrect-shared-secret': return `${nameOf(e.id)}: restore failed (Incorrect SharedSecret). Trying again on schedule.`
        case 'keeps-failing': return `${nameOf(e.id)}: restore keeps failing. Consider pairing again; retries go on.`
        case 'expired': return `${nameOf(e.id)}: not reached for a year. Pair again to reconnect.`
        default: return undefined
      }
    case 'message':
      if (e.direction !== 'in') return undefined
      return e.type === 'MESSAGE' ? `${nameOf(e.contact)}: ${e.content}` : `${nameOf(e.contact)} (${e.type.toLowerCase()}): ${e.content}`
    case 'delivered':
      return undefined
    case 'file':
      switch (e.state) {
        case 'offered': return e.direction === 'in' ? `${nameOf(e.contact)} offers ${e.name} (${e.size} bytes): gini files accept ${e.id}` : undefined
        case 'done': return e.direction === 'in' ? `Received ${e.name} from ${nameOf(e.contact)}: ${e.path ?? ''}` : `Sent ${e.name} to ${nameOf(e.contact)}.`
        case 'failed': return `${e.name} ${e.direction === 'in' ? 'from' : 'to'} ${nameOf(e.contact)}: ${e.error ?? 'transfer failed'}`
        default: return undefined
      }
    case 'address-update':
      return e.direction === 'received' ? `${nameOf(e.id)}: learned new addresses.` : undefined
    case 'key-change': // §18.1
      return `${keyChangeText({ name: nameOf(e.id) })} See \`gini contact ${e.id}\`, then \`gini contact accept-key\` or \`reject-key\`.`
    case 'contact-updated': // §19
      return `${nameOf(e.id)} updated their contact card: now "${e.name}".`
    case 'contact-renamed': // §19, local
      return e.nickname == null ? `${e.name}: nickname removed.` : `${e.name}: nickname now "${e.nickname}".`
    case 'contact-blocked':
      return `${nameOf(e.id)}: blocked.`
    case 'contact-unblocked':
      return `${nameOf(e.id)}: unblocked.`
    case 'contact-deleted':
      return `${nameOf(e.id)}: deleted.`
  }
}
