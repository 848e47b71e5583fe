// The GSS as a libp2p service (`fcService(init) => (components) => new FcService(…)`, as
// js-libp2p's services): registers /gini/fc/1 and hands each stream, framed, to the pure state
// machine in protocols/fc/relay.ts. Glue only: no protocol decisions here.
import { getNetConfig } from '@libp2p/utils'
import { fcChannel, FC_PROTOCOL, FcRelay, type FcRelayInit, type FcRemote } from '../protocols/fc/index.js'
import { FC_MAX_INBOUND_STREAMS, FC_MAX_OUTBOUND_STREAMS } from './constants.js'
import type { ComponentLogger, Connection, Logger, Startable, Stream, StreamHandler, StreamHandlerOptions } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface FcServiceInit extends FcRelayInit {
  maxInboundStreams?: number
  maxOutboundStreams?: number
}

/** The part of libp2p's registrar this service uses (the full type lives in an internal package). */
export interface RelayServiceComponents {
  registrar: {
    handle(protocol: string, handler: StreamHandler, options?: StreamHandlerOptions): Promise<void>
    unhandle(protocol: string): Promise<void>
  }
  logger: ComponentLogger
}

export class FcService implements Startable {
  readonly [Symbol.toStringTag] = 'gini:fc'
  private readonly components: RelayServiceComponents
  private readonly init: FcServiceInit
  private readonly log: Logger
  private relay?: FcRelay

  constructor (components: RelayServiceComponents, init: FcServiceInit = {}) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('gini:relay:fc')
  }

  /** Live NewConnections rows. */
  get pendingCount (): number {
    return this.relay?.pendingCount ?? 0
  }

  async start (): Promise<void> {
    // Outcomes only: a lookup or sid never reaches a log line (docs/protocol.md §11).
    this.relay = new FcRelay({ ...this.init, onOutcome: (o) => { this.log('pairing %s', o); this.init.onOutcome?.(o) } })
    const relay = this.relay
    await this.components.registrar.handle(FC_PROTOCOL, (stream: Stream, connection: Connection) => {
      void relay.handle(fcChannel(stream), remoteOf(connection))
    }, {
      maxInboundStreams: this.init.maxInboundStreams ?? FC_MAX_INBOUND_STREAMS,
      maxOutboundStreams: this.init.maxOutboundStreams ?? FC_MAX_OUTBOUND_STREAMS
      // runOnLimitedConnection stays false: /gini/fc/1 runs on the peer's direct link to the relay.
    })
  }

  /** docs/protocol.md §22.1 drain: new Creates get RELAY_SHUTTING_DOWN, live pairings finish; resolves when none is left or after `ms`. */
  async stopCreates (ms: number): Promise<void> {
    await this.relay?.stopCreates(ms)
  }

  /** Stops taking new streams and ends the live ones with RELAY_SHUTTING_DOWN, within `ms` (docs/protocol.md §10). */
  async drain (ms: number): Promise<void> {
    await this.components.registrar.unhandle(FC_PROTOCOL)
    await this.relay?.drain(ms)
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(FC_PROTOCOL)
    this.relay?.close()
  }
}

export function fcService (init: FcServiceInit = {}): (components: RelayServiceComponents) => FcService {
  return (components) => new FcService(components, init)
}

/** Rate-limit keys of a connection (docs/protocol.md §6.5, item 9): its peer id, its IP bucket key and its IP address. */
export function remoteOf (connection: Connection): FcRemote {
  return { peer: connection.remotePeer.toString(), ip: ipKey(connection.remoteAddr), host: hostOf(connection.remoteAddr) }
}

/** The IP address of a multiaddr as text; none for other kinds (e.g. a circuit). */
export function hostOf (addr: Multiaddr): string | undefined {
  try {
    const net = getNetConfig(addr)
    if (net.type === 'ip4' || net.type === 'ip6') return net.host
  } catch {}
  return undefined
}

/** The per-IP bucket key of an address: the IPv4 address, or the IPv6 /64; none for other kinds. */
export function ipKey (addr: Multiaddr): string | undefined {
  try {
    const net = getNetConfig(addr)
    if (net.type === 'ip4') return net.host
    // One IPv6 subscriber usually holds a whole /64, so per-address buckets would be free to dodge.
    if (net.type === 'ip6') return ip6Prefix64(net.host)
  } catch {}
  return undefined
}

function ip6Prefix64 (host: string): string {
  const [head, tail = ''] = host.split('%')[0].split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === '' ? [] : tail.split(':')
  const groups = host.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left
  return groups.slice(0, 4).map(g => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':') + '::/64'
}
