// The status events a pairing reports (STYLE.md: one plain stream, never a secret except the
// creator's own code, which is shown to its user). The CLI's words, its --json lines and the web UI
// are all made from these.
export type ConnectionPath = 'direct' | 'relayed'

export type PairingEvent =
  | { event: 'flash-code', code: string, expiresAt: number }
  | { event: 'waiting', for: 'peer' | 'match' | 'connection' }
  | { event: 'matched' }
  | { event: 'verified' }
  | { event: 'connected', direct: boolean, path: ConnectionPath, remoteAddr: string }
  | { event: 'syncing' }
  | { event: 'contact-added', id: string, name: string }
