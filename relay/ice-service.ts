// `/gini/ice/1` as a libp2p service (`iceService(init) => (components) => new IceService(…)`, as
// js-libp2p's services): hands each peer the relay's STUN URLs and, when a TURN server and its
// shared secret are configured, a fresh short-lived TURN credential (docs/protocol.md §14). Glue
// only: the exchange is protocols/ice/relay.ts, the credential relay/turn-credentials.ts. Without
// configured servers it answers an empty list: peers then use no ICE servers at all, never public
// defaults.
import {
  iceChannel, ICE_CREDENTIAL_TTL_MS, ICE_PROTOCOL, ICE_MAX_FIELD_CHARS, ICE_MAX_URLS, ICE_URL_SCHEMES,
  ICE_MAX_TTL_MS, serveIceRequest, type IceServers
} from '../protocols/ice/index.js'
import { issueTurnCredential } from './turn-credentials.js'
import { ICE_MAX_INBOUND_STREAMS, ICE_MAX_OUTBOUND_STREAMS, ICE_STREAM_TIMEOUT_MS } from './constants.js'
import type { RelayServiceComponents } from './fc-service.js'
import type { Logger, Startable, Stream } from '@libp2p/interface'

export interface IceConfig {
  /** STUN URLs handed to every peer, e.g. `stun:turn.example.org:3478`. */
  stun?: string[]
  /** TURN URLs, e.g. `turn:turn.example.org:3478?transport=udp`; need `turnSecret`. */
  turn?: string[]
  /** coturn's `static-auth-secret` (use-auth-secret). Never logged, never sent. */
  turnSecret?: string
  /** Life of each TURN credential (default ICE_CREDENTIAL_TTL_MS). */
  turnTtlMs?: number
}

export interface IceServiceInit extends IceConfig {
  /** Wall clock for the credential timestamp (default Date.now); coturn compares it with its own. */
  now?: () => number
  random?: (n: number) => Uint8Array
  maxInboundStreams?: number
  maxOutboundStreams?: number
}

/** Throws a readable error for a configuration the relay must not start with. */
export function validateIceConfig (config: IceConfig): void {
  const stun = config.stun ?? []
  const turn = config.turn ?? []
  for (const url of stun) {
    if (!/^stuns?:/.test(url)) throw new Error(`--stun expects a stun: or stuns: URL, got "${url}"`)
  }
  for (const url of turn) {
    if (!/^turns?:/.test(url)) throw new Error(`--turn expects a turn: or turns: URL, got "${url}"`)
  }
  for (const url of [...stun, ...turn]) {
    if (url.length > ICE_MAX_FIELD_CHARS || !ICE_URL_SCHEMES.some(s => url.startsWith(s))) throw new Error(`ICE server URL too long or malformed: "${url.slice(0, 40)}…"`)
  }
  if (stun.length + turn.length > ICE_MAX_URLS) throw new Error(`at most ${ICE_MAX_URLS} STUN and TURN URLs in total`)
  if (turn.length > 0 && (config.turnSecret == null || config.turnSecret === '')) throw new Error('--turn needs --turn-secret (coturn\'s static-auth-secret)')
  if (turn.length === 0 && config.turnSecret != null && config.turnSecret !== '') throw new Error('--turn-secret given without a --turn URL')
  const ttl = config.turnTtlMs ?? ICE_CREDENTIAL_TTL_MS
  if (!Number.isSafeInteger(ttl) || ttl < 1000 || ttl > ICE_MAX_TTL_MS) throw new Error('--turn-ttl must be between 1s and 24h')
}

export class IceService implements Startable {
  readonly [Symbol.toStringTag] = 'gini:ice'
  private readonly components: RelayServiceComponents
  private readonly init: IceServiceInit
  private readonly log: Logger
  private served = 0

  constructor (components: RelayServiceComponents, init: IceServiceInit = {}) {
    validateIceConfig(init)
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('gini:relay:ice')
  }

  /** Replies sent since start (for metrics and tests; never labelled by peer). */
  get servedCount (): number {
    return this.served
  }

  /** What one request gets: STUN entry, TURN entry with a fresh credential, and the credential's life. */
  issue (): IceServers {
    const stun = this.init.stun ?? []
    const turn = this.init.turn ?? []
    const servers: IceServers['servers'] = []
    if (stun.length > 0) servers.push({ urls: stun, username: '', credential: '' })
    let ttlMs = 0
    let expiresAtMs = 0
    if (turn.length > 0 && this.init.turnSecret != null) {
      ttlMs = this.init.turnTtlMs ?? ICE_CREDENTIAL_TTL_MS
      const cred = issueTurnCredential(this.init.turnSecret, ttlMs, (this.init.now ?? Date.now)(), this.init.random)
      servers.push({ urls: turn, username: cred.username, credential: cred.credential })
      expiresAtMs = cred.expiresAtMs
    }
    return { servers, ttlMs: BigInt(ttlMs), expiresAtMs: BigInt(expiresAtMs) }
  }

  async start (): Promise<void> {
    await this.components.registrar.handle(ICE_PROTOCOL, (stream: Stream) => {
      const channel = iceChannel(stream)
      serveIceRequest(channel, () => this.issue(), { signal: AbortSignal.timeout(ICE_STREAM_TIMEOUT_MS) })
        .then(() => { this.served++ }, (err: Error) => {
          // Outcome only: no peer id, no credential (docs/protocol.md §11).
          this.log('ice request failed: %s', err.name)
          stream.abort(err)
        })
    }, {
      maxInboundStreams: this.init.maxInboundStreams ?? ICE_MAX_INBOUND_STREAMS,
      maxOutboundStreams: this.init.maxOutboundStreams ?? ICE_MAX_OUTBOUND_STREAMS
      // runOnLimitedConnection stays false: peers ask on their own direct link to the relay.
    })
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(ICE_PROTOCOL)
  }
}

export function iceService (init: IceServiceInit = {}): (components: RelayServiceComponents) => IceService {
  return (components) => new IceService(components, init)
}
