// A hijacked GSS for tests: a real relay node (createRelay) whose /gini/fc/1 is served by the
// product's FcRelay state machine behind a man-in-the-middle layer that may rewrite every frame the
// relay sends once a pairing is matched. Product code has no such hook; an honest relay is only
// ever the plain createRelay.
import { frameChannel, type FrameChannel } from '../../protocols/common/framing.js'
import { FC_FRAME_MAX_BYTES, FC_PROTOCOL } from '../../protocols/fc/constants.js'
import { FcRelay, type FcSide } from '../../protocols/fc/relay.js'
import { FcMessage } from '../../protocols/fc/pb/fc.js'
import { FC_MAX_INBOUND_STREAMS, FC_MAX_OUTBOUND_STREAMS } from '../../relay/constants.js'
import { remoteOf } from '../../relay/fc-service.js'
import { RateLimiter } from '../../relay/rate-limit.js'
import { createRelay, type Relay, type RelayOptions } from '../../relay/index.js'
import type { Connection, Stream } from '@libp2p/interface'

/**
 * Rewrites a frame on its way to the other side of `from`. It sees each side's `Matched` (for the
 * `Matched` sent to the joiner, `from` is 'creator', and vice versa) and every frame after it: the
 * forwarded messages and Errors, and the relay's own Errors (an honest rewrite returns those as
 * they are). `Created` and refusals, sent before a match, pass untouched.
 */
export type FcTamper = (from: FcSide, msg: FcMessage) => FcMessage

export interface TamperingRelayOptions extends RelayOptions {
  tamper: FcTamper
}

/**
 * createRelay with the same GSS settings (TTL, table bound, clock, rate limits, outcomes), but its
 * /gini/fc/1 handler replaced by one that frames each stream, passes it through the tamper layer
 * and hands it to an FcRelay. `fc.pendingCount` reads that FcRelay's table.
 */
export async function startTamperingRelay (options: TamperingRelayOptions): Promise<Relay> {
  const { tamper, ...relayOptions } = options
  const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'], ...relayOptions })
  const now = relayOptions.clock != null ? () => relayOptions.clock!.now() : Date.now
  const fc = new FcRelay({
    pairingTtlMs: relayOptions.pairingTtlMs,
    maxPendingPairings: relayOptions.maxPendingPairings,
    clock: relayOptions.clock,
    admission: relayOptions.rateLimit === false ? undefined : new RateLimiter(relayOptions.rateLimit ?? {}, now),
    onOutcome: relayOptions.onOutcome
  })
  // Nobody has the relay's address yet, so no stream can reach the honest handler in between.
  await relay.node.unhandle(FC_PROTOCOL)
  await relay.node.handle(FC_PROTOCOL, (stream: Stream, connection: Connection) => {
    void fc.handle(tampering(frameChannel(stream, FcMessage, FC_FRAME_MAX_BYTES), tamper), remoteOf(connection))
  }, { maxInboundStreams: FC_MAX_INBOUND_STREAMS, maxOutboundStreams: FC_MAX_OUTBOUND_STREAMS })
  return {
    ...relay,
    get multiaddrs () { return relay.multiaddrs },
    fc: { get pendingCount () { return fc.pendingCount } },
    crp: relay.crp,
    ice: relay.ice,
    async stop () {
      fc.close()
      await relay.stop()
    }
  }
}

/**
 * The relay's end of one stream, with the tamper between the relay and the wire. The side's role
 * is known from its opening frame; its recipient-facing `from` is the other role.
 */
export function tampering (ch: FrameChannel<FcMessage>, tamper: FcTamper): FrameChannel<FcMessage> {
  let role: FcSide | undefined
  let matched = false
  return {
    stream: ch.stream,
    async read (options) {
      const msg = await ch.read(options)
      if (role == null) role = msg.create != null ? 'creator' : msg.join != null ? 'joiner' : undefined
      return msg
    },
    async write (msg, options) {
      if (msg.matched != null) matched = true
      const out = matched && role != null ? tamper(role === 'creator' ? 'joiner' : 'creator', msg) : msg
      await ch.write(out, options)
    },
    async close () { await ch.close() },
    abort (err) { ch.abort(err) }
  }
}
