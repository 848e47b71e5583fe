// The peer side of /gini/fc/1 (PROTOCOL.md §3): one FcPeer per pairing stream to the relay.
// It knows nothing about libp2p connections: the caller dials the relay, hands over the stream as a
// FrameChannel, and calls the steps in order. Every step either returns what is now known or throws
// a typed GiniError after telling the relay (Error frame, then close).
import { peerIdFromMultihash } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import type { PeerId } from '@libp2p/interface'
import {
  createCpaceParty, verifyMfc, seal, open, concat, utf8,
  type CpaceParty, type PairingKeys, type PairingRole
} from '../crypto/index.js'
import {
  GiniError, ExpiredError, IncorrectMfcError, ProtocolViolationError,
  errorFromWire, WIRE_MESSAGES, type GiniErrorCode
} from '../common/errors.js'
import type { FrameChannel } from '../common/framing.js'
import { readOrEnd, watchRemoteClose, type RemoteCloseWatch } from '../common/stream-end.js'
import { systemClock, type Clock } from '../common/clock.js'
import { FcMessage, PeerInfo, ErrorCode } from './pb/fc.js'
import { wire } from '../common/wire-bytes.js'
import { PAIRING_TTL_MS, SID_BYTES, SHARE_BYTES, MFC_BYTES } from './constants.js'

/** What a peer learns from the other side's sealed offer/answer. */
export interface VerifiedPeerInfo {
  peerId: PeerId
  multiaddrs: Multiaddr[]
  atMs: number
}

export interface FcPeerInit {
  channel: FrameChannel<FcMessage>
  /** 'A' creates the code, 'B' joins with it. */
  role: PairingRole
  /** The normalized flash code (no separator). Never leaves this object except into CPace. */
  fc: string
  /** The relay's peer id as multihash bytes ("R"). */
  relayId: Uint8Array
  lookup: Uint8Array
  clock?: Clock
  /** Test only: a fixed CPace scalar. */
  scalar?: Uint8Array
  /** Random bytes source (sid). Defaults to libsodium's. */
  randomBytes(n: number): Uint8Array
}

const OFFER_LABEL = utf8('gini/fc/1/offer')
const ANSWER_LABEL = utf8('gini/fc/1/answer')

export class FcPeer {
  private readonly channel: FrameChannel<FcMessage>
  private readonly role: PairingRole
  private readonly clock: Clock
  private readonly init: FcPeerInit
  private readonly sid: Uint8Array
  private keys?: PairingKeys
  private cpace?: CpaceParty
  /** Fires at the local deadline: 180 s after Created (creator) or Matched (joiner). */
  private readonly expiry = new AbortController()
  private expiryHandle?: unknown
  private finished = false
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

  /** Creator: `Create` → `Created`. Returns the relay's expiry (display only). */
  async create (signal?: AbortSignal): Promise<{ expiresAtMs: number }> {
    this.expectRole('A')
    await this.send({ create: { lookup: wire(this.init.lookup), sid: wire(this.sid) } })
    const msg = await this.read(signal)
    if (msg.created == null) this.unexpected()
    this.startDeadline()
    return { expiresAtMs: Number(msg.created!.expiresAtMs) }
  }

  /** Creator: waits (up to the deadline) for a joiner. */
  async awaitMatched (signal?: AbortSignal): Promise<void> {
    this.expectRole('A')
    const msg = await this.read(signal)
    if (msg.matched == null) this.unexpected()
    this.startCpace(msg.matched!)
  }

  /** Joiner: `Join` → `Matched` (or NO_MATCHING_FLASH_CODE from the relay). */
  async join (signal?: AbortSignal): Promise<void> {
    this.expectRole('B')
    await this.send({ join: { lookup: wire(this.init.lookup), sid: wire(this.sid) } })
    const msg = await this.read(signal)
    if (msg.matched == null) this.unexpected()
    this.startDeadline()
    this.startCpace(msg.matched!)
  }

  /** CPace shares then MFCs (seed steps 7–13). Resolves once the peer proved knowledge of the code. */
  async verify (signal?: AbortSignal): Promise<void> {
    const cpace = this.cpace
    if (cpace == null) throw new Error('verify() before a match')
    await this.send({ tempKey: { share: wire(cpace.share) } })
    const peerShare = await this.read(signal)
    if (peerShare.tempKey == null || peerShare.tempKey.share.length !== SHARE_BYTES) this.unexpected()
    let keys: PairingKeys
    try {
      keys = cpace.finish(peerShare.tempKey!.share)
    } catch {
      return await this.fail(new IncorrectMfcError())
    }
    this.keys = keys
    await this.send({ mfc: { mac: wire(keys.ownMfc) } })
    const peerMfc = await this.read(signal)
    if (peerMfc.mfc == null || peerMfc.mfc.mac.length !== MFC_BYTES) this.unexpected()
    if (!verifyMfc(keys.expectedPeerMfc, peerMfc.mfc!.mac)) {
      return await this.fail(new IncorrectMfcError())
    }
  }

  /** Key material for contact sync (§4); available after verify(). */
  get contactKey (): Uint8Array {
    if (this.keys == null) throw new Error('contactKey before verify()')
    return this.keys.kContact
  }

  /**
   * Sealed offer/answer (seed steps 14–15). The creator sends its PeerInfo first and reads the
   * answer; the joiner reads the offer first. Returns the other side's verified PeerInfo.
   */
  async exchangePeerInfo (own: { peerId: PeerId, multiaddrs: Multiaddr[] }, signal?: AbortSignal): Promise<VerifiedPeerInfo> {
    const keys = this.keys
    if (keys == null) throw new Error('exchangePeerInfo() before verify()')
    const plaintext = PeerInfo.encode({
      peerId: wire(own.peerId.toMultihash().bytes),
      multiaddrs: own.multiaddrs.map(ma => wire(ma.bytes)),
      atMs: BigInt(this.clock.now())
    })
    const offerAd = concat(OFFER_LABEL, keys.transcript)
    const answerAd = concat(ANSWER_LABEL, keys.transcript)
    if (this.role === 'A') {
      await this.send({ offer: sealed(keys.kOffer, offerAd, plaintext) })
      const msg = await this.read(signal)
      if (msg.answer == null) this.unexpected()
      return await this.openPeerInfo(keys.kAnswer, answerAd, msg.answer!)
    }
    const msg = await this.read(signal)
    if (msg.offer == null) this.unexpected()
    const offer = await this.openPeerInfo(keys.kOffer, offerAd, msg.offer!)
    await this.send({ answer: sealed(keys.kAnswer, answerAd, plaintext) })
    return offer
  }

  /** Tells the relay this side holds a connection to the verified peer (seed step 20). */
  async done (): Promise<void> {
    await this.send({ done: {} })
  }

  /**
   * After Done: reads until the relay closes the stream. A forwarded Error (e.g. the creator
   * rejecting our answer) wins over any local outcome, so callers store nothing before this resolves.
   */
  async awaitRelayClose (signal?: AbortSignal): Promise<void> {
    // Still inside the local deadline: a relay that never closes ends in EXPIRED, never a hang.
    const signals = signal != null ? AbortSignal.any([signal, this.expiry.signal]) : this.expiry.signal
    let msg: FcMessage | undefined
    try {
      msg = await readOrEnd(this.channel, this.remoteClose, signals)
    } catch (err) {
      return await this.onReadOrWriteError(err)
    }
    this.dispose()
    // The relay closing the stream cleanly after both Done is the success path (§3 relay rule 5).
    if (msg == null) return
    await this.channel.close()
    if (msg.error != null) throw errorFromWire(msg.error.code)
    throw new ProtocolViolationError()
  }

  /** Sends a local failure to the relay (e.g. UNREACHABLE, INVALID_CARD), closes, and throws it. */
  async fail (err: GiniError): Promise<never> {
    if (!this.finished) {
      this.finished = true
      await this.channel.write({ error: { code: err.code as ErrorCode, message: WIRE_MESSAGES[err.code] } }).catch(() => {})
      await this.channel.close()
    }
    this.dispose()
    throw err
  }

  /** Releases timers and wipes secrets; safe to call more than once. */
  dispose (): void {
    this.finished = true
    this.remoteClose.stop()
    if (this.expiryHandle != null) this.clock.clearTimeout(this.expiryHandle)
    this.cpace?.dispose()
  }

  private startDeadline (): void {
    this.expiryHandle = this.clock.setTimeout(() => { this.expiry.abort(new ExpiredError()) }, PAIRING_TTL_MS)
  }

  private startCpace (matched: { sidA: Uint8Array, sidB: Uint8Array }): void {
    if (matched.sidA.length !== SID_BYTES || matched.sidB.length !== SID_BYTES) this.unexpected()
    this.cpace = createCpaceParty({
      fc: this.init.fc,
      relayId: this.init.relayId,
      lookup: this.init.lookup,
      sidA: matched.sidA,
      sidB: matched.sidB,
      role: this.role,
      scalar: this.init.scalar
    })
  }

  private async openPeerInfo (key: Uint8Array, ad: Uint8Array, box: { nonce: Uint8Array, ciphertext: Uint8Array }): Promise<VerifiedPeerInfo> {
    let info: PeerInfo
    try {
      info = PeerInfo.decode(open(key, ad, box))
    } catch {
      return await this.fail(new IncorrectMfcError())
    }
    try {
      const peerId = peerIdFromMultihash(Digest.decode(info.peerId))
      const multiaddrs = info.multiaddrs.map(b => multiaddr(b))
      if (multiaddrs.length === 0) throw new Error('no addresses')
      return { peerId, multiaddrs, atMs: Number(info.atMs) }
    } catch {
      // Authenticated but malformed: the other side runs broken software, not an attack.
      return await this.fail(new ProtocolViolationError())
    }
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
      this.dispose()
      await this.channel.close()
      throw errorFromWire(msg.error.code)
    }
    return msg
  }

  private async onReadOrWriteError (err: unknown): Promise<never> {
    if (this.expiry.signal.aborted) return await this.fail(new ExpiredError())
    if (err instanceof ProtocolViolationError) return await this.fail(err)
    if (err instanceof GiniError) {
      this.dispose()
      throw err
    }
    // Our caller's own signal (e.g. the user pressed Ctrl-C): abort the stream, pass it on.
    this.dispose()
    this.channel.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }

  private unexpected (): never {
    const err = new ProtocolViolationError()
    void this.fail(err).catch(() => {})
    throw err
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
