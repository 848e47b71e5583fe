// One pairing, end to end (PROTOCOL.md §3–§5): a fresh libp2p identity dials the relay, runs
// /gini/fc/1, connects to the verified peer (direct WebRTC, relayed fallback), exchanges contact
// cards and the first SharedSecret, and is thrown away. The caller stores the outcome.
import type { Libp2p } from 'libp2p'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import {
  generateFlashCode, formatFlashCode, flashCodeLookup, sodium, type X25519KeyPair, type PairingRole
} from '../../../protocols/crypto/index.js'
import {
  FlashCodeInUseError, GiniError, RelayUnreachableError, UnreachableError
} from '../../../protocols/common/errors.js'
import { frameChannel } from '../../../protocols/common/framing.js'
import { systemClock, type Clock } from '../../../protocols/common/clock.js'
import { FcPeer } from '../../../protocols/fc/peer.js'
import { FcMessage } from '../../../protocols/fc/pb/fc.js'
import { FC_PROTOCOL, FC_FRAME_MAX_BYTES } from '../../../protocols/fc/constants.js'
import { exchangeContactCards, type ReceivedCard, type OwnCard } from '../../../protocols/contact/index.js'
import { ContactMessage } from '../../../protocols/contact/pb/contact.js'
import { CONTACT_PROTOCOL, CONTACT_FRAME_MAX_BYTES } from '../../../protocols/contact/constants.js'
import { runSessionInitiator, runSessionResponder, type SessionResult } from '../../../protocols/session/index.js'
import { SessionMessage } from '../../../protocols/session/pb/session.js'
import { SESSION_PROTOCOL, SESSION_FRAME_MAX_BYTES } from '../../../protocols/session/constants.js'
import type { CreatePeerNode, PeerNodeOptions } from '../peer-node.js'
import { connectToVerifiedPeer, WEBRTC_ATTEMPT_TIMEOUTS_MS } from '../dial-peer.js'
import { describeConnection } from './connection-path.js'
import { IceServerSource, relayIceFetch } from '../ice-servers.js'
import { InboundPairingStreams } from './inbound-streams.js'
import { dialRelay, waitForCircuitAddrs, RELAY_DIAL_TIMEOUT_MS } from '../relay-slot.js'
import { withTimeout } from '../signals.js'
import type { PairingEvent } from './events.js'

/** How long the creator waits for the joiner's connection once the answer is in. */
export const PEER_CONNECT_TIMEOUT_MS = 30_000
/** Contact sync (§4) and the first session (§5), each. */
export const SYNC_STEP_TIMEOUT_MS = 30_000
/** §3: the creator retries FLASH_CODE_IN_USE with a fresh code at most 5 times (6 Creates in all). */
export const MAX_CREATE_RETRIES = 5
/** After a failed dial, how long the joiner waits for the relay to say the creator left (it is ms behind). */
export const RELAY_VERDICT_GRACE_MS = 500

export interface PairingSelf {
  vcard: string
  ppk: X25519KeyPair
  peerId: PeerId
  /** The long-term Ed25519 key of `peerId` (libsodium's 64-byte secret key): signs the card's peer id. */
  signingKey: Uint8Array
  /** The long-term addresses to put on our card, given the relay we reached. */
  cardAddrs(relayAddr: Multiaddr): Multiaddr[]
}

export interface PairingContext {
  createPeerNode: CreatePeerNode
  relay: Multiaddr
  self: PairingSelf
  clock?: Clock
  signal?: AbortSignal
  onProgress?: (event: PairingEvent) => void
  webrtcAttemptTimeoutsMs?: number[]
  /** The random source of flash codes (tests inject one to force a lookup collision). */
  newFlashCode?: (length: 8 | 10) => string
  /** WebRTC settings of the pairing identity (ICE servers; no public defaults). */
  webrtc?: Pick<PeerNodeOptions, 'iceServers' | 'iceTransportPolicy'>
  /** The caller's verdict on the other's verified card (e.g. a changed key): throw InvalidCardError to refuse it. */
  checkCard?: (card: ReceivedCard) => void | Promise<void>
}

export interface PairingOutcome {
  role: PairingRole
  card: ReceivedCard
  session: SessionResult
  direct: boolean
  remoteAddr: string
}

/** Creator (role A): make a code, wait for the joiner, pair. */
export async function runCreator (ctx: PairingContext, codeLength: 8 | 10 = 8): Promise<PairingOutcome> {
  return await withRelaySession(ctx, async (rs) => {
    let peer: FcPeer | undefined
    let code = ''
    let expiresAtMs = 0
    for (let attempt = 1; peer == null; attempt++) {
      const fc = (ctx.newFlashCode ?? generateFlashCode)(codeLength)
      const candidate = await rs.openFcPeer('A', fc)
      try {
        expiresAtMs = (await candidate.create(ctx.signal)).expiresAtMs
        peer = candidate
        code = formatFlashCode(fc)
      } catch (err) {
        // §2: a live lookup collision; draw a new code silently before showing any.
        if (!(err instanceof FlashCodeInUseError) || attempt > MAX_CREATE_RETRIES) throw err
      }
    }
    const inbound = new InboundPairingStreams(rs.node)
    rs.onStop(() => { inbound.stop() })
    await inbound.start()
    ctx.onProgress?.({ event: 'flash-code', code, expiresAt: expiresAtMs })
    ctx.onProgress?.({ event: 'waiting', for: 'peer' })
    await peer.awaitMatched(ctx.signal)
    ctx.onProgress?.({ event: 'matched' })
    await peer.verify(ctx.signal)
    ctx.onProgress?.({ event: 'verified' })
    const joiner = await peer.exchangePeerInfo({ peerId: rs.node.peerId, multiaddrs: await rs.circuitAddrs }, ctx.signal)
    inbound.expect(joiner.peerId)
    const relayClosed = settle(peer.awaitRelayClose(ctx.signal))

    ctx.onProgress?.({ event: 'waiting', for: 'connection' })
    const contactIn = await raceRelay(relayClosed, inbound.contact(stepSignal(ctx, PEER_CONNECT_TIMEOUT_MS)))
      .catch(async (err) => await failPairing(peer!, err))
    await peer.done()
    const { direct, path, candidates } = await describeConnection(contactIn.connection)
    const remoteAddr = contactIn.connection.remoteAddr.toString()
    ctx.onProgress?.({ event: 'connected', direct, path, remoteAddr, ...(candidates != null ? { candidates } : {}) })

    const card = await syncContact(ctx, peer, 'A', contactIn.stream, rs)
    const sessionIn = await raceRelay(relayClosed, inbound.session(stepSignal(ctx, SYNC_STEP_TIMEOUT_MS)))
    const channel = frameChannel(sessionIn.stream, SessionMessage, SESSION_FRAME_MAX_BYTES)
    const signal = stepSignal(ctx, SYNC_STEP_TIMEOUT_MS)
    const first = await channel.read({ signal })
    const session = await runSessionResponder(channel, first, {
      ppk: ctx.self.ppk, peerPPK: card.ppk, multiaddrs: [], signal
    })
    // The joiner sends Done only after its session completed, so the relay's close means it has
    // everything: the pairing identity can go at once, no waiting for the joiner to hang up.
    await relayClosed.result()
    return { role: 'A', card, session, direct, remoteAddr }
  })
}

/** Joiner (role B): enter the creator's code, pair. `fc` is already normalized. */
export async function runJoiner (ctx: PairingContext, fc: string): Promise<PairingOutcome> {
  return await withRelaySession(ctx, async (rs) => {
    const peer = await rs.openFcPeer('B', fc)
    ctx.onProgress?.({ event: 'waiting', for: 'match' })
    await peer.join(ctx.signal)
    ctx.onProgress?.({ event: 'matched' })
    await peer.verify(ctx.signal)
    ctx.onProgress?.({ event: 'verified' })
    const creator = await peer.exchangePeerInfo({ peerId: rs.node.peerId, multiaddrs: await rs.circuitAddrs }, ctx.signal)

    ctx.onProgress?.({ event: 'waiting', for: 'connection' })
    // From here the relay only speaks to report the creator gone (PEER_LEFT) or to close after
    // both Done: watch it while dialing, so a creator who left ends the dial at once (issue 5).
    const relayClosed = settle(peer.awaitRelayClose(ctx.signal))
    const relayVerdict = new AbortController()
    relayClosed.failed.catch((err: unknown) => { relayVerdict.abort(err) })
    const dialing = connectToVerifiedPeer(rs.node, creator, {
      signal: ctx.signal != null ? AbortSignal.any([ctx.signal, relayVerdict.signal]) : relayVerdict.signal,
      attemptTimeoutsMs: ctx.webrtcAttemptTimeoutsMs ?? WEBRTC_ATTEMPT_TIMEOUTS_MS,
      // A refused TURN credential (clock skew, rotated secret) must not be reused by the retry.
      onWebRtcAttemptFailed: () => { rs.ice.invalidate() }
    })
    dialing.catch(() => {})
    const connected = await raceRelay(relayClosed, dialing)
    if (connected == null) {
      // A creator who left also makes the dial fail; the relay's PEER_LEFT, just behind, says why.
      await raceRelay(relayClosed, new Promise(resolve => setTimeout(resolve, RELAY_VERDICT_GRACE_MS)))
      return await peer.fail(new UnreachableError())
    }
    const { connection } = connected
    const { direct, path, candidates } = await describeConnection(connection)
    const remoteAddr = connection.remoteAddr.toString()
    ctx.onProgress?.({ event: 'connected', direct, path, remoteAddr, ...(candidates != null ? { candidates } : {}) })

    const streamOpts = { runOnLimitedConnection: connection.limits != null }
    const contactStream = await connection.newStream(CONTACT_PROTOCOL, { ...streamOpts, signal: stepSignal(ctx, SYNC_STEP_TIMEOUT_MS) })
    const card = await syncContact(ctx, peer, 'B', contactStream, rs)
    const sessionStream = await connection.newStream(SESSION_PROTOCOL, { ...streamOpts, signal: stepSignal(ctx, SYNC_STEP_TIMEOUT_MS) })
    const session = await runSessionInitiator(frameChannel(sessionStream, SessionMessage, SESSION_FRAME_MAX_BYTES), {
      ppk: ctx.self.ppk,
      peerPPK: card.ppk,
      multiaddrs: [],
      atMs: (ctx.clock ?? systemClock).now(),
      signal: stepSignal(ctx, SYNC_STEP_TIMEOUT_MS)
    })
    // Done after our session, not at connect time: it tells the creator (through the relay's close)
    // that we hold its card and the SharedSecret, so it can retire its identity at once.
    await peer.done()
    await relayClosed.result()
    return { role: 'B', card, session, direct, remoteAddr }
  })
}

/** §4 on the given stream; the card's binding key comes from this pairing's CPace. */
async function syncContact (ctx: PairingContext, peer: FcPeer, role: PairingRole, stream: Stream, rs: RelaySession): Promise<ReceivedCard> {
  const own: OwnCard = {
    vcard: ctx.self.vcard,
    ppk: ctx.self.ppk.publicKey,
    peerId: ctx.self.peerId.toMultihash().bytes,
    multiaddrs: ctx.self.cardAddrs(rs.relayAddr).map(ma => ma.bytes),
    signingKey: ctx.self.signingKey
  }
  ctx.onProgress?.({ event: 'syncing' })
  return await exchangeContactCards(frameChannel(stream, ContactMessage, CONTACT_FRAME_MAX_BYTES), {
    role, kContact: peer.contactKey, own, checkCard: ctx.checkCard, signal: stepSignal(ctx, SYNC_STEP_TIMEOUT_MS)
  })
}

interface RelaySession {
  node: Libp2p
  relayConnection: Connection
  /** The relay's address including /p2p/<relay id>. */
  relayAddr: Multiaddr
  /** Our /p2p-circuit addresses through the relay, WebRTC first (resolves once reserved). */
  circuitAddrs: Promise<Multiaddr[]>
  /** ICE servers of this identity: configured ones plus the relay's (PROTOCOL.md §14). */
  ice: IceServerSource
  openFcPeer(role: PairingRole, fc: string): Promise<FcPeer>
  onStop(fn: () => void): void
}

/** Starts a fresh pairing identity, connects it to the relay, runs `work`, always stops the node. */
async function withRelaySession<T> (ctx: PairingContext, work: (rs: RelaySession) => Promise<T>): Promise<T> {
  // Every RTCPeerConnection of this identity asks `ice` for its servers, so the relay's TURN
  // credentials (fetched below, refreshed before they expire) reach the dialer and the listener alike.
  const ice = new IceServerSource({ configured: ctx.webrtc?.iceServers, clock: ctx.clock })
  const node = await ctx.createPeerNode({ ...ctx.webrtc, iceServersProvider: async () => await ice.servers() })
  const stopHooks: Array<() => void> = []
  try {
    const relayConnection = await dialRelay(node, ctx.relay, ctx.signal)
    const relayPeer = relayConnection.remotePeer
    const relayId = relayPeer.toMultihash().bytes
    const relayAddr = ctx.relay.toString().includes('/p2p/') ? ctx.relay : ctx.relay.encapsulate(`/p2p/${relayPeer.toString()}`)
    const circuitAddrs = waitForCircuitAddrs(node, relayPeer, ctx.signal)
    circuitAddrs.catch(() => {})
    // Asked now, in the background, on the relay connection: ready long before the WebRTC dial.
    ice.useRelay(relayIceFetch(node, relayAddr))
    const rs: RelaySession = {
      node,
      relayConnection,
      relayAddr,
      circuitAddrs,
      ice,
      onStop: (fn) => { stopHooks.push(fn) },
      openFcPeer: async (role, fc) => {
        const stream = await relayConnection.newStream(FC_PROTOCOL, { signal: withTimeout(ctx.signal, RELAY_DIAL_TIMEOUT_MS) })
          .catch((err: unknown) => { throw new RelayUnreachableError('The relay does not offer GiniConnect pairing (GSS).', { cause: err }) })
        const peer = new FcPeer({
          channel: frameChannel(stream, FcMessage, FC_FRAME_MAX_BYTES),
          role,
          fc,
          relayId,
          lookup: flashCodeLookup(relayId, fc),
          clock: ctx.clock,
          randomBytes: (n) => sodium.randombytes_buf(n)
        })
        stopHooks.push(() => { peer.dispose() })
        return peer
      }
    }
    return await work(rs)
  } finally {
    for (const hook of stopHooks) hook()
    // Every exchange has finished (or failed) by now, so nothing is in flight: a graceful close of a
    // WebRTC connection only adds ~0.5 s of waiting for data-channel FIN_ACKs (measured).
    for (const connection of node.getConnections()) connection.abort(new Error('pairing identity retired'))
    await Promise.resolve(node.stop()).catch(() => {})
  }
}


/** A promise whose rejection is observed now and re-thrown when `result()` is awaited. */
function settle (p: Promise<void>): { result(): Promise<void>, failed: Promise<never> } {
  let failure: unknown
  let failed = false
  const done = p.catch((err) => { failed = true; failure = err })
  return {
    result: async () => { await done; if (failed) throw failure },
    failed: done.then(() => { if (failed) throw failure; return new Promise<never>(() => {}) })
  }
}

/** Whatever the relay stream reports (a forwarded Error) wins over waiting for the peer. */
async function raceRelay<T> (relay: { failed: Promise<never> }, work: Promise<T>): Promise<T> {
  return await Promise.race([work, relay.failed])
}

async function failPairing (peer: FcPeer, err: unknown): Promise<never> {
  if (err instanceof GiniError) return await peer.fail(err)
  if (err instanceof Error && err.name === 'TimeoutError') return await peer.fail(new UnreachableError())
  throw err
}

function stepSignal (ctx: PairingContext, ms: number): AbortSignal {
  return withTimeout(ctx.signal, ms)
}

