// Generates OUR published test vectors, test/vectors/gini-v1.json (docs/protocol.md §12) and
// test/vectors/gini-card-update-v1.json (§19), from fixed
// inputs and the functions of protocols/crypto. Same JSON shape as the independent vectors in
// test/vectors/gini-v1-independent.json. test/unit/protocols/crypto/vectors.test.ts rebuilds
// this file and compares, so it cannot drift. Run: `npx tsc -p . && node dist/scripts/gen-vectors.js`.
import { writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  cardBinding, cardUpdateSigningInput, concat, signCardUpdate, cpaceChannelId, cpaceGenerator, cpaceIsk, createCpaceParty, crpAnswerKey,
  crpOfferAd, crpOfferKey, crpParkKey, crpProof, crpRole, crpToken, deriveSessionSecret,
  flashCodeLookup, H, leb128, normalizeFlashCode, peerIdSigMessage, ready, signPeerId, sodium, toHex, utf8,
  x25519PublicFromPrivate
} from '../protocols/crypto/index.js'

export interface SealedExample { key: string, ad: string, nonce: string, ciphertext: string }

/** The shape shared by both vector files (hex for bytes). */
export interface VectorFile {
  note: string
  flash_code: { typed: string, FC_ascii: string, R: string, lookup: string }
  normalization: { ok: Record<string, string>, rejected: string[] }
  cpace: {
    FC: string,
    R: string,
    sid: string,
    CI: string,
    ya: string,
    yb: string,
    g: string,
    TPK_A: string,
    TPK_B: string,
    K: string,
    ISK: string,
    T: string,
    MFC_A: string,
    MFC_B: string,
    k_offer: string,
    k_answer: string,
    k_contact: string
  }
  contact_binding: {
    k_contact: string,
    role: string,
    vcard: string,
    ppk: string,
    peer_id: string,
    multiaddrs: string[],
    binding: string
    /** docs/protocol.md §7 extension (ours only): the long-term key's Ed25519 seed, the signed message, the signature. */
    peer_id_seed?: string,
    peer_id_sig_message?: string,
    peer_id_sig?: string
  }
  session: { ppk_I: string, ppk_R: string, e_I: string, e_R: string, T: string, SharedSecret: string, confirm_I: string, confirm_R: string }
  crp: {
    SharedSecret: string,
    token: string,
    role_of_ppk_I: string,
    role_of_ppk_R: string,
    n_A: string,
    n_B: string,
    proof_A: string,
    proof_B: string,
    k_offer: string,
    k_answer: string,
    ad_offer_answer: string,
    k_park_A: string,
    k_park_B: string,
    peer_info: string,
    offer_example: SealedExample,
    parked_by_A_example: SealedExample,
    register_by_A: string
  }
}

export const VECTORS_URL = new URL('../../test/vectors/gini-v1.json', import.meta.url)

// Every fixed input is H(n, "gini/test-vectors/1/<name>"): reproducible, and visibly not chosen.
function fixed (name: string, n = 32): Uint8Array {
  return H(n, utf8(`gini/test-vectors/1/${name}`))
}

function fixedScalar (name: string): Uint8Array {
  return sodium.crypto_core_ristretto255_scalar_reduce(fixed(name, 64))
}

// Minimal protobuf writer for the two messages in the file (PeerInfo, CrpMessage.register): the
// vectors must not depend on a generated codec they are meant to check.
function pbBytes (field: number, value: Uint8Array): Uint8Array {
  return concat(leb128(field << 3 | 2), leb128(value.length), value)
}

function pbVarint (field: number, value: number): Uint8Array {
  return concat(leb128(field << 3), leb128(value))
}

const TYPED_CODE = '7kq9o-2lmxv' // exercises lower case, O→0, L→1 and a 10-symbol code
const NORMALIZATION_OK = [
  ' 5h7m 8gq2 ', 'oIl0-abcd', '5H7M8GQ2XY', TYPED_CODE, '５ｈ７ｍ－８ｇｑ２', '5h7m\u00a08gq2',
  '5h7m\u30008gq2', '5H7M_8GQ2.', '\t5H7M\n8GQ2\r\n', '5H7M.8GQ2.XY'
]
const NORMALIZATION_REJECTED = [
  '', '5H7M8G', '5H7M-8GQU', '5h7m-8gqu', '5H7M8GQ2X', '5H7M8GQ2XYZ', '5H7M8GQ!', '5H7M8GQß',
  '5H7M\u20108GQ2', '5H7M8GQé', '5H7M8GQ2/'
]
const VCARD = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoë Ünal\r\nEND:VCARD\r\n'
const AT_MS = 1767225600000 // 2026-01-01T00:00:00Z

export async function buildVectors (): Promise<VectorFile> {
  await ready()
  const relay = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', fixed('relay')))
  const pairing = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', fixed('pairing-A')))
  const longTermKey = await generateKeyPairFromSeed('Ed25519', fixed('long-term-B'))
  const longTerm = peerIdFromPrivateKey(longTermKey)
  const R = relay.toMultihash().bytes
  const circuit = `/ip4/198.51.100.7/tcp/4001/p2p/${relay.toString()}/p2p-circuit`

  // §4, §5
  const FC = normalizeFlashCode(TYPED_CODE)
  const lookup = flashCodeLookup(R, FC)
  const ok: Record<string, string> = {}
  for (const typed of NORMALIZATION_OK) ok[typed] = normalizeFlashCode(typed)
  for (const typed of NORMALIZATION_REJECTED) {
    let rejected = false
    try { normalizeFlashCode(typed) } catch { rejected = true }
    if (!rejected) throw new Error(`normalization case ${JSON.stringify(typed)} was accepted`)
  }

  // §6
  const sidA = fixed('sid_a', 16)
  const sidB = fixed('sid_b', 16)
  const sid = concat(sidA, sidB)
  const ya = fixedScalar('ya')
  const yb = fixedScalar('yb')
  const g = cpaceGenerator(FC, R, sid)
  const common = { fc: FC, relayId: R, lookup, sidA, sidB }
  const partyA = createCpaceParty({ ...common, role: 'A', scalar: ya })
  const partyB = createCpaceParty({ ...common, role: 'B', scalar: yb })
  const K = sodium.crypto_scalarmult_ristretto255(ya, partyB.share)
  const keys = partyA.finish(partyB.share)
  const keysB = partyB.finish(partyA.share)
  if (!sodium.memcmp(keys.isk, keysB.isk)) throw new Error('CPace: A and B disagree')

  // §7
  const ppkB = x25519PublicFromPrivate(fixed('ppk_R'))
  const cardMultiaddrs = [multiaddr(`${circuit}/webrtc/p2p/${longTerm.toString()}`).bytes, multiaddr(`/ip4/203.0.113.9/udp/4001/webrtc-direct/p2p/${longTerm.toString()}`).bytes]
  const card = { vcard: VCARD, ppk: ppkB, peerId: longTerm.toMultihash().bytes, multiaddrs: cardMultiaddrs }
  const binding = cardBinding(keys.kContact, 'B', card)

  // §8
  const [ppkI, ppkR, eI, eR] = ['ppk_I', 'ppk_R', 'e_I', 'e_R'].map(n => fixed(n))
  const session = deriveSessionSecret({
    role: 'I',
    ppkSelf: ppkI,
    PPKSelf: x25519PublicFromPrivate(ppkI),
    PPKPeer: x25519PublicFromPrivate(ppkR),
    eSelf: eI,
    ESelf: x25519PublicFromPrivate(eI),
    EPeer: x25519PublicFromPrivate(eR)
  })

  // §9
  const ss = session.sharedSecret
  const token = crpToken(ss)
  const nA = fixed('n_A')
  const nB = fixed('n_B')
  const kOffer = crpOfferKey(ss, token, nA, nB)
  const kParkA = crpParkKey(ss, 'A')
  const peerInfo = concat(
    pbBytes(1, pairing.toMultihash().bytes),
    pbBytes(2, multiaddr(`${circuit}/webrtc/p2p/${pairing.toString()}`).bytes),
    pbBytes(2, multiaddr(`${circuit}/p2p/${pairing.toString()}`).bytes),
    pbVarint(3, AT_MS)
  )
  // Fixed nonces so the file is reproducible; the product's seal() always draws a fresh one.
  const offerNonce = fixed('nonce/offer', 24)
  const offerCt = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(peerInfo, crpOfferAd(token, nA, nB), null, offerNonce, kOffer)
  const parkNonce = fixed('nonce/park-A', 24)
  const parkCt = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(peerInfo, token, null, parkNonce, kParkA)
  const register = pbBytes(1, concat(pbBytes(1, token), pbBytes(2, concat(pbBytes(1, parkNonce), pbBytes(2, parkCt))), pbBytes(3, utf8('A'))))

  return {
    note: 'Published by GiniConnect (scripts/gen-vectors.ts) from docs/protocol.md v1. Fixed inputs are H(n, "gini/test-vectors/1/<name>"); CPace scalars are scalar_reduce(H(64, …)). Byte strings are hex; X25519 private keys are raw 32 bytes (clamped by X25519); sid is sid_a ‖ sid_b (16 bytes each).',
    flash_code: { typed: TYPED_CODE, FC_ascii: FC, R: toHex(R), lookup: toHex(lookup) },
    normalization: { ok, rejected: NORMALIZATION_REJECTED },
    cpace: {
      FC,
      R: toHex(R),
      sid: toHex(sid),
      CI: toHex(cpaceChannelId(R)),
      ya: toHex(ya),
      yb: toHex(yb),
      g: toHex(g),
      TPK_A: toHex(partyA.share),
      TPK_B: toHex(partyB.share),
      K: toHex(K),
      ISK: toHex(cpaceIsk(sid, K, partyA.share, partyB.share)),
      T: toHex(keys.transcript),
      MFC_A: toHex(keys.ownMfc),
      MFC_B: toHex(keys.expectedPeerMfc),
      k_offer: toHex(keys.kOffer),
      k_answer: toHex(keys.kAnswer),
      k_contact: toHex(keys.kContact)
    },
    contact_binding: {
      k_contact: toHex(keys.kContact),
      role: 'B',
      vcard: VCARD,
      ppk: toHex(card.ppk),
      peer_id: toHex(card.peerId),
      multiaddrs: card.multiaddrs.map(toHex),
      binding: toHex(binding),
      peer_id_seed: toHex(fixed('long-term-B')),
      peer_id_sig_message: toHex(peerIdSigMessage(binding)),
      peer_id_sig: toHex(signPeerId(longTermKey.raw, binding))
    },
    session: {
      ppk_I: toHex(ppkI),
      ppk_R: toHex(ppkR),
      e_I: toHex(eI),
      e_R: toHex(eR),
      T: toHex(session.transcript),
      SharedSecret: toHex(ss),
      confirm_I: toHex(session.confirmI),
      confirm_R: toHex(session.confirmR)
    },
    crp: {
      SharedSecret: toHex(ss),
      token: toHex(token),
      role_of_ppk_I: crpRole(x25519PublicFromPrivate(ppkI), x25519PublicFromPrivate(ppkR)),
      role_of_ppk_R: crpRole(x25519PublicFromPrivate(ppkR), x25519PublicFromPrivate(ppkI)),
      n_A: toHex(nA),
      n_B: toHex(nB),
      proof_A: toHex(crpProof(ss, 'A', token, nA, nB)),
      proof_B: toHex(crpProof(ss, 'B', token, nA, nB)),
      k_offer: toHex(kOffer),
      k_answer: toHex(crpAnswerKey(ss, token, nA, nB)),
      ad_offer_answer: toHex(crpOfferAd(token, nA, nB)),
      k_park_A: toHex(kParkA),
      k_park_B: toHex(crpParkKey(ss, 'B')),
      peer_info: toHex(peerInfo),
      offer_example: { key: 'k_offer', ad: 'token ‖ n_A ‖ n_B', nonce: toHex(offerNonce), ciphertext: toHex(offerCt) },
      parked_by_A_example: { key: 'k_park_A', ad: 'token', nonce: toHex(parkNonce), ciphertext: toHex(parkCt) },
      register_by_A: toHex(register)
    }
  }
}

export function serializeVectors (v: VectorFile): string {
  return JSON.stringify(v, null, 2) + '\n'
}

export const CARD_UPDATE_VECTORS_URL = new URL('../../test/vectors/gini-card-update-v1.json', import.meta.url)

export interface CardUpdateVectorCase {
  name: string
  seq: string
  card_name: string
  email: string
  photo: string
  signing_input: string
  signature: string
  /** SessionMessage{card_update = 6}, written without the generated codec. */
  session_message: string
}

export interface CardUpdateVectorFile {
  note: string
  seed: string
  public_key: string
  peer_id: string
  cases: CardUpdateVectorCase[]
}

/** docs/protocol.md §19 CardUpdate: signature input and Ed25519 signature for a fixed long-term key. */
export async function buildCardUpdateVectors (): Promise<CardUpdateVectorFile> {
  await ready()
  const seed = fixed('card-update/ed25519-seed')
  const key = await generateKeyPairFromSeed('Ed25519', seed)
  const secretKey = key.raw // libsodium's 64-byte secret key: seed ‖ public key
  // A PNG signature and a few bytes: §19 only checks the magic bytes.
  const png = concat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), fixed('card-update/photo', 24))
  const inputs = [
    { name: 'name and email, seq 1', seq: 1, card_name: 'Alice Example', email: 'alice@example.org', photo: new Uint8Array(0) },
    { name: 'non-ASCII name, no email, a photo', seq: 2, card_name: 'Zoë Ünal', email: '', photo: png },
    { name: 'a large seq (5 varint bytes)', seq: 2 ** 40, card_name: 'A', email: 'a@b.c', photo: new Uint8Array(0) }
  ]
  return {
    note: 'Published by GiniConnect (scripts/gen-vectors.ts) from docs/protocol.md §19. seed = H(32, "gini/test-vectors/1/card-update/ed25519-seed"); signature = Ed25519-Sign(seed key, signing_input). Byte strings are hex, seq a decimal string.',
    seed: toHex(seed),
    public_key: toHex(key.publicKey.raw),
    peer_id: peerIdFromPrivateKey(key).toString(),
    cases: inputs.map((c) => {
      const fields = { seq: BigInt(c.seq), name: c.card_name, email: c.email, photo: c.photo }
      const signature = signCardUpdate(secretKey, fields)
      const body = concat(pbVarint(1, c.seq), pbBytes(2, utf8(c.card_name)), ...(c.email !== '' ? [pbBytes(3, utf8(c.email))] : []),
        ...(c.photo.length > 0 ? [pbBytes(4, c.photo)] : []), pbBytes(5, signature))
      return {
        name: c.name,
        seq: String(c.seq),
        card_name: c.card_name,
        email: c.email,
        photo: toHex(c.photo),
        signing_input: toHex(cardUpdateSigningInput(fields)),
        signature: toHex(signature),
        session_message: toHex(pbBytes(6, body))
      }
    })
  }
}

if (process.argv[1] != null && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const vectors = await buildVectors()
  writeFileSync(VECTORS_URL, serializeVectors(vectors))
  console.log(`wrote ${fileURLToPath(VECTORS_URL)}`)
  writeFileSync(CARD_UPDATE_VECTORS_URL, JSON.stringify(await buildCardUpdateVectors(), null, 2) + '\n')
  console.log(`wrote ${fileURLToPath(CARD_UPDATE_VECTORS_URL)}`)
}
