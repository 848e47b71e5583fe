// `gini invite` and `gini accept <code>`: run one pairing and report each step.
import type { PairingEvent } from '../core/pairing/events.js'
import type { CliContext } from './context.js'
import { describePairingEvent } from './output.js'
import { ask, connectDaemon } from './daemon-link.js'
// The text side of Flash Codes only (docs/protocol.md §4.4): no libsodium, so a pairing through the
// daemon still loads none in this process.
import { flashCodeQrPayload, flashCodeReadOut, readFlashCode } from '../../protocols/crypto/flash-code-text.js'

interface Reporter {
  report: (e: PairingEvent) => void
  /** Resolves once every event reported so far is printed. */
  flushed: () => Promise<void>
}

/**
 * Prints each event in order. The shown code also gets its QR payload and read-out line (§4.4), in
 * --json as the fields `payload` and `readOut`, and with `qr` its QR code drawn for a camera (which
 * is async: later events wait their turn).
 */
function reporter (ctx: CliContext, qr = false): Reporter {
  let queue = Promise.resolve()
  const print = async (e: PairingEvent): Promise<void> => {
    if (e.event !== 'flash-code') {
      ctx.out.event(e as PairingEvent & Record<string, unknown>, describePairingEvent(e))
      return
    }
    const shown = { ...e, payload: flashCodeQrPayload(e.code), readOut: flashCodeReadOut(e.code) }
    let human = describePairingEvent(e)
    if (qr && !ctx.json) {
      const { terminalQr } = await import('./terminal-qr.js')
      human += `\n\nOr let them scan it (GiniConnect: Enter a code, then Scan a code):\n${await terminalQr(shown.payload)}`
    }
    ctx.out.event(shown, human)
  }
  return {
    report: (e) => { queue = queue.then(async () => { await print(e) }) },
    flushed: async () => { await queue }
  }
}

/** With a daemon running, the pairing runs in it (it owns the data dir and dials the new contact at once). */
async function viaDaemon (ctx: CliContext, method: 'invite' | 'accept', params: Record<string, unknown>, r: Reporter): Promise<boolean> {
  const client = await connectDaemon(ctx.dataDir)
  if (client == null) return false
  try {
    if (!ctx.json) process.stdout.write('Pairing through your running daemon…\n')
    const onAbort = (): void => { client.close() }
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    await ask(client, method, params, r.report)
    ctx.signal.removeEventListener('abort', onAbort)
    return true
  } finally {
    client.close()
  }
}

export async function inviteCommand (ctx: CliContext, opts: { long?: boolean, qr?: boolean }): Promise<void> {
  const r = reporter(ctx, opts.qr === true)
  try {
    if (await viaDaemon(ctx, 'invite', { long: opts.long === true }, r)) return
    const relay = await ctx.relay()
    const node = await ctx.node({ exclusive: true })
    if (!ctx.json) process.stdout.write('Connecting to the relay…\n')
    await node.invite({ relay, codeLength: opts.long === true ? 10 : 8, signal: ctx.signal, onProgress: r.report })
  } finally {
    await r.flushed()
  }
}

export async function acceptCommand (ctx: CliContext, code: string): Promise<void> {
  // §4.2, §4.4: the code as typed, or a QR payload (`GINI:FC/…`) pasted; a malformed one is refused
  // before the relay is even dialed, here (this process then loads no crypto at all), and again by
  // the node that runs the pairing.
  const fc = readFlashCode(code)
  const r = reporter(ctx)
  try {
    if (await viaDaemon(ctx, 'accept', { code: fc }, r)) return
    const relay = await ctx.relay()
    const node = await ctx.node({ exclusive: true })
    if (!ctx.json) process.stdout.write('Connecting to the relay…\n')
    await node.accept(fc, { relay, signal: ctx.signal, onProgress: r.report })
  } finally {
    await r.flushed()
  }
}
