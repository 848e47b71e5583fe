// `gini contacts` and `gini contact <name-or-id>`: read the contact book. Secrets never leave it.
import type { ContactRecord } from '../core/storage.js'
import { restoreStatusOf } from '../core/daemon/reachability.js'
import type { CliContext } from './context.js'
import { UsageError } from './exit-codes.js'

/** What a script may see of a contact: never the SharedSecret. */
function publicView (c: ContactRecord): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
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
    verified: c.verified != null
  }
}

/** The state column: the dark-orange dot is `unreachable` (§9.5); restore failures are spelled out. */
function stateText (c: ContactRecord): string {
  const restore = restoreStatusOf(c)
  return restore == null ? c.state : `${c.state} (restore ${restore === 'failed' ? 'failed' : 'keeps failing: pair again?'})`
}

export async function contactsCommand (ctx: CliContext): Promise<void> {
  // Read-only: an empty data dir says so instead of quietly creating an identity.
  const contacts = await (await ctx.existingNode()).contacts()
  const rows = contacts.map(c => [c.name, stateText(c), c.id, new Date(c.lastSeenMs).toLocaleString()])
  const header = ['NAME', 'STATE', 'ID', 'LAST SEEN']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
  const line = (r: string[]): string => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()
  const human = contacts.length === 0
    ? 'No contacts yet. Pair with someone: `gini invite` (or `gini accept <code>`).'
    : [line(header), ...rows.map(line)].join('\n')
  ctx.out.data(contacts.map(publicView), human)
}

export async function contactCommand (ctx: CliContext, nameOrId: string): Promise<void> {
  const contact = await (await ctx.existingNode()).findContact(nameOrId)
  if (contact == null) throw new UsageError(`No single contact named or with id "${nameOrId}". See \`gini contacts\`.`)
  ctx.out.data({ ...publicView(contact), vcard: contact.vcard }, contact.vcard.replace(/\r\n/g, '\n'))
}
