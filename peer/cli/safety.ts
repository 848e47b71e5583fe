// `gini safety-number <contact>` and `gini verify <contact>` (docs/protocol.md §18): the 60-digit
// number both contacts compute from their permanent keys, compared out of band, and the mark that
// the user did compare it.
import { createInterface } from 'node:readline/promises'
import { formatSafetyNumber, parseSafetyQrPayload, safetyQrPayload } from '../../protocols/crypto/index.js'
import type { GiniNode } from '../core/gini-node.js'
import type { ContactRecord } from '../core/storage.js'
import { displayName } from '../core/contact-names.js'
import { assertSafetyNumber, SafetyNumberMismatchError } from '../core/safety.js'
import type { CliContext } from './context.js'
import { UsageError } from './exit-codes.js'
import { ask, connectDaemon } from './daemon-link.js'
import { terminalQr } from './terminal-qr.js'

async function contactOf (node: GiniNode, nameOrId: string): Promise<ContactRecord> {
  const contact = await node.findContact(nameOrId)
  if (contact == null) throw new UsageError(`No single contact named or with id "${nameOrId}". See \`gini contacts\`.`)
  return contact
}

export async function safetyNumberCommand (ctx: CliContext, nameOrId: string): Promise<void> {
  // Read-only, like `gini contacts`: works beside a running daemon.
  const node = await ctx.existingNode()
  const contact = await contactOf(node, nameOrId)
  const number = node.safetyNumber(contact)
  const payload = safetyQrPayload(number)
  // The §18 payload as a QR for the other side to scan; human output only (--json carries `payload`).
  const qr = ctx.json ? '' : await safetyQrTerminal(payload)
  const human = [
    `Safety number with ${displayName(contact)}:`,
    '',
    `  ${formatSafetyNumber(number)}`,
    '',
    `Compare it with the one ${displayName(contact)} sees (\`gini safety-number\` on their side), in person or on a call.`,
    `If every digit is the same, run \`gini verify ${nameOrId}\`. If not, do not trust this contact's keys.`,
    '',
    'Or let them scan this code (the same number, docs/protocol.md §18):',
    qr
  ].join('\n')
  ctx.out.data({ id: contact.id, name: contact.name, number, payload, verified: contact.verified != null }, human)
}

/** A payload drawn as a QR code in terminal block characters. */
export async function safetyQrTerminal (payload: string): Promise<string> {
  return await terminalQr(payload)
}

/** The 60 digits of a number typed with or without spaces or dashes, or a UsageError. */
export function parseTypedSafetyNumber (text: string): string {
  const digits = text.replace(/[\s-]/g, '')
  if (!/^\d{60}$/.test(digits)) throw new UsageError('A safety number is 60 digits (12 groups of 5); spaces and dashes do not matter.')
  return digits
}

async function confirm (ctx: CliContext, question: string): Promise<boolean> {
  // In --json mode stdout carries JSON only: the question goes to stderr. No answer (input ended) is no.
  const rl = createInterface({ input: process.stdin, output: ctx.json ? process.stderr : process.stdout })
  const ended = new Promise<string>(resolve => rl.once('close', () => { resolve('') }))
  try {
    const answer = await Promise.race([rl.question(question, { signal: ctx.signal }), ended])
    return /^\s*y(es)?\s*$/i.test(answer)
  } finally {
    rl.close()
  }
}

export async function verifyCommand (ctx: CliContext, nameOrId: string, opts: { number?: string, payload?: string, yes?: boolean }): Promise<void> {
  if (opts.number != null && opts.payload != null) throw new UsageError('Give --number or --payload, not both.')
  let given: string | undefined
  if (opts.number != null) given = parseTypedSafetyNumber(opts.number)
  if (opts.payload != null) {
    const parsed = parseSafetyQrPayload(opts.payload)
    if (parsed instanceof Error) throw new UsageError(`${parsed.message}.`)
    given = parsed
  }
  // With a daemon running, it owns the data dir and stores the mark; otherwise this command locks it.
  const client = await connectDaemon(ctx.dataDir)
  try {
    const node = await ctx.existingNode({ exclusive: client == null })
    const contact = await contactOf(node, nameOrId)
    const number = node.safetyNumber(contact)
    if (given != null) {
      assertSafetyNumber(number, given)
    } else if (opts.yes !== true) {
      const out = ctx.json ? process.stderr : process.stdout
      out.write(`Safety number with ${displayName(contact)}:\n\n  ${formatSafetyNumber(number)}\n\n`)
      if (!await confirm(ctx, `Is it the same, every digit, as the one ${displayName(contact)} sees? Do the numbers match? [y/N] `)) {
        throw new SafetyNumberMismatchError(`Not confirmed: ${displayName(contact)} was not marked verified.`)
      }
    }
    const stored = client != null
      ? await ask<{ atMs: number }>(client, 'markVerified', { contact: contact.id, number })
      : (await node.markVerified(contact.id, number)).verified
    ctx.out.data(
      { id: contact.id, name: contact.name, verified: true, number, verifiedAt: new Date(stored?.atMs ?? Date.now()).toISOString() },
      `${displayName(contact)} is marked verified: the safety numbers match.`
    )
  } finally {
    client?.close()
  }
}
