// `gini contacts`, `gini contact <contact>` and the local edits of docs/protocol.md §19 (rename,
// block, unblock, delete). Secrets never leave the contact book.
import { createInterface } from 'node:readline/promises'
import type { ContactRecord } from '../core/storage.js'
import { displayName } from '../core/contact-names.js'
import { keyChangeText } from '../core/pairing/describe.js'
import { restoreStatusOf } from '../core/daemon/reachability.js'
import type { CliContext } from './context.js'
import { UsageError } from './exit-codes.js'
import { ask, connectDaemon, keyChangeView } from './daemon-link.js'
import { manualContacts, matchManual, refuseManual } from './manual-contacts.js'
import { FileStorage } from '../adapters/file-storage.js'

/** What a script may see of a contact: never the SharedSecret. */
function publicView (c: ContactRecord): Record<string, unknown> {
  return {
    kind: 'paired',
    id: c.id,
    name: c.name,
    nickname: c.nickname ?? null,
    blocked: c.blocked === true,
    state: c.state,
    lastSeen: new Date(c.lastSeenMs).toISOString(),
    pairedAt: new Date(c.pairedAtMs).toISOString(),
    ppk: c.ppk,
    addresses: c.addresses.map(a => a.multiaddr),
    // When the running CRP tries next (null when none runs), and "restore failed" /
    // "restore keeps failing" (§10) while restores end in Incorrect SharedSecret.
    nextCrpTry: c.crp?.nextRunAtMs != null && c.state === 'unreachable' ? new Date(c.crp.nextRunAtMs).toISOString() : null,
    restore: restoreStatusOf(c) ?? null,
    // §18: the user compared safety numbers (a key change is never accepted silently, so it still holds).
    verified: c.verified != null,
    // §18.1: a re-pairing brought a new permanent key that waits for `gini contact accept-key` or `reject-key`.
    keyChange: c.keyChange != null
  }
}

/** The state column: the dark-orange dot is `unreachable` (§9.5); restore failures are spelled out. */
function stateText (c: ContactRecord): string {
  if (c.keyChange != null) return 'key changed: confirm'
  if (c.blocked === true) return 'blocked'
  const restore = restoreStatusOf(c)
  return restore == null ? c.state : `${c.state} (restore ${restore === 'failed' ? 'failed' : 'keeps failing: pair again?'})`
}

/** The name column: the nickname with the card's name beside it. */
function nameText (c: Pick<ContactRecord, 'name' | 'nickname'>): string {
  return c.nickname != null && c.nickname !== c.name ? `${c.nickname} (${c.name})` : c.name
}

/**
 * The one contact `query` names (contact-book.ts matchContacts: peer id, name, nickname, or a unique
 * case-insensitive prefix of one). Every command that takes a contact resolves it here.
 */
export async function findContact (ctx: CliContext, query: string): Promise<ContactRecord> {
  const found = await (await ctx.existingNode()).matchContacts(query)
  if (found.length === 0) await refuseManual(ctx, query)
  return oneContact(found, query)
}

/** The one of `found` (matchContacts' answer to `query`), or the usage error that says why not. */
export function oneContact<C extends Pick<ContactRecord, 'id' | 'name' | 'nickname'>> (found: C[], query: string): C {
  if (found.length === 1) return found[0]
  if (found.length === 0) throw new UsageError(`No contact matches "${query}". See \`gini contacts\`.`)
  const list = found.map(c => `  ${nameText(c)}  ${c.id}`).join('\n')
  throw new UsageError(`"${query}" could be any of ${found.length} contacts; say which (a longer name or the peer id):\n${list}`)
}

export async function contactsCommand (ctx: CliContext): Promise<void> {
  // Read-only: an empty data dir says so instead of quietly creating an identity.
  const contacts = await (await ctx.existingNode()).contacts()
  const manual = await manualContacts(ctx)
  const rows = [
    ...contacts.map(c => [nameText(c), stateText(c), c.id, new Date(c.lastSeenMs).toLocaleString()]),
    ...manual.map(m => [`${m.view.name} (manual, not verified)`, '-', m.id, '-'])
  ]
  const header = ['NAME', 'STATE', 'ID', 'LAST SEEN']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const line = (r: string[]): string => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()
  const human = rows.length === 0
    ? 'No contacts yet. Pair with someone: `gini invite` (or `gini accept <code>`).'
    : [line(header), ...rows.map(line)].join('\n')
  ctx.out.data([...contacts.map(publicView), ...manual.map(m => m.view)], human)
}

export async function contactCommand (ctx: CliContext, query: string): Promise<void> {
  const paired = await (await ctx.existingNode()).matchContacts(query)
  const manual = await matchManual(ctx, query)
  if (paired.length === 0 && manual.length === 1) {
    ctx.out.data({ ...manual[0].view, vcard: manual[0].vcard }, 'Manual contact: entered by hand, not verified; nothing is ever sent to it.\n' + manual[0].vcard.replace(/\r\n/g, '\n'))
    return
  }
  // Several: the candidates of both kinds are listed (a single manual one was shown above).
  const contact = oneContact<Pick<ContactRecord, 'id' | 'name' | 'nickname'>>([...paired, ...manual.map(m => ({ id: m.id, name: `${m.view.name} (manual)` }))], query) as ContactRecord
  const header = contact.nickname != null ? `Nickname: ${contact.nickname}\n` : ''
  const warning = contact.keyChange != null ? `${keyChangeText({ name: displayName(contact) })}\n(\`gini contact accept-key\` or \`reject-key\`)\n` : ''
  ctx.out.data({ ...publicView(contact), vcard: contact.vcard }, header + warning + (contact.blocked === true ? 'Blocked.\n' : '') + contact.vcard.replace(/\r\n/g, '\n'))
}

type Edit = { method: 'renameContact', nickname: string } | { method: 'blockContact', blocked: boolean } | { method: 'deleteContact' } |
  { method: 'acceptKeyChange' | 'rejectKeyChange' }

/** Runs one §19 edit: through the running daemon when there is one, else on the locked data dir. */
async function applyEdit (ctx: CliContext, id: string, edit: Edit): Promise<unknown> {
  const client = await connectDaemon(ctx.dataDir)
  if (client != null) {
    try {
      const { method, ...params } = edit
      return await ask(client, method, { contact: id, ...params })
    } finally {
      client.close()
    }
  }
  const node = await ctx.node({ exclusive: true })
  switch (edit.method) {
    case 'renameContact': return await node.renameContact(id, edit.nickname)
    case 'blockContact': return await node.setContactBlocked(id, edit.blocked)
    case 'deleteContact': return { deleted: await node.deleteContact(id) }
    case 'acceptKeyChange': return keyChangeView(node, await node.acceptKeyChange(id))
    case 'rejectKeyChange': return keyChangeView(node, await node.rejectKeyChange(id))
  }
}

export async function renameCommand (ctx: CliContext, query: string, nickname: string): Promise<void> {
  const contact = await findContact(ctx, query)
  const nick = nickname.trim()
  if ([...nick].length > 64) throw new UsageError('A nickname is at most 64 characters.')
  await applyEdit(ctx, contact.id, { method: 'renameContact', nickname: nick })
  ctx.out.event({ event: 'renamed', id: contact.id, name: contact.name, nickname: nick === '' ? null : nick },
    nick === '' ? `${contact.name} has no nickname now.` : `${contact.name} is "${nick}" to you now (only on this device; they never see it).`)
}

export async function blockCommand (ctx: CliContext, query: string, blocked: boolean): Promise<void> {
  const contact = await findContact(ctx, query)
  await applyEdit(ctx, contact.id, { method: 'blockContact', blocked })
  ctx.out.event({ event: blocked ? 'blocked' : 'unblocked', id: contact.id, name: contact.name, blocked }, blocked
    ? `Blocked ${displayName(contact)}: their messages, files and connections are refused and they are not dialled. \`gini contact unblock\` undoes it.`
    : `Unblocked ${displayName(contact)}.`)
}

export async function deleteCommand (ctx: CliContext, query: string, opts: { yes?: boolean }): Promise<void> {
  const paired = await (await ctx.existingNode()).matchContacts(query)
  const manual = await matchManual(ctx, query)
  if (paired.length === 0 && manual.length > 0) {
    const m = oneContact(manual.map(x => ({ id: x.id, name: x.view.name })), query)
    if (opts.yes !== true) throw new UsageError(`Deleting the manual contact ${m.name} cannot be undone: pass --yes to confirm.`)
    await new FileStorage(ctx.dataDir).deleteManualContact(m.id)
    ctx.out.event({ event: 'deleted', id: m.id, name: m.name, kind: 'manual' }, `Deleted the manual contact ${m.name}.`)
    return
  }
  const contact = await findContact(ctx, query)
  if (opts.yes !== true) {
    if (ctx.json || process.stdin.isTTY !== true) throw new UsageError('Deleting a contact cannot be undone: pass --yes to confirm.')
    const rl = createInterface({ input: process.stdin, output: process.stdout })
    try {
      const answer = await rl.question(`Delete ${nameText(contact)} (${contact.id})? Your messages with them stay; pairing again is the only way back. [y/N] `, { signal: ctx.signal })
      if (!/^y(es)?$/i.test(answer.trim())) { ctx.out.event({ event: 'not-deleted', id: contact.id }, 'Not deleted.'); return }
    } finally {
      rl.close()
    }
  }
  await applyEdit(ctx, contact.id, { method: 'deleteContact' })
  ctx.out.event({ event: 'deleted', id: contact.id, name: contact.name }, `Deleted ${displayName(contact)}. Your messages with them stay on disk.`)
}

/** §18.1: `gini contact accept-key` (the new key replaces the old, verification dropped) or `reject-key`. */
export async function keyChangeCommand (ctx: CliContext, query: string, accept: boolean): Promise<void> {
  const contact = await findContact(ctx, query)
  const done = await applyEdit(ctx, contact.id, { method: accept ? 'acceptKeyChange' : 'rejectKeyChange' }) as { name: string, safetyNumber: string }
  const grouped = done.safetyNumber.match(/.{5}/g)?.join(' ') ?? done.safetyNumber
  ctx.out.event({ event: accept ? 'key-accepted' : 'key-rejected', id: contact.id, name: done.name, safetyNumber: done.safetyNumber, verified: accept ? false : contact.verified != null }, accept
    ? `Accepted the new key of ${displayName(contact)}. The safety number is now:\n  ${grouped}\nIt is no longer marked verified: compare it with them, then \`gini verify\`.`
    : `Rejected the new key of ${displayName(contact)}: the contact keeps its old key (safety number ${grouped}).`)
}
