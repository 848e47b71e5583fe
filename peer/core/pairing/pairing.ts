// One pairing, end to end (docs/protocol.md §6–§8): a fresh libp2p identity dials the relay, runs
// /gini/fc/1, connects to the verified peer (direct WebRTC, relayed fallback), exchanges contact
// cards and the first SharedSecret, and is thrown away. The caller stores the outcome.
import type { Libp2p } from 'libp2p'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import {
  generateFlashCode, formatFlashCode, flashCodeLookup, sodium, type X25519KeyPair, type PairingRole
} from '../../../protocols/crypto/index.js'
import {
  FlashCodeInUseError, GiniError, InvalidCardError, NoMatchingFlashCodeError, RelayShuttingDownError, RelayUnreachableError,
  UnreachableError, systemClock, type Clock
} from '../../../protocols/common/index.js'
import { fcChannel, FcPeer, FC_PROTOCOL, type FcStep } from '../../../protocols/fc/index.js'
import {
  contactChannel, exchangeContactCards, type ReceivedCard, type OwnCard, CONTACT_PROTOCOL
} from '../../../protocols/contact/index.js'
import {
  sessionChannel, runSessionInitiator, runSessionResponder, type SessionResult, SESSION_PROTOCOL
} from '../../../protocols/session/index.js'
import type { CreatePeerNode, PeerNodeOptions } from '../peer-node.js'
import { connectToVerifiedPeer, WEBRTC_ATTEMPT_TIMEOUTS_MS } from '../dial-peer.js'
import { describeConnection } from './connection-path.js'
import { IceServerSource, relayIceFetch } from '../ice-servers.js'
import { InboundPairingStreams } from './inbound-streams.js'
import { dialRelay, waitForCircuitAddrs, RELAY_DIAL_TIMEOUT_MS } from '../relay-slot.js'
import { withTimeout } from '../signals.js'
import type { PairingEvent } from './events.js'
import { chooseRelays, fetchRelayList, rememberList, type FetchedList, type KnownRelays } from './relay-choice.js'

/** How long the creator waits for the joiner's connection once the answer is in. */
export const PEER_CONNECT_TIMEOUT_MS = 30_000
/** Contact sync (§7) and the first session (§8), each. */
export const SYNC_STEP_TIMEOUT_MS = 30_000
/** §6.6: the creator retries FLASH_CODE_IN_USE with a fresh code at most 5 times (6 Creates in all). */
export const MAX_CREATE_RETRIES = 5
/** How long a refused card's Error frame gets to reach the other side before the pairing ends. */
export const REFUSAL_DELIVERY_MS = 1_000
/** After a failed dial, how long the joiner waits for the relay to say the creator left (it is ms behind). */
export const RELAY_VERDICT_GRACE_MS = 500
/**
 * §22.2: codes the creator draws, at most, to find one whose top relay has not failed it yet in
 * this pairing (with one relay of N down, each draw misses with probability 1/N).
 */
export const MAX_CODE_DRAWS = 64

export interface PairingSelf {
  vcard: string
  ppk: X25519KeyPair
  peerId: PeerId
  /** The long-term Ed25519 key of `peerId` (libsodium's 64-byte secret key): signs the card's peer id. */
  signingKey: Uint8Array
  /** The long-term addresses to put on our card, given the relay we reached. */
  cardAddrs(relayAddr: Multiaddr): Multiaddr[]
}

/** WebRTC settings of the pairing identity (ICE servers; no public defaults). */
export type PairingWebRtc = Pick<PeerNodeOptions, 'iceServers' | 'iceTransportPolicy'>

/** The random source of flash codes (tests inject one to force a lookup collision). */
export type NewFlashCode = (length: 8 | 10) => string

/** What it takes to start a pairing identity and reach the relay (withPairingNode). */
export interface RelaySessionInit {
  createPeerNode: CreatePeerNode
  /** The configured relay: the relay list is asked for there (§22.1), and our card names it. */
  relay: Multiaddr
  clock?: Clock
  webrtc?: PairingWebRtc
  /** §22.2: relays remembered from an earlier list (asked when `relay` cannot be reached), and where a new list goes. */
  knownRelays?: KnownRelays
}

/** One pairing as GiniNode starts it; runCreator/runJoiner hand each helper only what it uses. */
export interface PairingInit extends RelaySessionInit {
  self: PairingSelf
  signal?: AbortSignal
  onProgress?: (event: PairingEvent) => void
  /** Joiner: per-attempt deadlines of the WebRTC upgrade (see dial-peer.ts). */
  webrtcAttemptTimeoutsMs?: number[]
  /** Creator: default libsodium's CSPRNG. */
  newFlashCode?: NewFlashCode
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
export async function runCreator (init: PairingInit, codeLength: 8 | 10 = 8): Promise<PairingOutcome> {
  const { self, signal } = init
  const report = init.onProgress ?? (() => {})
  const newFlashCode = init.newFlashCode ?? generateFlashCode
  return await withPairingNode(init, signal, async (pn) => {
    // Handlers first, so the code is shown only once the joiner's streams can land (they are
    // refused until expect() names the verified peer).
    const inbound = new InboundPairingStreams(pn.node)
    pn.onStop(() => { inbound.stop() })
    await inbound.start()
    // §22.2: the code picks the relay. A relay that cannot be reached, is shutting down or holds a
    // colliding lookup costs a new code (the user has seen none yet), not a fallback: the joiner
    // will rank the same list and go to that code's top relay.
    const list = await pn.relayList()
    const failedRelays = new Set<string>()
    let peer: FcPeer | undefined
    let rs: RelaySession | undefined
    for (let attempt = 1; peer == null; attempt++) {
      const { fc, relays, lookupBits } = drawCode(newFlashCode, codeLength, list, failedRelays)
      const code = formatFlashCode(fc)
      let session: RelaySession
      let candidate: FcPeer
      try {
        session = rs = await pn.session(relays[0])
        const relay = session.relayAddr.toString()
        candidate = await session.openFcPeer('A', fc, lookupBits, (step) => { for (const e of creatorProgress(step, code, relay)) report(e) })
      } catch (err) {
        if (!(err instanceof RelayUnreachableError) || attempt > MAX_CREATE_RETRIES || list.entries.length <= 1) throw err
        failedRelays.add(relays[0].toString())
        continue
      }
      try {
        await candidate.create(signal)
        peer = candidate
      } catch (err) {
        // §4.1, §6.6: a live lookup collision; draw a new code silently before showing any.
        // §22.2: so too a relay that is shutting down, or whose connection dropped before it
        // answered (killed after the dial): no code was shown, and the joiner will rank the same list.
        const lost = session.relayConnection.status !== 'open' && signal?.aborted !== true
        const refused = err instanceof FlashCodeInUseError || ((err instanceof RelayShuttingDownError || lost) && list.entries.length > 1)
        if (!refused || attempt > MAX_CREATE_RETRIES) throw lost && !(err instanceof GiniError) ? new RelayUnreachableError(undefined, { cause: err }) : err
        if (err instanceof RelayShuttingDownError || lost) failedRelays.add(relays[0].toString())
      }
    }
    if (rs == null) throw new RelayUnreachableError()
    await peer.awaitMatched(signal)
    await peer.verify(signal)
    const joiner = await peer.exchangePeerInfo({ peerId: pn.node.peerId, multiaddrs: await rs.circuitAddrs }, signal)
    const kContact = peer.contactKey
    inbound.expect(joiner.peerId)
    const relayClosed = settle(peer.awaitRelayClose(signal))

    const contactIn = await raceRelay(relayClosed, inbound.contact(withTimeout(signal, PEER_CONNECT_TIMEOUT_MS)))
      .catch(async (err) => await failPairing(peer, err))
    await peer.done()
    const { direct, path, candidates } = await describeConnection(contactIn.connection)
    const remoteAddr = contactIn.connection.remoteAddr.toString()
    report({ event: 'connected', direct, path, remoteAddr, ...(candidates != null ? { candidates } : {}) })

    report({ event: 'syncing' })
    const card = await syncContact(contactIn.stream, 'A', kContact, ownCard(self, pn.homeRelayAddr(rs)), init.checkCard, signal)
    const sessionIn = await raceRelay(relayClosed, inbound.session(withTimeout(signal, SYNC_STEP_TIMEOUT_MS)))
    const channel = sessionChannel(sessionIn.stream)
    const sessionSignal = withTimeout(signal, SYNC_STEP_TIMEOUT_MS)
    const first = await channel.read({ signal: sessionSignal })
    const session = await runSessionResponder(channel, first, {
      ppk: self.ppk, peerPPK: card.ppk, multiaddrs: [], signal: sessionSignal
    })
    // The joiner sends Done only after its session completed, so the relay's close means it has
    // everything: the pairing identity can go at once, no waiting for the joiner to hang up.
    await relayClosed.result()
    return { role: 'A', card, session, direct, remoteAddr }
  })
}

/** Joiner (role B): enter the creator's code, pair. `fc` is already normalized. */
export async function runJoiner (init: PairingInit, fc: string): Promise<PairingOutcome> {
  const { self, signal } = init
  const report = init.onProgress ?? (() => {})
  return await withPairingNode(init, signal, async (pn) => {
    // §22.2: the list is asked for now that the code is typed; the code's top relay, and once the
    // second when the top one cannot be reached or holds no such code.
    const choice = chooseRelays(await pn.relayList(), fc)
    const tries = choice.relays.slice(0, 2)
    let rs: RelaySession | undefined
    let peer: FcPeer | undefined
    for (let i = 0; peer == null; i++) {
      const last = i === tries.length - 1
      try {
        const session = rs = await pn.session(tries[i])
        const relay = session.relayAddr.toString()
        const candidate = await session.openFcPeer('B', fc, choice.lookupBits, (step) => { for (const e of joinerProgress(step, relay)) report(e) })
        await candidate.join(signal)
        peer = candidate
      } catch (err) {
        const fallBack = err instanceof RelayUnreachableError || err instanceof NoMatchingFlashCodeError
        if (last || !fallBack || signal?.aborted === true) throw err
      }
    }
    if (rs == null) throw new RelayUnreachableError()
    await peer.verify(signal)
    const creator = await peer.exchangePeerInfo({ peerId: pn.node.peerId, multiaddrs: await rs.circuitAddrs }, signal)
    const kContact = peer.contactKey

    // From here the relay only speaks to report the creator gone (PEER_LEFT) or to close after
    // both Done: watch it while dialing, so a creator who left ends the dial at once (the
    // joiner sees PEER_LEFT, not a spinner).
    const relayClosed = settle(peer.awaitRelayClose(signal))
    const relayVerdict = new AbortController()
    relayClosed.failed.catch((err: unknown) => { relayVerdict.abort(err) })
    const dialing = connectToVerifiedPeer(pn.node, creator, {
      signal: signal != null ? AbortSignal.any([signal, relayVerdict.signal]) : relayVerdict.signal,
      attemptTimeoutsMs: init.webrtcAttemptTimeoutsMs ?? WEBRTC_ATTEMPT_TIMEOUTS_MS,
      // A refused TURN credential (clock skew, rotated secret) must not be reused by the retry.
      onWebRtcAttemptFailed: () => { pn.ice.invalidate() }
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
    report({ event: 'connected', direct, path, remoteAddr, ...(candidates != null ? { candidates } : {}) })

    const streamOpts = { runOnLimitedConnection: connection.limits != null }
    const contactStream = await connection.newStream(CONTACT_PROTOCOL, { ...streamOpts, signal: withTimeout(signal, SYNC_STEP_TIMEOUT_MS) })
    report({ event: 'syncing' })
    const card = await syncContact(contactStream, 'B', kContact, ownCard(self, pn.homeRelayAddr(rs)), init.checkCard, signal)
    const sessionStream = await connection.newStream(SESSION_PROTOCOL, { ...streamOpts, signal: withTimeout(signal, SYNC_STEP_TIMEOUT_MS) })
    const session = await runSessionInitiator(sessionChannel(sessionStream), {
      ppk: self.ppk,
      peerPPK: card.ppk,
      multiaddrs: [],
      atMs: (init.clock ?? systemClock).now(),
      signal: withTimeout(signal, SYNC_STEP_TIMEOUT_MS)
    })
    // Done after our session, not at connect time: it tells the creator (through the relay's close)
    // that we hold its card and the SharedSecret, so it can retire its identity at once.
    await peer.done()
    await relayClosed.result()
    return { role: 'B', card, session, direct, remoteAddr }
  })
}

/**
 * What the creator's user sees of its FcPeer's transitions (events.ts): its own code once the
 * relay holds the row, then the relay part's progress.
 */
function creatorProgress (step: FcStep, code: string, relay: string): PairingEvent[] {
  if (step.state === 'awaitingMatch' && step.role === 'A') {
    return [{ event: 'flash-code', code, expiresAt: step.expiresAtMs, relay }, { event: 'waiting', for: 'peer' }]
  }
  return relayProgress(step, relay)
}

/** What the joiner's user sees of its FcPeer's transitions. */
function joinerProgress (step: FcStep, relay: string): PairingEvent[] {
  if (step.state === 'awaitingMatch') return [{ event: 'waiting', for: 'match' }]
  return relayProgress(step, relay)
}

/**
 * Both roles alike; keysExchanged, done, completed and failed show nothing (a failure is thrown).
 * `relay`: the address (ending in /p2p/<id>) of the relay the pairing is at (§22.2).
 */
function relayProgress (step: FcStep, relay: string): PairingEvent[] {
  switch (step.state) {
    case 'matched': return [{ event: 'matched', relay }]
    case 'peerVerified': return [{ event: 'verified' }]
    case 'peerInfoExchanged': return [{ event: 'waiting', for: 'connection' }]
    default: return []
  }
}

/** The card we send: our profile, our long-term key and id, addresses at the relay we reached. */
function ownCard (self: PairingSelf, relayAddr: Multiaddr): OwnCard {
  return {
    vcard: self.vcard,
    ppk: self.ppk.publicKey,
    peerId: self.peerId.toMultihash().bytes,
    multiaddrs: self.cardAddrs(relayAddr).map(ma => ma.bytes),
    signingKey: self.signingKey
  }
}

/** §7 on the given stream; the card's binding key comes from this pairing's CPace. */
async function syncContact (stream: Stream, role: PairingRole, kContact: Uint8Array, own: OwnCard, checkCard: PairingInit['checkCard'], signal: AbortSignal | undefined): Promise<ReceivedCard> {
  try {
    return await exchangeContactCards(contactChannel(stream), {
      role, kContact, own, checkCard, signal: withTimeout(signal, SYNC_STEP_TIMEOUT_MS)
    })
  } catch (err) {
    // A card we refused: let our Error frame reach the other side (it closes once it read it)
    // before the pairing identity and its connections are torn down, so it hears "refused", not "left".
    if (err instanceof InvalidCardError) await streamClosed(stream, REFUSAL_DELIVERY_MS)
    throw err
  }
}

/** Resolves once both ends of `stream` are closed, or after `ms`. */
async function streamClosed (stream: Stream, ms: number): Promise<void> {
  if (stream.status === 'closed' || stream.status === 'reset' || stream.status === 'aborted') return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    stream.addEventListener('close', () => { clearTimeout(timer); resolve() }, { once: true })
  })
}

/** The pairing identity's connection to the relay it pairs at. */
interface RelaySession {
  relayConnection: Connection
  /** The relay's address including /p2p/<relay id>. */
  relayAddr: Multiaddr
  /** Our /p2p-circuit addresses through the relay, WebRTC first (resolves once reserved). */
  circuitAddrs: Promise<Multiaddr[]>
  openFcPeer(role: PairingRole, fc: string, lookupBits: number | undefined, onState: (step: FcStep) => void): Promise<FcPeer>
}

/** The pairing identity: its node, its ICE servers, the relay list and its sessions at relays. */
interface PairingNode {
  node: Libp2p
  /** ICE servers of this identity: configured ones plus the pairing relay's (docs/protocol.md §14). */
  ice: IceServerSource
  /** The relay list (§22.1), asked for once, on first use. */
  relayList(): Promise<FetchedList>
  /** Connects to the relay at `addrs` (one relay's addresses) and makes it the pairing relay. */
  session(addrs: Multiaddr[]): Promise<RelaySession>
  /** The configured relay's address for our card (our daemon holds its slots there), else the pairing relay's. */
  homeRelayAddr(rs: RelaySession): Multiaddr
  onStop(fn: () => void): void
}

/** Starts a fresh pairing identity, runs `work`, always stops the node. */
async function withPairingNode<T> (init: PairingInit, signal: AbortSignal | undefined, work: (pn: PairingNode) => Promise<T>): Promise<T> {
  // Every RTCPeerConnection of this identity asks `ice` for its servers, so the relay's TURN
  // credentials (fetched below, refreshed before they expire) reach the dialer and the listener alike.
  const ice = new IceServerSource({ configured: init.webrtc?.iceServers, clock: init.clock })
  const node = await init.createPeerNode({ ...init.webrtc, iceServersProvider: async () => await ice.servers() })
  const stopHooks: Array<() => void> = []
  let list: Promise<FetchedList> | undefined
  /** The configured relay's address with its /p2p/, once a connection told us its id. */
  let home: Multiaddr | undefined = init.relay.toString().includes('/p2p/') ? init.relay : undefined
  const fetchList = async (): Promise<FetchedList> => {
    const known = await init.knownRelays?.load().catch(() => []) ?? []
    const fetched = await fetchRelayList(node, [init.relay, ...known.filter(ma => !ma.equals(init.relay))], signal)
    if (fetched.sourceIndex === 0) home = fetched.source
    await rememberList(fetched, init.knownRelays)
    return fetched
  }
  const pairingNode: PairingNode = {
    node,
    ice,
    onStop: (fn) => { stopHooks.push(fn) },
    relayList: async () => { list ??= fetchList(); return await list },
    homeRelayAddr: (rs) => home ?? rs.relayAddr,
    session: async (addrs) => {
      // Only the pairing relay keeps a connection, and with it our one circuit reservation (the
      // node listens on one `/p2p-circuit`). Another relay's connection (where the list came from,
      // or a relay that had no such code) is closed first. Closing it frees the slot and restarts
      // the circuit transport's relay discovery, which takes every peer store entry speaking the
      // hop protocol for a relay: it would redial that one and take the slot before the pairing
      // relay's connection is identified. So its protocols are forgotten before its connection goes.
      const target = addrs[0]?.getComponents().findLast(c => c.name === 'p2p')?.value
      if (target != null) await leaveOtherRelays(node, target)
      let relayConnection: Connection | undefined
      let lastError: unknown
      for (const addr of addrs) {
        try {
          relayConnection = await dialRelay(node, addr, signal)
          break
        } catch (err) {
          if (signal?.aborted === true) throw err
          lastError = err
        }
      }
      if (relayConnection == null) throw lastError instanceof RelayUnreachableError ? lastError : new RelayUnreachableError(undefined, { cause: lastError })
      const relayPeer = relayConnection.remotePeer
      const relayId = relayPeer.toMultihash().bytes
      const addr = addrs.find(a => a.toString().endsWith(`/p2p/${relayPeer.toString()}`)) ?? relayConnection.remoteAddr
      const relayAddr = addr.toString().includes('/p2p/') ? addr : addr.encapsulate(`/p2p/${relayPeer.toString()}`)
      const circuitAddrs = waitForCircuitAddrs(node, relayPeer, signal)
      circuitAddrs.catch(() => {})
      // Asked now, in the background, on the relay connection: ready long before the WebRTC dial.
      ice.useRelay(relayIceFetch(node, relayAddr))
      const connection = relayConnection
      return {
        relayConnection: connection,
        relayAddr,
        circuitAddrs,
        openFcPeer: async (role, fc, lookupBits, onState) => {
          const stream = await connection.newStream(FC_PROTOCOL, { signal: withTimeout(signal, RELAY_DIAL_TIMEOUT_MS) })
            .catch((err: unknown) => { throw new RelayUnreachableError('The relay does not offer GiniConnect pairing (GSS).', { cause: err }) })
          const peer = new FcPeer({
            channel: fcChannel(stream),
            role,
            fc,
            relayId,
            lookup: flashCodeLookup(relayId, fc),
            ...(lookupBits != null ? { lookupBits } : {}),
            clock: init.clock,
            randomBytes: (n) => sodium.randombytes_buf(n),
            onState
          })
          stopHooks.push(() => { peer.dispose() })
          return peer
        }
      }
    }
  }
  try {
    return await work(pairingNode)
  } finally {
    for (const hook of stopHooks) hook()
    // Every exchange has finished (or failed) by now, so nothing is in flight: a graceful close of a
    // WebRTC connection only adds ~0.5 s of waiting for data-channel FIN_ACKs (measured).
    for (const connection of node.getConnections()) connection.abort(new Error('pairing identity retired'))
    await Promise.resolve(node.stop()).catch(() => {})
  }
}

/**
 * Closes every connection not to `keep` (a peer id), each peer's protocols cleared in the peer store
 * first (see session()). Cleared, not deleted: the registrar needs the entry when the connection
 * closes to let the peer be noticed again on a new connection (a relay we come back to).
 */
async function leaveOtherRelays (node: Libp2p, keep: string): Promise<void> {
  for (const c of node.getConnections()) {
    if (c.remotePeer.toString() === keep) continue
    await node.peerStore.patch(c.remotePeer, { protocols: [] }).catch(() => {})
    await c.close().catch(() => {})
  }
}

/**
 * §22.2: a fresh code whose top relay has not failed this pairing yet, with its ranking. A list of
 * one relay (or none) takes the first code drawn.
 */
function drawCode (newFlashCode: NewFlashCode, length: 8 | 10, list: FetchedList, failed: Set<string>): { fc: string, relays: Multiaddr[][], lookupBits?: number } {
  for (let draw = 1; ; draw++) {
    const fc = newFlashCode(length)
    const choice = chooseRelays(list, fc)
    if (!failed.has(choice.relays[0].toString()) || draw >= MAX_CODE_DRAWS) return { fc, ...choice }
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
