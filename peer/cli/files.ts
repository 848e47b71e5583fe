// `gini send-file`, `gini files` and `gini files accept`: files between contacts, peer to peer
// (docs/protocol.md §17). Transfers show a progress bar on a terminal (a line per quarter
// otherwise, `file` events with --json). Through the running daemon when there is one.
import { resolve } from 'node:path'
import type { DaemonEvent } from '../core/daemon/events.js'
import type { CliContext } from './context.js'
import { contactAndBackend, eventuallyEvent, openBackend } from './chat.js'
import { displayName } from '../core/contact-names.js'
import type { TransferView } from './daemon-link.js'

const MIB = 1024 * 1024
/** How long `send-file` waits for a contact that is not online yet (files go peer to peer only). */
const CONTACT_ONLINE_WAIT_MS = 15_000

/** A transfer that ended failed (refused, declined, changed, or a hash the receiver found wrong): exit code 1 (exit-codes.ts). */
export class FileTransferError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'FileTransferError'
  }
}

/** Ends a reason with one full stop, whether or not it had one. */
function sentence (text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`
}

function sizeText (bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`
}

/** Draws progress as it comes: a redrawn bar on a terminal, a line per quarter otherwise. */
function progressBar (ctx: CliContext, name: string, size: number): { update(bytes: number): void, end(): void } {
  const tty = process.stdout.isTTY === true && !ctx.json
  const started = performance.now()
  let lastQuarter = -1
  return {
    update (bytes) {
      if (ctx.json) return
      const fraction = size === 0 ? 1 : Math.min(1, bytes / size)
      const rate = bytes / MIB / Math.max(0.001, (performance.now() - started) / 1000)
      if (tty) {
        const width = 30
        const filled = Math.round(fraction * width)
        process.stdout.write(`\r${name} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${sizeText(bytes)} / ${sizeText(size)} ${rate.toFixed(1)} MiB/s`)
      } else if (Math.floor(fraction * 4) > lastQuarter) {
        lastQuarter = Math.floor(fraction * 4)
        process.stdout.write(`${name}: ${Math.round(fraction * 100)}% (${sizeText(bytes)} of ${sizeText(size)})\n`)
      }
    },
    end () { if (tty) process.stdout.write('\n') }
  }
}

/** Follows one transfer's `file` events until it is done or failed (or Ctrl-C: it goes on in the daemon). */
async function follow (ctx: CliContext, onEvent: (l: (e: DaemonEvent) => void) => void, t: TransferView): Promise<DaemonEvent & { event: 'file' } | undefined> {
  const bar = progressBar(ctx, t.name, t.size)
  try {
    return await new Promise((resolve) => {
      ctx.signal.addEventListener('abort', () => { resolve(undefined) }, { once: true })
      onEvent((e) => {
        if (e.event !== 'file' || e.id !== t.id) return
        ctx.out.event({ ...e })
        if (e.state === 'progress') bar.update(e.received ?? 0)
        if (e.state === 'done') bar.update(t.size)
        if (e.state === 'done' || e.state === 'failed') resolve(e)
      })
    })
  } finally {
    bar.end()
  }
}

export async function sendFileCommand (ctx: CliContext, nameOrId: string, path: string): Promise<void> {
  const { contact, backend } = await contactAndBackend(ctx, nameOrId, { sending: true })
  try {
    if (!await backend.isOnline(contact.id)) {
      if (!ctx.json) process.stdout.write(`Connecting to ${displayName(contact)}…\n`)
      await eventuallyEvent(backend, ctx, (e) => e.event === 'contact-state' && e.id === contact.id && e.state === 'online', CONTACT_ONLINE_WAIT_MS)
    }
    // The daemon runs elsewhere: it gets an absolute path.
    const offered = await backend.offerFile(contact.id, resolve(path))
    ctx.out.event({ event: 'file', ...offered }, `Offered ${offered.name} (${sizeText(offered.size)}) to ${displayName(contact)}; waiting for them to accept it (\`gini files accept ${offered.id}\`)…`)
    const end = await follow(ctx, (l) => { backend.onEvent(l) }, offered)
    if (end == null) {
      if (!ctx.json) process.stdout.write(backend.where === 'the daemon' ? 'Stopped watching; the daemon keeps the offer open.\n' : 'Stopped: the offer can be served again while a daemon runs.\n')
      return
    }
    if (end.state === 'failed') throw new FileTransferError(`${offered.name} was not sent: ${sentence(end.error ?? 'the transfer failed')}`)
    if (!ctx.json) process.stdout.write(`Sent ${offered.name} to ${displayName(contact)} (sha256 ${offered.sha256}).\n`)
  } finally {
    await backend.close()
  }
}

export async function filesCommand (ctx: CliContext): Promise<void> {
  const node = await ctx.existingNode()
  const storage = await node.fileTransfers()
  const names = new Map((await node.contacts()).map(c => [c.id, displayName(c)]))
  const all = (await storage.list()).map(r => ({
    id: r.id, contact: r.contact, direction: r.direction, name: r.offer.name, size: r.offer.size, sha256: r.offer.sha256, state: r.state, ...(r.path != null ? { path: r.path } : {}), ...(r.error != null ? { error: r.error } : {})
  }))
  const human = all.length === 0
    ? 'No files yet. Send one: gini send-file <contact> <path>'
    : all.map(t => `${t.id}  ${t.direction === 'in' ? 'from' : 'to'} ${names.get(t.contact) ?? t.contact}  ${t.name}  ${sizeText(t.size)}  ${t.state}${t.path != null ? `  ${t.path}` : ''}${t.error != null ? `  (${t.error})` : ''}`).join('\n')
  ctx.out.data(all, human)
}

export async function acceptFileCommand (ctx: CliContext, id: string, opts: { to?: string }): Promise<void> {
  const backend = await openBackend(ctx)
  try {
    const accepted = await backend.acceptFile(id, opts.to != null ? resolve(opts.to) : undefined)
    if (!ctx.json) process.stdout.write(`Receiving ${accepted.name} (${sizeText(accepted.size)})…\n`)
    const end = await follow(ctx, (l) => { backend.onEvent(l) }, accepted)
    if (end == null) {
      if (!ctx.json) process.stdout.write(backend.where === 'the daemon' ? 'Stopped watching; the daemon goes on receiving.\n' : 'Stopped: `gini files accept` again (or a daemon) resumes from the last good chunk.\n')
      return
    }
    if (end.state === 'failed') throw new FileTransferError(`${accepted.name} was not received: ${sentence(end.error ?? 'the transfer failed')}`)
    if (!ctx.json) process.stdout.write(`Saved ${end.path ?? accepted.name} (sha256 ${accepted.sha256} checked).\n`)
  } finally {
    await backend.close()
  }
}
