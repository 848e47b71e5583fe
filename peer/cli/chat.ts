// `gini send`, `gini messages` and `gini chat`: talking to a contact (docs/protocol.md §15). With a
// daemon running they go through it (daemon-link.ts); without one, the command goes online itself
// for its own duration, and what it cannot deliver waits in the outbox for the next session.
import { createInterface } from 'node:readline'
import type { ChatKind, ShownMessage } from '../../protocols/chat/index.js'
// The one check made before asking anyone, kept apart so a command through the daemon loads no protocol code.
import { contentProblem } from '../../protocols/chat/content.js'
import type { DaemonEvent } from '../core/daemon/events.js'
import { displayName } from '../core/contact-names.js'
import { findContact, oneContact } from './contacts.js'
import { refuseManual } from './manual-contacts.js'
import type { CliContext } from './context.js'
import { UsageError } from './exit-codes.js'
import { ask, connectDaemon, filesOf, transferView, type TransferView } from './daemon-link.js'
import type { ControlClient } from '../adapters/control-socket.js'

/** How long `gini send` waits for the contact's ack before it leaves the message in the outbox. */
export const SEND_DELIVERY_WAIT_MS = 15_000

/** What the chat and file commands need of the node that holds the links: the daemon's, here or elsewhere. */
export interface ChatBackend {
  /** "the daemon" or "this command": said when waiting. */
  readonly where: string
  send(contactId: string, type: ChatKind, content: string, target?: string): Promise<{ id: string }>
  conversation(contactId: string): Promise<ShownMessage[]>
  isOnline(contactId: string): Promise<boolean>
  offerFile(contactId: string, path: string): Promise<TransferView>
  acceptFile(id: string, dir?: string): Promise<TransferView>
  onEvent(listener: (e: DaemonEvent) => void): void
  close(): Promise<void>
}

/** What a command needs to know of a contact. */
export interface ContactRef { id: string, name: string, nickname?: string, blocked?: boolean }

/** Sending to a contact you blocked is refused here, before going online (the node refuses it too, §19). */
function refuseBlocked (contact: ContactRef): void {
  if (contact.blocked === true) throw new UsageError(`Not sent: you blocked ${displayName(contact)}. \`gini contact unblock\` undoes it.`)
}

/** The running daemon's backend, or undefined when no daemon runs for this data dir. */
async function daemonBackend (ctx: CliContext): Promise<{ client: ControlClient, backend: ChatBackend } | undefined> {
  const client = await connectDaemon(ctx.dataDir)
  if (client != null) {
    const listeners = new Set<(e: DaemonEvent) => void>()
    await client.subscribe((e) => { for (const l of listeners) l(e as unknown as DaemonEvent) })
    const backend: ChatBackend = {
      where: 'the daemon',
      send: async (contact, type, content, target) => await ask(client, 'send', { contact, type, content, target }),
      conversation: async (contact) => await ask(client, 'conversation', { contact }),
      isOnline: async (contact) => await ask(client, 'isOnline', { contact }),
      offerFile: async (contact, path) => await ask(client, 'offerFile', { contact, path }),
      acceptFile: async (id, dir) => await ask(client, 'acceptFile', { id, dir }),
      onEvent: (l) => { listeners.add(l) },
      close: async () => { client.close() }
    }
    return { client, backend }
  }
  return undefined
}

/** No daemon: this command is the node until it ends (it holds the data dir's lock meanwhile). */
async function ownBackend (ctx: CliContext): Promise<ChatBackend> {
  const relay = await ctx.relay()
  const node = await ctx.node({ exclusive: true })
  const listeners = new Set<(e: DaemonEvent) => void>()
  const daemon = await node.startDaemon({ relays: [relay], onEvent: (e) => { for (const l of listeners) l(e) } })
  return {
    where: 'this command',
    send: async (contact, type, content, target) => await daemon.chat.send(contact, type, content, target),
    conversation: async (contact) => await daemon.chat.conversation(contact),
    isOnline: async (contact) => daemon.isOnline(contact),
    offerFile: async (contact, path) => transferView(await filesOf(daemon).offer(contact, path)),
    acceptFile: async (id, dir) => transferView(await filesOf(daemon).accept(id, dir)),
    onEvent: (l) => { listeners.add(l) },
    close: async () => { await daemon.stop() }
  }
}

export async function openBackend (ctx: CliContext): Promise<ChatBackend> {
  return (await daemonBackend(ctx))?.backend ?? await ownBackend(ctx)
}

/**
 * The contact and the backend that reaches them. With a daemon running, the daemon resolves the
 * query (this process loads neither libp2p nor libsodium); without one, the contact is found on
 * disk before this command goes online. Either way contacts.ts's oneContact says which.
 */
/** The contact `query` names and the node to reach it with; `sending`: a blocked contact is refused first. */
export async function contactAndBackend (ctx: CliContext, query: string, opts: { sending?: boolean } = {}): Promise<{ contact: ContactRef, backend: ChatBackend }> {
  const viaDaemon = await daemonBackend(ctx)
  if (viaDaemon != null) {
    try {
      const found = await ask<ContactRef[]>(viaDaemon.client, 'matchContacts', { query })
      if (found.length === 0) await refuseManual(ctx, query)
      const contact = oneContact(found, query)
      if (opts.sending === true) refuseBlocked(contact)
      return { contact, backend: viaDaemon.backend }
    } catch (err) {
      await viaDaemon.backend.close()
      throw err
    }
  }
  const contact = await findContact(ctx, query)
  // Before this command's own node goes online for nothing.
  if (opts.sending === true) refuseBlocked(contact)
  return { contact, backend: await ownBackend(ctx) }
}

/** What scripts get for one message (`--json`): no secret, nothing but what the person sees. */
function messageView (m: ShownMessage): Record<string, unknown> {
  return {
    id: m.id,
    direction: m.author === 'me' ? 'out' : 'in',
    type: 'MESSAGE',
    content: m.content,
    at: new Date(m.sentAtMs).toISOString(),
    delivered: m.delivered,
    edited: m.edited,
    deleted: m.deleted,
    reactions: m.reactions
  }
}

function messageLine (m: ShownMessage, name: string, index?: number): string {
  const who = m.author === 'me' ? 'me' : name
  const time = new Date(m.sentAtMs).toLocaleTimeString()
  const mark = m.author === 'me' ? (m.delivered ? ' ✓' : ' ⏳') : ''
  const text = m.deleted ? '(deleted)' : m.content + (m.edited ? ' (edited)' : '')
  const reactions = Object.entries(m.reactions).map(([by, r]) => `${r as string} ${by === 'me' ? 'me' : name}`).join(', ')
  return `${index != null ? `[${index}] ` : ''}${time} ${who}: ${text}${mark}${reactions !== '' ? `  (${reactions})` : ''}`
}

/** Waits (bounded) until `pred` holds for an event; resolves false at the deadline or on Ctrl-C. */
export async function eventuallyEvent (backend: ChatBackend, ctx: CliContext, pred: (e: DaemonEvent) => boolean, ms: number): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => { resolve(false) }, ms)
    ctx.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(false) }, { once: true })
    backend.onEvent((e) => { if (pred(e)) { clearTimeout(timer); resolve(true) } })
  })
}

export async function sendCommand (ctx: CliContext, nameOrId: string, text: string): Promise<void> {
  // Refused before going online (the node checks again before storing anything).
  const problem = contentProblem('MESSAGE', text)
  if (problem != null) throw new UsageError(`Not sent: ${problem}.`)
  const { contact, backend } = await contactAndBackend(ctx, nameOrId, { sending: true })
  try {
    const wanted = { id: '' }
    const deliveredNow = eventuallyEvent(backend, ctx, (e) => e.event === 'delivered' && e.id === wanted.id, SEND_DELIVERY_WAIT_MS)
    // This command's own node needs a moment to reach the contact; a daemon knows already.
    const online = backend.where === 'the daemon' ? await backend.isOnline(contact.id) : true
    if (!ctx.json && backend.where !== 'the daemon') process.stdout.write(`Connecting to ${displayName(contact)}…\n`)
    const sent = await backend.send(contact.id, 'MESSAGE', text)
    wanted.id = sent.id
    const delivered = online && await deliveredNow
    ctx.out.event({ event: 'sent', id: sent.id, contact: contact.id, delivered }, delivered
      ? `Delivered to ${displayName(contact)}.`
      : `${displayName(contact)} is not reachable now: the message waits in your outbox and goes out at your next session with them (keep \`gini daemon\` running).`)
  } finally {
    await backend.close()
  }
}

export async function messagesCommand (ctx: CliContext, nameOrId: string, opts: { follow?: boolean }): Promise<void> {
  const contact = await findContact(ctx, nameOrId)
  // Reading needs no node: the store is on disk (SQLite reads beside a daemon's writes are safe).
  const node = await ctx.existingNode()
  const { showConversation } = await import('../../protocols/chat/index.js')
  const shown = showConversation(await (await node.messages()).list(contact.id))
  ctx.out.data(shown.map(messageView), shown.length === 0
    ? `No messages with ${displayName(contact)} yet. Send one: gini send ${JSON.stringify(displayName(contact))} "Hello"`
    : shown.map(m => messageLine(m, displayName(contact))).join('\n'))
  if (opts.follow !== true) return
  const backend = await openBackend(ctx)
  try {
    if (!ctx.json) process.stdout.write(`Following ${displayName(contact)} through ${backend.where}. Ctrl-C to stop.\n`)
    backend.onEvent((e) => {
      if (e.event !== 'message' || e.contact !== contact.id) return
      ctx.out.event(e as DaemonEvent & Record<string, unknown>, e.direction === 'in' ? `${displayName(contact)}: ${e.type === 'MESSAGE' ? e.content : `(${e.type.toLowerCase()}) ${e.content}`}` : undefined)
    })
    await new Promise<void>(resolve => {
      if (ctx.signal.aborted) { resolve(); return }
      ctx.signal.addEventListener('abort', () => { resolve() }, { once: true })
    })
  } finally {
    await backend.close()
  }
}

const CHAT_HELP = 'Type a message and Enter. /edit N text · /delete N · /react N :name: · /quit'

/** `gini chat <contact>`: the conversation, live, with edits, reactions and delivery marks. */
export async function chatCommand (ctx: CliContext, nameOrId: string): Promise<void> {
  if (ctx.json) throw new UsageError('`gini chat` is interactive; use `gini send` and `gini messages --json` in scripts.')
  const { contact, backend } = await contactAndBackend(ctx, nameOrId)
  let shown: ShownMessage[] = []
  const refresh = async (): Promise<void> => { shown = await backend.conversation(contact.id) }
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' })
  const say = (line: string): void => {
    process.stdout.write(`\r\x1b[K${line}\n`)
    rl.prompt(true)
  }
  try {
    await refresh()
    process.stdout.write(`Chat with ${displayName(contact)} (${await backend.isOnline(contact.id) ? 'online' : 'offline: messages wait in your outbox'}). ${CHAT_HELP}\n`)
    for (const [i, m] of shown.slice(-20).entries()) process.stdout.write(messageLine(m, displayName(contact), shown.length - Math.min(20, shown.length) + i + 1) + '\n')
    backend.onEvent((e) => {
      void (async () => {
        if (e.event === 'message' && e.contact === contact.id && e.direction === 'in') {
          await refresh()
          const i = shown.findIndex(m => m.id === (e.type === 'MESSAGE' ? e.id : e.target))
          if (i >= 0) say(messageLine(shown[i], displayName(contact), i + 1))
        } else if (e.event === 'delivered' && e.contact === contact.id) {
          await refresh()
          const i = shown.findIndex(m => m.id === e.id)
          if (i >= 0) say(`delivered ✓ [${i + 1}]`)
        } else if (e.event === 'contact-state' && e.id === contact.id) {
          say(`${displayName(contact)} is ${e.state}.`)
        }
      })().catch(() => {})
    })
    rl.prompt()
    const closed = new Promise<void>(resolve => { rl.once('close', resolve) })
    ctx.signal.addEventListener('abort', () => { rl.close() }, { once: true })
    rl.on('line', (line) => {
      void handleLine(line.trim()).catch((err: any) => { say(`Not sent: ${String(err?.message ?? err)}`) })
    })
    const handleLine = async (line: string): Promise<void> => {
      if (line === '') { rl.prompt(); return }
      if (line === '/quit') { rl.close(); return }
      const m = /^\/(edit|delete|react)\s+(\d+)\s*(.*)$/.exec(line)
      if (line.startsWith('/') && m == null) { say(CHAT_HELP); return }
      if (m != null) {
        const target = shown[Number(m[2]) - 1]
        if (target == null) { say(`No message [${m[2]}].`); return }
        const type = m[1].toUpperCase() as ChatKind
        await backend.send(contact.id, type, type === 'DELETE' ? '' : m[3], target.id)
      } else {
        await backend.send(contact.id, 'MESSAGE', line)
      }
      await refresh()
      const last = m == null ? shown.length - 1 : Number(m[2]) - 1
      say(messageLine(shown[last], displayName(contact), last + 1))
    }
    await closed
  } finally {
    rl.close()
    await backend.close()
  }
}
