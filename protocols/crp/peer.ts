// The peer side of /gini/crp/1 (docs/protocol.md §9.4): one CrpPeer per
// registration stream to the relay, i.e. per token. It owns no socket, file or timer: the caller
// dials the relay, hands the stream over as a FrameChannel, and calls the steps in order. Each step
// returns what is now known or throws a typed GiniError after telling the relay (Error, then close).
//
//   A: registered → matched → verified (proof_B ok) → offered → answered (B's PeerInfo) → done
//   B: registered → matched → verified (proof_A ok) → offer read (A's PeerInfo) → answered → done
//   any step → failed (terminal)
//
// Relayed crypto values that do not check out (a challenge of the wrong size, a wrong proof, a
// Sealed that does not open) are INCORRECT_SHARED_SECRET, never PROTOCOL_VIOLATION (docs §3.4), so
// a tampering relay looks the same as a wrong secret. Frames the relay itself got wrong (oversized,
// undecodable, out of order) are PROTOCOL_VIOLATION for this stream only.
import {
  crpToken, crpProof, crpOfferKey, crpAnswerKey, crpParkKey, crpOfferAd, ctEqual, seal, open, sodium,
  type PairingRole
} from '../crypto/index.js'
import {
  GiniError, IncorrectSharedSecretError, ProtocolViolationError, PeerLeftError, errorFromWire, errorFrame,
  type FrameChannel, wire, encodePeerInfo, decodePeerInfo, type DecodedPeerInfo
} from '../common/index.js'
import type { CrpMessage, Sealed } from './pb/crp.js'
import { CRP_NONCE_BYTES, CRP_PARKED_TTL_MS } from './constants.js'

/** A run identity and its addresses, as carried in an offer, answer or parked offer (§9.4). */
/** The sender's clock when the addresses were current. */
export type CrpPeerInfo = DecodedPeerInfo

export interface CrpPeerInit {
  channel: FrameChannel<CrpMessage>
  /** The 64-byte SharedSecret whose token this stream registers (SS_cur or SS_prev). Copied, wiped on dispose. */
  ss: Uint8Array
  /** Own role for this contact: `crpRole(PPK_self, PPK_peer)`. */
  role: PairingRole
  /** Random source of the challenge nonce. */
  randomBytes: (n: number) => Uint8Array
}

export type CrpPeerState =
  | 'idle' | 'registered' | 'matched' | 'verified' | 'offered' | 'offerRead' | 'answered' | 'done' | 'failed'

export interface Registration {
  /** The row's end at the relay (first registration + 365 days); display only. */
  expiresAtMs: number
  /** The other role's parked offer, still sealed: open it with `openParked`. */
  parked?: Sealed
}

export class CrpPeer {
  readonly role: PairingRole
  readonly token: Uint8Array
  private readonly channel: FrameChannel<CrpMessage>
  private readonly ss: Uint8Array
  private readonly randomBytes: (n: number) => Uint8Array
  private current: CrpPeerState = 'idle'
  private nA?: Uint8Array
  private nB?: Uint8Array

  constructor (init: CrpPeerInit) {
    this.channel = init.channel
    this.role = init.role
    this.ss = new Uint8Array(init.ss)
    this.token = crpToken(this.ss)
    this.randomBytes = init.randomBytes
  }

  get state (): CrpPeerState {
    return this.current
  }

  /** `Register` (with a fresh parked offer if given) → `Registered`. */
  async register (parked: CrpPeerInfo | undefined, signal?: AbortSignal): Promise<Registration> {
    this.expect('idle')
    await this.send({
      register: {
        token: wire(this.token),
        role: wire(roleBytes(this.role)),
        ...(parked != null ? { parked: sealParkedOffer(this.ss, this.role, this.token, parked) } : {})
      }
    }, signal)
    const msg = await this.read(signal)
    if (msg.registered == null) return await this.violation()
    this.current = 'registered'
    const out: Registration = { expiresAtMs: Number(msg.registered.expiresAtMs) }
    if (msg.registered.parked != null) out.parked = msg.registered.parked
    return out
  }

  /**
   * Opens the other role's parked offer (§9.4): undefined if it does not open, if its `at_ms` is more
   * than 24 h old or not newer than `lastAcceptedAtMs`. Silent by design: a failed pickup is no error.
   */
  openParked (sealed: Sealed, opts: { nowMs: number, lastAcceptedAtMs?: number }): CrpPeerInfo | undefined {
    const key = crpParkKey(this.ss, otherRole(this.role))
    try {
      const info = decodePeerInfo(open(key, this.token, sealed))
      if (info == null) return undefined
      if (opts.nowMs - info.atMs > CRP_PARKED_TTL_MS) return undefined
      if (opts.lastAcceptedAtMs != null && info.atMs <= opts.lastAcceptedAtMs) return undefined
      return info
    } catch {
      return undefined
    } finally {
      sodium.memzero(key)
    }
  }

  /** Waits (as long as the caller's signal allows) for the relay to match the other role. */
  async awaitMatched (signal?: AbortSignal): Promise<void> {
    this.expect('registered')
    const msg = await this.read(signal)
    if (msg.matched == null) return await this.violation()
    this.current = 'matched'
  }

  /** Challenges, then proofs (§9.4). Resolves once the other side proved it holds this SharedSecret. */
  async verify (signal?: AbortSignal): Promise<void> {
    this.expect('matched')
    const own = this.randomBytes(CRP_NONCE_BYTES)
    await this.send({ challenge: { nonce: wire(new Uint8Array(own)) } }, signal)
    const challenge = await this.read(signal)
    if (challenge.challenge == null) return await this.violation()
    const theirs = challenge.challenge.nonce
    // A relayed value of the wrong size is the failed check of this step (docs/protocol.md §3.4).
    if (theirs.length !== CRP_NONCE_BYTES) return await this.fail(new IncorrectSharedSecretError())
    ;[this.nA, this.nB] = this.role === 'A' ? [own, new Uint8Array(theirs)] : [new Uint8Array(theirs), own]

    const proof = crpProof(this.ss, this.role, this.token, this.nA, this.nB)
    await this.send({ proof: { mac: wire(proof) } }, signal)
    const reply = await this.read(signal)
    if (reply.proof == null) return await this.violation()
    const expected = crpProof(this.ss, otherRole(this.role), this.token, this.nA, this.nB)
    const ok = ctEqual(expected, reply.proof.mac)
    sodium.memzero(expected)
    if (!ok) return await this.fail(new IncorrectSharedSecretError())
    this.current = 'verified'
  }

  /** A: the sealed offer with its run identity (§9.4). */
  async sendOffer (own: CrpPeerInfo, signal?: AbortSignal): Promise<void> {
    this.expectRole('A')
    this.expect('verified')
    await this.send({ offer: this.sealWith('offer', own) }, signal)
    this.current = 'offered'
  }

  /** A: B's sealed answer, opened. */
  async readAnswer (signal?: AbortSignal): Promise<CrpPeerInfo> {
    this.expectRole('A')
    this.expect('offered')
    const msg = await this.read(signal)
    if (msg.answer == null) return await this.violation()
    const info = await this.openWith('answer', msg.answer)
    this.current = 'answered'
    return info
  }

  /** B: A's sealed offer, opened. */
  async readOffer (signal?: AbortSignal): Promise<CrpPeerInfo> {
    this.expectRole('B')
    this.expect('verified')
    const msg = await this.read(signal)
    if (msg.offer == null) return await this.violation()
    const info = await this.openWith('offer', msg.offer)
    this.current = 'offerRead'
    return info
  }

  /** B: the sealed answer with its run identity; B then dials A. */
  async sendAnswer (own: CrpPeerInfo, signal?: AbortSignal): Promise<void> {
    this.expectRole('B')
    this.expect('offerRead')
    await this.send({ answer: this.sealWith('answer', own) }, signal)
    this.current = 'answered'
  }

  /**
   * A, after the answer: waits for the relay to end the stream. An end without a word resolves
   * (after our own `Done`, or the stream is gone); a forwarded `Error` (B's UNREACHABLE, PEER_LEFT,
   * EXPIRED) throws it; any other frame is a violation.
   */
  async awaitEnd (signal?: AbortSignal): Promise<void> {
    if (this.current === 'done' || this.current === 'failed') return
    try {
      await this.read(signal)
    } catch (err) {
      if (err instanceof PeerLeftError) return
      throw err
    }
    return await this.violation()
  }

  /** `Done` (§9.2: the relay deletes the token's row), then our side closes. Best effort, any state. */
  async done (): Promise<void> {
    if (this.current === 'done' || this.current === 'failed') return
    this.current = 'done'
    try {
      await this.channel.write({ done: {} }, { signal: AbortSignal.timeout(DONE_WRITE_TIMEOUT_MS) })
      await this.channel.close()
    } catch {
      this.channel.abort(new Error('crp stream ended'))
    }
    this.dispose()
  }

  /** Ends the registration without `Done` (the next run registers again): the row stays. */
  async leave (): Promise<void> {
    if (this.current !== 'done' && this.current !== 'failed') this.current = 'failed'
    await this.channel.close()
    this.dispose()
  }

  /** Sends `Error{code}` (relayed to the other side in a matched run), closes, throws `err`. */
  async fail (err: GiniError): Promise<never> {
    if (this.current !== 'failed' && this.current !== 'done') {
      this.current = 'failed'
      try {
        await this.channel.write(errorFrame(err.code), { signal: AbortSignal.timeout(DONE_WRITE_TIMEOUT_MS) })
        await this.channel.close()
      } catch {
        this.channel.abort(err)
      }
    }
    this.dispose()
    throw err
  }

  /** Wipes the secret and the nonces; safe to call more than once. */
  dispose (): void {
    sodium.memzero(this.ss)
    if (this.nA != null) sodium.memzero(this.nA)
    if (this.nB != null) sodium.memzero(this.nB)
  }

  private sealWith (kind: 'offer' | 'answer', own: CrpPeerInfo): Sealed {
    const key = this.sessionKey(kind)
    try {
      const box = seal(key, crpOfferAd(this.token, this.nA!, this.nB!), encodePeerInfo(own))
      return { nonce: wire(box.nonce), ciphertext: wire(box.ciphertext) }
    } finally {
      sodium.memzero(key)
    }
  }

  private async openWith (kind: 'offer' | 'answer', sealed: Sealed): Promise<CrpPeerInfo> {
    const key = this.sessionKey(kind)
    let plaintext: Uint8Array
    try {
      plaintext = open(key, crpOfferAd(this.token, this.nA!, this.nB!), sealed)
    } catch {
      return await this.fail(new IncorrectSharedSecretError())
    } finally {
      sodium.memzero(key)
    }
    const info = decodePeerInfo(plaintext)
    // Authenticated but malformed: broken software on the other side, not an attack.
    if (info == null) return await this.fail(new ProtocolViolationError())
    return info
  }

  private sessionKey (kind: 'offer' | 'answer'): Uint8Array {
    if (this.nA == null || this.nB == null) throw new Error('no challenges exchanged yet')
    return kind === 'offer'
      ? crpOfferKey(this.ss, this.token, this.nA, this.nB)
      : crpAnswerKey(this.ss, this.token, this.nA, this.nB)
  }

  private async send (msg: CrpMessage, signal?: AbortSignal): Promise<void> {
    try {
      await this.channel.write(msg, { signal })
    } catch (err) {
      return this.broken(err, signal)
    }
  }

  /** The next frame; a relayed `Error` becomes its typed error, a bad frame PROTOCOL_VIOLATION. */
  private async read (signal?: AbortSignal): Promise<CrpMessage> {
    let msg: CrpMessage
    try {
      msg = await this.channel.read({ signal })
    } catch (err) {
      if (err instanceof ProtocolViolationError && signal?.aborted !== true) return await this.fail(err)
      return this.broken(err, signal)
    }
    if (msg.error != null) {
      this.current = 'failed'
      await this.channel.close()
      this.dispose()
      throw errorFromWire(msg.error.code)
    }
    return msg
  }

  /** The stream cannot go on (reset, closed, or the caller's signal): abort it, pass the reason on. */
  private broken (err: unknown, signal?: AbortSignal): never {
    this.current = 'failed'
    const reason = signal?.aborted === true && signal.reason instanceof Error ? signal.reason : err
    this.channel.abort(reason instanceof Error ? reason : new Error(String(reason)))
    this.dispose()
    if (reason instanceof GiniError || signal?.aborted === true) throw reason
    throw new PeerLeftError(undefined, { cause: err })
  }

  private async violation (): Promise<never> {
    return await this.fail(new ProtocolViolationError())
  }

  private expect (state: CrpPeerState): void {
    if (this.current !== state) throw new Error(`CRP step out of order: in ${this.current}, expected ${state}`)
  }

  private expectRole (role: PairingRole): void {
    if (this.role !== role) throw new Error(`only role ${role} may do this`)
  }
}

/** Bound on writing `Done` or an `Error` (a relay that stopped reading must not hold us). */
const DONE_WRITE_TIMEOUT_MS = 5_000

/** `parked = AEAD(H(32, "gini/crp/1/park" ‖ X, key = ss), token, PeerInfo)` (§9.1). */
export function sealParkedOffer (ss: Uint8Array, role: PairingRole, token: Uint8Array, info: CrpPeerInfo): Sealed {
  const key = crpParkKey(ss, role)
  try {
    const box = seal(key, token, encodePeerInfo(info))
    return { nonce: wire(box.nonce), ciphertext: wire(box.ciphertext) }
  } finally {
    sodium.memzero(key)
  }
}

function roleBytes (role: PairingRole): Uint8Array {
  return Uint8Array.of(role === 'A' ? 0x41 : 0x42)
}

function otherRole (role: PairingRole): PairingRole {
  return role === 'A' ? 'B' : 'A'
}
