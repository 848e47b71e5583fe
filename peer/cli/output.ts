// One place that turns events into what the user sees: words on a terminal, or one JSON object a
// line with an `event` field for scripts (--json). Never prints a secret other than the user's own
// flash code, which is the point of `invite`.
import type { PairingEvent } from '../core/pairing/events.js'
import { describePairingEvent as describeProgress } from '../core/pairing/describe.js'
import { errorCodeFor } from './exit-codes.js'
import { flashCodeReadOut } from '../../protocols/crypto/flash-code-text.js'

export interface Output {
  json: boolean
  /** A JSON event line, or a sentence for people. */
  event(obj: Record<string, unknown> & { event: string }, human?: string): void
  /** Data for `contacts`/`contact`: printed as-is in JSON mode. */
  data(obj: unknown, human: string): void
  error(err: unknown): void
}

export function createOutput (json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Output {
  return {
    json,
    event (obj, human) {
      if (json) stdout.write(JSON.stringify(obj) + '\n')
      else if (human != null) stdout.write(human + '\n')
    },
    data (obj, human) {
      stdout.write(json ? JSON.stringify(obj) + '\n' : human + (human.endsWith('\n') ? '' : '\n'))
    },
    error (err) {
      const message = err instanceof Error ? err.message : String(err)
      if (json) stdout.write(JSON.stringify({ event: 'error', code: errorCodeFor(err), message }) + '\n')
      else stderr.write(`Error: ${message}\n`)
    }
  }
}

/** The words for each pairing step (human mode): the flash code and its read-out here, the rest shared with the web. */
export function describePairingEvent (e: PairingEvent): string | undefined {
  if (e.event !== 'flash-code') return describeProgress(e)?.text
  const until = new Date(e.expiresAt).toLocaleTimeString()
  const minutes = Math.max(1, Math.round((e.expiresAt - Date.now()) / 60_000))
  // The read-out line (docs/protocol.md §4.4) spells it with one word a symbol, for a call.
  return `\n  Your Flash Code:  ${e.code}\n  Say it as:        ${flashCodeReadOut(e.code)}\n\nRead it to your contact (by voice or another messenger).\nIt is valid for ${minutes} minute${minutes === 1 ? '' : 's'}, until ${until}.`
}
