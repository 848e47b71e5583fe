// The peer side of /gini/fc/1 (docs/protocol.md §6): one FcPeer per pairing stream to the relay.
// It knows nothing about libp2p connections: the caller dials the relay, hands over the stream as a
// FrameChannel, and calls the steps in order. Each step moves the peer to a state named by what it
// now knows (reported through `onState`), or throws a typed GiniError after telling the relay
// (Error frame, then close).
//
//   A: idle → awaitingMatch (Created) → matched → keysExchanged → peerVerified → peerInfoExchanged → done → completed
//   B: idle → awaitingMatch (Join sent) → matched → keysExchanged → peerVerified → peerInfoExchanged → done → completed
//   any state → failed (terminal)
//
// Relayed crypto values that do not check out (a TempKey or Mfc of the wrong size, a share that is
// no valid point, a wrong MFC, a Sealed that does not open) are INCORRECT_MFC, never
// PROTOCOL_VIOLATION (docs/protocol.md §3.4, §6.8), so a tampering relay looks the same as a wrong
// code. Frames the relay itself got wrong (undecodable, out of order, a Matched with a wrong-size
// sid) are PROTOCOL_VIOLATION.
import type { Multiaddr } from '@multiformats/multiaddr'
import type { PeerId } from '@libp2p/interface'
import {
  createCpaceParty, verifyMfc, seal, open, concat, utf8, shortenLookup, LOOKUP_FULL_BITS,
  type CpaceParty, type PairingKeys, type PairingRole
} from '../crypto/index.js'
import {
  GiniError, ExpiredError, IncorrectMfcError, ProtocolViolationError, errorFromWire, errorFrame,
  type GiniErrorCode, type FrameChannel, readOrEnd, watchRemoteClose, type RemoteCloseWatch,
  systemClock, type Clock, wire, encodePeerInfo, decodePeerInfo, type DecodedPeerInfo
} from '../common/index.js'
import type { FcMessage } from './pb/fc.js'
import { PAIRING_TTL_MS, SID_BYTES, SHARE_BYTES, MFC_BYTES } from './constants.js'

/** What a peer learns from the other side's sealed offer/answer. */
export type VerifiedPeerInfo = DecodedPeerInfo

/**
 * What the peer knows (docs/protocol.md §6.3):
 * - `idle`: nothing sent yet.
 * - `awaitingMatch`: the creator's row is live at the relay (`Created`), or the joiner's `Join` is out.
 * - `matched`: both sids known, own CPace share ready.
 * - `keysExchanged`: the other's share arrived; ISK and the keys of §6.8 derived, own MFC on its way.
 * - `peerVerified`: the other's MFC checked: it knows the code, the relay changed nothing.
 * - `peerInfoExchanged`: the other's pairing identity and addresses opened from its offer/answer.
 * - `done`: own `Done` sent (this side holds a connection to the verified peer, §6.11).
 * - `completed`: the relay closed the stream cleanly after both `Done`s (terminal).
 * - `failed`: an Error was sent or received, the stream broke, or the run was abandoned (terminal).
 */
export type FcPeerState =
  | 'idle' | 'awaitingMatch' | 'matched' | 'keysExchanged' | 'peerVerified' | 'peerInfoExchanged'
  | 'done' | 'completed' | 'failed'

/** A transition as reported to `onState`: the state entered and what a user may see of it, never a secret. */
export type FcStep =
  | { state: 'awaitingMatch', role: 'A', /** The relay's end of the code's life, for display. */ expiresAtMs: number }
  | { state: 'awaitingMatch', role: 'B' }
  | { state: 'matched' | 'keysExchanged' | 'peerVerified' | 'peerInfoExchanged' | 'done' | 'completed' }
  | { state: 'failed', /** The wire code sent or received; none when the caller gave up or disposed. */ code?: GiniErrorCode }

/** Each state with what only it holds, so a step can reach the CPace party or the keys only where they exist. */
type Known =
  | { state: 'idle' }
  | { state: 'awaitingMatch' }
  | { state: 'matched', cpace: CpaceParty }
  | { state: 'keysExchanged', keys: PairingKeys }
  | { state: 'peerVerified', keys: PairingKeys }
  | { state: 'peerInfoExchanged', keys: PairingKeys }
  | { state: 'done', keys: PairingKeys }
  | { state: 'completed', keys: PairingKeys }
  | { state: 'failed' }

export interface FcPeerInit {
  channel: FrameChannel<FcMessage>
  /** 'A' creates the code, 'B' joins with it. */
  role: PairingRole
  /** The normalized flash code (no separator). Never leaves this object except into CPace. */
  fc: string
  /** The relay's peer id as multihash bytes ("R"). */
  relayId: Uint8Array
  /** The full 24-bit lookup of §5: it goes into the transcript `T` whatever is sent (docs/protocol.md §22.3). */
  lookup: Uint8Array
  /**
   * §22.3: send only this many leading bits of the lookup (16…23), with `lookup_bits`. Absent or
   * 24: the v1 frame, byte for byte (no `lookup_bits` field).
   */
  lookupBits?: number
  clock?: Clock
  /** Test only: a fixed CPace scalar. */
  scalar?: Uint8Array
  /** Random bytes source (sid). Defaults to libsodium's. */
  randomBytes(n: number): Uint8Array
  /**
   * Called on every transition, synchronously, as it happens (`failed`: once the Error frame went
   * out). A listener that throws fails the step with its error.
   */
  onState?: (step: FcStep) => void
}

const OFFER_LABEL = utf8('gini/fc/1/offer')
const ANSWER_LABEL = utf8('gini/fc/1/answer')

export class FcPeer {
  readonly role: PairingRole
  private readonly channel: FrameChannel<FcMessage>
  private readonly clock: Clock
  private readonly init: FcPeerInit
  private readonly sid: Uint8Array
  private known: Known = { state: 'idle' }
  /** Fires at the local deadline: 180 s after Created (creator) or Matched (joiner), §6.6. */
  private readonly expiry = new AbortController()
  private expiryHandle?: unknown
  /** Watches for the relay's clean close (success after Done) as opposed to a reset. */
  private readonly remoteClose: RemoteCloseWatch

  constructor (init: FcPeerInit) {
    this.init = init
    this.channel = init.channel
    this.role = init.role
    this.clock = init.clock ?? systemClock
    this.sid = init.randomBytes(SID_BYTES)
    this.remoteClose = watchRemoteClose(init.channel.stream)
  }

  get state (): FcPeerState {
    return this.known.state
  }

  /** Creator, idle: `Create` → `Created` → awaitingMatch. Returns the relay's expiry (display only). */
  async create (signal?: AbortSignal): Promise<{ expiresAtMs: number }> {
    this.expectRole('A')
    this.expect('idle')
    await this.send({ create: { ...this.sentLookup(), sid: wire(this.sid) } })
    const msg = await this.read(signal)
    if (msg.created == null) return await this.violation()
    const expiresAtMs = Number(msg.created.expiresAtMs)
    this.startDeadline()
    this.enterAwaitingMatch({ state: 'awaitingMatch', role: 'A', expiresAtMs })
    return { expiresAtMs }
  }

  /** The lookup as sent (docs/protocol.md §22.3): shortened, with `lookup_bits`, only below 24 bits. */
  private sentLookup (): { lookup: Uint8Array<ArrayBuffer>, lookupBits?: number } {
    const bits = this.init.lookupBits ?? LOOKUP_FULL_BITS
    if (bits >= LOOKUP_FULL_BITS) return { lookup: wire(this.init.lookup) }
    return { lookup: wire(shortenLookup(this.init.lookup, bits)), lookupBits: bits }
  }

  /** Creator, awaitingMatch: waits (up to the deadline) for a joiner → matched. */
  async awaitMatched (signal?: AbortSignal): Promise<void> {
    this.expectRole('A')
    this.expect('awaitingMatch')
    const msg = await this.read(signal)
    if (msg.matched == null) return await this.violation()
    await this.enterMatched(msg.matched)
  }

  /** Joiner, idle: `Join` (awaitingMatch) → `Matched` (matched), or NO_MATCHING_FLASH_CODE from the relay. */
  async join (signal?: AbortSignal): Promise<void> {
    this.expectRole('B')
    this.expect('idle')
    this.enterAwaitingMatch({ state: 'awaitingMatch', role: 'B' })
    await this.send({ join: { ...this.sentLookup(), sid: wire(this.sid) } })
    const msg = await this.read(signal)
    if (msg.matched == null) return await this.violation()
    this.startDeadline()
    await this.enterMatched(msg.matched)
  }

  /**
   * Matched: CPace shares (→ keysExchanged), then MFCs (→ peerVerified), docs/protocol.md §6.7–§6.8.
   * Resolves once the other side proved it knows the code.
   */
  async verify (signal?: AbortSignal): Promise<void> {
    const { cpace } = this.expect('matched')
    await this.send({ tempKey: { share: wire(cpace.share) } })
    const share = await this.read(signal)
    if (share.tempKey == null) return await this.violation()
    // A relayed value of the wrong size is the failed check of its step (§3.4), like a bad point.
    if (share.tempKey.share.length !== SHARE_BYTES) return await this.fail(new IncorrectMfcError())
    let keys: PairingKeys
    try {
      keys = cpace.finish(share.tempKey.share)
    } catch {
      return await this.fail(new IncorrectMfcError())
    }
    this.enter({ state: 'keysExchanged', keys })
    await this.send({ mfc: { mac: wire(keys.ownMfc) } })
    const mfc = await this.read(signal)
    if (mfc.mfc == null) return await this.violation()
    if (mfc.mfc.mac.length !== MFC_BYTES || !verifyMfc(keys.expectedPeerMfc, mfc.mfc.mac)) {
      return await this.fail(new IncorrectMfcError())
    }
    this.enter({ state: 'peerVerified', keys })
  }

  /** Key material for contact sync (§7); from peerVerified on, until the run fails. */
  get contactKey (): Uint8Array {
    const known = this.known
    switch (known.state) {
      case 'peerVerified': case 'peerInfoExchanged': case 'done': case 'completed':
        return known.keys.kContact
      default:
        throw new Error(`contactKey in ${known.state}: only once the peer is verified`)
    }
  }

  /**
   * PeerVerified: sealed offer/answer (§6.9) → peerInfoExchanged. The creator sends its PeerInfo
   * first and reads the answer; the joiner reads the offer first. Returns the other side's PeerInfo.
   */
  async exchangePeerInfo (own: { peerId: PeerId, multiaddrs: Multiaddr[] }, signal?: AbortSignal): Promise<VerifiedPeerInfo> {
    const { keys } = this.expect('peerVerified')
    const plaintext = encodePeerInfo({ ...own, atMs: this.clock.now() })
    const offerAd = concat(OFFER_LABEL, keys.transcript)
    const answerAd = concat(ANSWER_LABEL, keys.transcript)
    let peer: VerifiedPeerInfo
    if (this.role === 'A') {
      await this.send({ offer: sealed(keys.kOffer, offerAd, plaintext) })
      const msg = await this.read(signal)
      if (msg.answer == null) return await this.violation()
      peer = await this.openPeerInfo(keys.kAnswer, answerAd, msg.answer)
    } else {
      const msg = await this.read(signal)
      if (msg.offer == null) return await this.violation()
      peer = await this.openPeerInfo(keys.kOffer, offerAd, msg.offer)
      await this.send({ answer: sealed(keys.kAnswer, answerAd, plaintext) })
    }
    this.enter({ state: 'peerInfoExchanged', keys })
    return peer
  }

  /**
   * PeerInfoExchanged: tells the relay this side holds a connection to the verified peer (§6.11)
   * → done. Once the run is over (failed, or the relay already closed) there is no one to tell.
   */
  async done (): Promise<void> {
    if (this.over) return
    const { keys } = this.expect('peerInfoExchanged')
    // Entered before the write: the relay's close that our Done may bring must find us in `done`.
    this.enter({ state: 'done', keys })
    await this.send({ done: {} })
  }

  /**
   * PeerInfoExchanged or done: reads until the relay closes the stream (→ completed). A forwarded
   * Error (e.g. the creator rejecting our answer) wins over any local outcome, so callers store
   * nothing before this resolves.
   */
  async awaitRelayClose (signal?: AbortSignal): Promise<void> {
    this.expect('peerInfoExchanged', 'done')
    // Still inside the local deadline: a relay that never closes ends in EXPIRED, never a hang.
    const signals = signal != null ? AbortSignal.any([signal, this.expiry.signal]) : this.expiry.signal
    let msg: FcMessage | undefined
    try {
      msg = await readOrEnd(this.channel, this.remoteClose, signals)
    } catch (err) {
      return await this.onReadOrWriteError(err)
    }
    // The relay closing the stream cleanly after both Done is the success path (§6.5 rule 5).
    if (msg == null) {
      this.release()
      const known = this.known
      // A failure of ours while we waited (our Error made the relay close) stays a failure.
      if (known.state === 'peerInfoExchanged' || known.state === 'done') this.enter({ state: 'completed', keys: known.keys })
      return
    }
    const err = msg.error != null ? errorFromWire(msg.error.code) : new ProtocolViolationError()
    this.failed(err.code)
    await this.channel.close()
    throw err
  }

  /** Sends a local failure to the relay (e.g. UNREACHABLE, INVALID_CARD), closes, and throws it. */
  async fail (err: GiniError): Promise<never> {
    const live = this.leave()
    if (live) {
      await this.channel.write(errorFrame(err.code)).catch(() => {})
      await this.channel.close()
    }
    this.release()
    if (live) this.init.onState?.({ state: 'failed', code: err.code })
    throw err
  }

  /** Releases the deadline, the close watch and an unused CPace scalar; safe to call more than once. An unfinished run ends in `failed`. */
  dispose (): void {
    this.failed()
  }

  private get over (): boolean {
    return this.known.state === 'failed' || this.known.state === 'completed'
  }

  /** Moves on and reports it. */
  private enter (next: Exclude<Known, { state: 'idle' | 'awaitingMatch' | 'failed' }>): void {
    this.known = next
    this.init.onState?.({ state: next.state })
  }

  /** → awaitingMatch, reported with the role (the creator's with the relay's expiry). */
  private enterAwaitingMatch (step: Extract<FcStep, { state: 'awaitingMatch' }>): void {
    this.known = { state: 'awaitingMatch' }
    this.init.onState?.(step)
  }

  /** → failed without a word to the relay (it spoke, the stream broke, or we gave up); reports it. */
  private failed (code?: GiniErrorCode): void {
    const live = this.leave()
    this.release()
    if (live) this.init.onState?.({ state: 'failed', ...(code != null ? { code } : {}) })
  }

  /** Enters `failed` unless the run is already over (then false); wipes an unused CPace scalar. */
  private leave (): boolean {
    const known = this.known
    if (known.state === 'failed' || known.state === 'completed') return false
    if (known.state === 'matched') known.cpace.dispose()
    this.known = { state: 'failed' }
    return true
  }

  /** Stops the deadline and the close watch. */
  private release (): void {
    this.remoteClose.stop()
    if (this.expiryHandle != null) this.clock.clearTimeout(this.expiryHandle)
    this.expiryHandle = undefined
  }

  private startDeadline (): void {
    this.expiryHandle = this.clock.setTimeout(() => { this.expiry.abort(new ExpiredError()) }, PAIRING_TTL_MS)
  }

  private async enterMatched (matched: { sidA: Uint8Array, sidB: Uint8Array }): Promise<void> {
    if (matched.sidA.length !== SID_BYTES || matched.sidB.length !== SID_BYTES) return await this.violation()
    const cpace = createCpaceParty({
      fc: this.init.fc,
      relayId: this.init.relayId,
      lookup: this.init.lookup,
      sidA: matched.sidA,
      sidB: matched.sidB,
      role: this.role,
      scalar: this.init.scalar
    })
    this.enter({ state: 'matched', cpace })
  }

  private async openPeerInfo (key: Uint8Array, ad: Uint8Array, box: { nonce: Uint8Array, ciphertext: Uint8Array }): Promise<VerifiedPeerInfo> {
    let plaintext: Uint8Array
    try {
      plaintext = open(key, ad, box)
    } catch {
      return await this.fail(new IncorrectMfcError())
    }
    const info = decodePeerInfo(plaintext)
    // Authenticated but malformed: the other side runs broken software, not an attack.
    if (info == null) return await this.fail(new ProtocolViolationError())
    return info
  }

  private async send (msg: FcMessage): Promise<void> {
    try {
      await this.channel.write(msg, { signal: this.expiry.signal })
    } catch (err) {
      return await this.onReadOrWriteError(err)
    }
  }

  /** Next frame within the local deadline; a relayed Error becomes its typed error. */
  private async read (signal?: AbortSignal): Promise<FcMessage> {
    const signals = signal != null ? AbortSignal.any([signal, this.expiry.signal]) : this.expiry.signal
    let msg: FcMessage
    try {
      msg = await this.channel.read({ signal: signals })
    } catch (err) {
      return await this.onReadOrWriteError(err)
    }
    if (msg.error != null) {
      const err = errorFromWire(msg.error.code)
      this.failed(err.code)
      await this.channel.close()
      throw err
    }
    return msg
  }

  private async onReadOrWriteError (err: unknown): Promise<never> {
    if (this.expiry.signal.aborted) return await this.fail(new ExpiredError())
    if (err instanceof ProtocolViolationError) return await this.fail(err)
    if (err instanceof GiniError) {
      this.failed(err.code)
      throw err
    }
    // Our caller's own signal (e.g. the user pressed Ctrl-C): abort the stream, pass it on.
    this.failed()
    this.channel.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }

  private async violation (): Promise<never> {
    return await this.fail(new ProtocolViolationError())
  }

  /** The current state narrowed to one of `states`, or a programming error (steps out of order). */
  private expect<S extends FcPeerState> (...states: S[]): Extract<Known, { state: S }> {
    const known = this.known
    if (!(states as FcPeerState[]).includes(known.state)) {
      throw new Error(`FC step out of order: in ${known.state}, expected ${states.join(' or ')}`)
    }
    return known as Extract<Known, { state: S }>
  }

  private expectRole (role: PairingRole): void {
    if (this.role !== role) throw new Error(`only role ${role} may do this`)
  }
}

function sealed (key: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): { nonce: Uint8Array<ArrayBuffer>, ciphertext: Uint8Array<ArrayBuffer> } {
  const box = seal(key, ad, plaintext)
  return { nonce: wire(box.nonce), ciphertext: wire(box.ciphertext) }
}

export type { GiniErrorCode }
