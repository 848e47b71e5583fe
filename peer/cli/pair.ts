// `gini invite` and `gini accept <code>`: run one pairing and report each step.
import { normalizeFlashCode } from '../../protocols/crypto/index.js'
import type { PairingEvent } from '../core/pairing/events.js'
import type { CliContext } from './context.js'
import { describePairingEvent } from './output.js'

function reporter (ctx: CliContext) {
  return (e: PairingEvent): void => {
    ctx.out.event(e as PairingEvent & Record<string, unknown>, describePairingEvent(e))
  }
}

export async function inviteCommand (ctx: CliContext, opts: { long?: boolean }): Promise<void> {
  const relay = await ctx.relay()
  const node = await ctx.node({ exclusive: true })
  if (!ctx.json) process.stdout.write('Connecting to the relay…\n')
  await node.invite({ relay, codeLength: opts.long === true ? 10 : 8, signal: ctx.signal, onProgress: reporter(ctx) })
}

export async function acceptCommand (ctx: CliContext, code: string): Promise<void> {
  // §4.2: a malformed code is refused here, before the relay is even dialed.
  const fc = normalizeFlashCode(code)
  const relay = await ctx.relay()
  const node = await ctx.node({ exclusive: true })
  if (!ctx.json) process.stdout.write('Connecting to the relay…\n')
  await node.accept(fc, { relay, signal: ctx.signal, onProgress: reporter(ctx) })
}
