// `gini contact add --manual` and the manual contacts of docs/protocol.md §19 wherever the CLI
// names contacts: entered by hand, no key and no secret, so nothing is ever sent to them.
import { FileStorage } from '../adapters/file-storage.js'
import type { ManualContactRecord, ManualContactView } from '../core/manual-contacts.js'
import type { CliContext } from './context.js'
import { UsageError } from './exit-codes.js'
import { readPhoto } from './init.js'

export interface AddManualOptions { manual?: boolean, name?: string, email?: string, tel?: string, address?: string, payment?: string, photo?: string }

/** A send, chat, file or check aimed at a manual contact: nothing can reach or verify it. */
export class ManualContactError extends Error {
  constructor (name: string) {
    super(`${name} is a manual contact (entered by hand, not verified): there is no key to reach them with, so no messages, files or safety numbers. Pair with them (\`gini invite\`) to talk.`)
    this.name = 'ManualContactError'
  }
}

export async function manualContacts (ctx: CliContext): Promise<Array<ManualContactRecord & { view: ManualContactView }>> {
  const records = await new FileStorage(ctx.dataDir).listManualContacts()
  if (records.length === 0) return []
  const { manualContactView } = await import('../core/manual-contacts.js')
  return records.map(r => ({ ...r, view: manualContactView(r) }))
}

/** The manual contacts `query` names (the same rules as contact-names.ts matchContacts). */
export async function matchManual (ctx: CliContext, query: string): Promise<Array<ManualContactRecord & { view: ManualContactView }>> {
  const all = await manualContacts(ctx)
  const byId = all.filter(c => c.id === query)
  if (byId.length > 0) return byId
  const wanted = query.trim().toLocaleLowerCase()
  if (wanted === '') return []
  const exact = all.filter(c => c.view.name.toLocaleLowerCase() === wanted)
  if (exact.length > 0) return exact
  return all.filter(c => c.view.name.toLocaleLowerCase().startsWith(wanted) || c.id.startsWith(wanted))
}

/** Called where a paired contact was wanted and none matched: a manual one gets its own clear error. */
export async function refuseManual (ctx: CliContext, query: string): Promise<void> {
  const found = await matchManual(ctx, query)
  if (found.length > 0) throw new ManualContactError(found[0].view.name)
}

export async function addManualCommand (ctx: CliContext, opts: AddManualOptions): Promise<void> {
  if (opts.manual !== true) throw new UsageError('Paired contacts are added by pairing (`gini invite` / `gini accept`); to enter one by hand, use `gini contact add --manual --name N`.')
  if (opts.name == null || opts.name.trim() === '') throw new UsageError('A manual contact needs a name: --name "Their Name".')
  const storage = new FileStorage(ctx.dataDir)
  if (await storage.loadIdentity() == null) throw Object.assign(new Error(`No identity in ${ctx.dataDir} yet: create one with \`gini init --name "Your Name"\`.`), { name: 'IdentityMissingError' })
  const photo = opts.photo != null ? await readPhoto(opts.photo) : undefined
  const { buildManualVCard, manualContactView, newManualContactId } = await import('../core/manual-contacts.js')
  let vcard: string
  try {
    vcard = buildManualVCard({ name: opts.name, email: opts.email, tel: opts.tel, address: opts.address, payment: opts.payment, photo }, Date.now())
  } catch (err) {
    throw new UsageError(`Cannot make a card of that: ${(err as Error).message}`)
  }
  const record = { id: newManualContactId(), vcard }
  await storage.putManualContact(record)
  const view = manualContactView(record)
  ctx.out.event({ event: 'manual-contact-added', ...view }, `Added ${view.name} as a manual contact (${record.id}): kept on this device only, not verified, and never sent anything.`)
}
