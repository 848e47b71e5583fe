// `gini invite` and `gini accept <code>`: run one pairing and report each step.
import type { PairingEvent } from '../core/pairing/events.js'
import type { CliContext } from './context.js'
import { describePairingEvent } from './output.js'
import { ask, connectDaemon } from './daemon-link.js'

function reporter (ctx: CliContext) {
  return (e: PairingEvent): void => {
    ctx.out.event(e as PairingEvent & Record<string, unknown>, describePairingEvent(e))
  }
}

/** With a daemon running, the pairing runs in it (it owns the data dir and dials the new contact at once). */
async function viaDaemon (ctx: CliContext, method: 'invite' | 'accept', params: Record<string, unknown>): Promise<boolean> {
  const client = await connectDaemon(ctx.dataDir)
  if (client == null) return false
  try {
    if (!ctx.json) process.stdout.write('Pairing through your running daemon…\n')
    const onAbort = (): void => { client.close() }
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    await ask(client, method, params, reporter(ctx))
    ctx.signal.removeEventListener('abort', onAbort)
    return true
  } finally {
    client.close()
  }
}

export async function inviteCommand (ctx: CliContext, opts: { long?: boolean }): Promise<void> {
  if (await viaDaemon(ctx, 'invite', { long: opts.long === true })) return
  const relay = await ctx.relay()
  const node = await ctx.node({ exclusive: true })
  if (!ctx.json) process.stdout.write('Connecting to the relay…\n')
  await node.invite({ relay, codeLength: opts.long === true ? 10 : 8, signal: ctx.signal, onProgress: reporter(ctx) })
}

export async function acceptCommand (ctx: CliContext, code: string): Promise<void> {
  // §4.2: a malformed code is refused before the relay is even dialed, by the daemon when one runs
  // (this process then loads no crypto at all), else here.
  if (await viaDaemon(ctx, 'accept', { code })) return
  const { normalizeFlashCode } = await import('../../protocols/crypto/index.js')
  const fc = normalizeFlashCode(code)
  const relay = await ctx.relay()
  const node = await ctx.node({ exclusive: true })
  if (!ctx.json) process.stdout.write('Connecting to the relay…\n')
  await node.accept(fc, { relay, signal: ctx.signal, onProgress: reporter(ctx) })
}
