// `/gini/contact/1` (docs/protocol.md §7): once, on the stream B opens on the pairing
// connection. Both sides run the same function:
//   sent       — own card written at once (binding with OWN role)
//   cardRead   — the other's card checked (binding with the PEER's role, then the fields)
//   accepted   — own write side closed = "your card is accepted"
//   done       — the other closed cleanly = "my card was accepted"  → resolve
// A defect sends Error{INVALID_CARD} and closes; an Error frame from the other side is a refusal.
// The caller stores nothing unless this resolves (and §8 then succeeds).
import { peerIdFromMultihash } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import {
  InvalidCardError, errorFrame, type FrameChannel, ProtocolRun, readOrEnd, watchRemoteClose, writeFrame
} from '../common/index.js'
import { cardBinding, ctEqual, signPeerId, verifyPeerIdSig, type PairingRole } from '../crypto/index.js'
import { PPK_BYTES } from './constants.js'
import type { ContactCard, ContactMessage } from './pb/contact.js'
import { parseVCard } from './vcard.js'
import type { ParsedVCard } from './vcard.js'

/** Own card, as sent. `peerId` is the long-term peer id's multihash bytes (§2.4), multiaddrs binary. */
export interface OwnCard {
  vcard: string
  ppk: Uint8Array
  peerId: Uint8Array
  multiaddrs: Uint8Array[]
  /** The long-term Ed25519 key of `peerId` (libsodium's 64-byte secret key), for `peer_id_sig`. Secret. */
  signingKey: Uint8Array
}

/** The other's card after every §7 check. */
export interface ReceivedCard {
  vcard: ParsedVCard
  ppk: Uint8Array
  peerId: PeerId
  multiaddrs: Multiaddr[]
}

export interface ContactExchangeOptions {
  /** Own §6 role: A = creator, B = joiner. */
  role: PairingRole
  /** k_contact from §6.8. */
  kContact: Uint8Array
  own: OwnCard
  /**
   * The caller's own verdict on a card that passed §7's checks, before it is accepted: throwing an
   * InvalidCardError (or a subclass) refuses it with INVALID_CARD and rejects with that error.
   */
  checkCard?: (card: ReceivedCard) => void | Promise<void>
  /** Bounds every read and write (the glue's CONTACT_EXCHANGE_TIMEOUT_MS). */
  signal?: AbortSignal
}

const PEER_ROLE: Record<PairingRole, PairingRole> = { A: 'B', B: 'A' }

/** Runs §7 on one stream; resolves with the other's card once both cards were accepted. */
export async function exchangeContactCards (channel: FrameChannel<ContactMessage>, opts: ContactExchangeOptions): Promise<ReceivedCard> {
  const { signal } = opts
  const run = new ProtocolRun(channel, errorFrame, signal)
  const watch = watchRemoteClose(channel.stream)
  try {
    // sent: "Each side writes its card at once, then reads the other's."
    await writeFrame(channel, { card: ownCardFrame(opts.own, opts.role, opts.kContact) }, signal)

    // cardRead
    const msg = await run.read()
    if (msg.error != null) throw await run.remoteRefused(msg.error.code)
    if (msg.card == null) throw await run.refuse('PROTOCOL_VIOLATION')
    let received: ReceivedCard
    try {
      received = verifyContactCard(msg.card, PEER_ROLE[opts.role], opts.kContact)
      verifyPeerIdProof(msg.card, received.peerId)
    } catch (err) {
      throw await run.refuse('INVALID_CARD', err instanceof InvalidCardError ? err : undefined)
    }
    try {
      await opts.checkCard?.(received)
    } catch (err) {
      // The caller's refusal travels as INVALID_CARD; anything else (a storage failure) aborts.
      if (err instanceof InvalidCardError) throw await run.refuse('INVALID_CARD', err)
      throw err
    }

    // accepted: our clean close tells the other side its card is accepted
    await channel.close()

    // done: the other's clean close means ours was accepted; an Error means refused
    const next = await readOrEnd(channel, watch, signal)
    if (next === undefined) return received
    if (next.error != null) throw await run.remoteRefused(next.error.code)
    throw run.violationAfterClose()
  } catch (err) {
    throw run.fail(err)
  } finally {
    watch.stop()
  }
}

/**
 * §7's receiver checks, binding first (is it from the verified pairing peer?), then the fields:
 * ppk 32 bytes, an Ed25519 peer id (§2.4), multiaddrs that decode, a vCard 4.0 with FN ≤ 256 KiB.
 * `senderRole` is the OTHER side's §6 role. Throws InvalidCardError. The exchange also requires
 * verifyPeerIdProof (our extension of the base spec, docs/protocol.md §7).
 */
export function verifyContactCard (card: ContactCard, senderRole: PairingRole, kContact: Uint8Array): ReceivedCard {
  const expected = cardBinding(kContact, senderRole, card)
  if (!ctEqual(expected, card.binding)) throw new InvalidCardError()
  if (card.ppk.length !== PPK_BYTES) throw new InvalidCardError()
  const peerId = decodePeerId(card.peerId)
  const multiaddrs = card.multiaddrs.map(decodeMultiaddr)
  if (peerId == null || multiaddrs.some(ma => ma == null)) throw new InvalidCardError()
  const vcard = parseVCard(card.vcard)
  return { vcard, ppk: card.ppk, peerId, multiaddrs: multiaddrs as Multiaddr[] }
}

/**
 * docs/protocol.md §7 `peer_id_sig`: the card's peer id key signed this card's binding. Without it
 * anyone we pair with could claim another contact's peer id and take that contact's place.
 * Throws PeerIdNotProvenError when the signature is missing or wrong.
 */
export function verifyPeerIdProof (card: ContactCard, peerId: PeerId): void {
  const sig = card.peerIdSig
  if (sig == null || sig.length === 0 || peerId.publicKey == null || !verifyPeerIdSig(peerId.publicKey.raw, card.binding, sig)) {
    throw new PeerIdNotProvenError()
  }
}

/** A long-term peer id from its multihash bytes (§2.4); only Ed25519 ids are long-term keys. */
function decodePeerId (bytes: Uint8Array): PeerId | undefined {
  try {
    const peerId = peerIdFromMultihash(Digest.decode(bytes))
    return peerId.type === 'Ed25519' ? peerId : undefined
  } catch {
    return undefined
  }
}

/** A binary multiaddr (§2.4), or undefined if it does not decode; the empty multiaddr "/" is refused. */
export function decodeMultiaddr (bytes: Uint8Array): Multiaddr | undefined {
  try {
    const ma = multiaddr(bytes)
    return ma.getComponents().length > 0 ? ma : undefined
  } catch {
    return undefined
  }
}

/** Own card with its binding made with OWN role (§7: "X = the sender's §6 role"), signed by the peer id's key. */
function ownCardFrame (own: OwnCard, role: PairingRole, kContact: Uint8Array): ContactCard {
  const binding = cardBinding(kContact, role, own)
  return {
    vcard: own.vcard,
    ppk: copy(own.ppk),
    peerId: copy(own.peerId),
    multiaddrs: own.multiaddrs.map(copy),
    binding: copy(binding),
    peerIdSig: copy(signPeerId(own.signingKey, binding))
  }
}

/** The generated codec types bytes as Uint8Array<ArrayBuffer>; a copy is one, whatever backs the input. */
function copy (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes)
}

/** A card whose `peer_id_sig` is missing or wrong (docs/protocol.md §7): INVALID_CARD on the wire. */
export class PeerIdNotProvenError extends InvalidCardError {
  constructor () {
    super('The contact card could not be verified: its peer id is not signed by that peer\'s key.')
    this.name = 'PeerIdNotProvenError'
  }
}
