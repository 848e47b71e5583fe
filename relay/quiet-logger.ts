// libp2p's component logger for the relay, without the cost of loggers nobody reads. libp2p makes
// a new logger (three `debug` instances) for every connection, stream, upgrade and handshake
// scope, ≈ 10 per pairing connection, and by default all of them are off. Here a name whose
// namespaces are all off when the logger is made gets one shared no-op logger; a name that DEBUG
// enables gets @libp2p/logger's. DEBUG is read once at start (a later `enable()` reaches only
// loggers made after it).
import { defaultLogger, enabled } from '@libp2p/logger'
import type { ComponentLogger, Logger } from '@libp2p/interface'

const noop = (): void => {}

function quietLogger (name: string, fallback: ComponentLogger): Logger {
  if (enabled(name) || enabled(`${name}:error`) || enabled(`${name}:trace`)) return fallback.forComponent(name)
  return Object.assign(noop.bind(null), {
    enabled: false,
    error: noop,
    trace: noop,
    // A scope may be enabled while its parent is not (DEBUG=libp2p:noise:xxhandshake).
    newScope: (scope: string) => quietLogger(`${name}:${scope}`, fallback)
  })
}

export function relayLogger (): ComponentLogger {
  const fallback = defaultLogger()
  return { forComponent: (name) => quietLogger(name, fallback) }
}
