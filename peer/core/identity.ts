// The person's long-term identity (docs/protocol.md §2.4): an Ed25519 libp2p key (the long-term peer id)
// and an X25519 key pair (the permanent PPK). Created once from one root entropy (§20.2), then only loaded.
import { generateKeyPairFromSeed, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import {
  bytesToMnemonic, ctEqual, deriveIdentityKeys, IDENTITY_ROOT_BYTES, mnemonicToBytes, MnemonicError, sodium,
  x25519PublicFromPrivate, type X25519KeyPair
} from '../../protocols/crypto/index.js'
import type { Clock } from '../../protocols/common/index.js'
import type { GiniStorage, IdentityRecord } from './storage.js'

export interface Identity {
  privateKey: PrivateKey
  peerId: PeerId
  ppk: X25519KeyPair
  createdAtMs: number
}

/** The stored identity, or undefined if none was created yet (nothing is written). */
export async function loadIdentity (storage: GiniStorage): Promise<Identity | undefined> {
  const stored = await storage.loadIdentity()
  if (stored == null) return undefined
  const privateKey = privateKeyFromProtobuf(stored.libp2pKey)
  return {
    privateKey,
    peerId: peerIdFromPrivateKey(privateKey),
    ppk: { privateKey: stored.ppkPrivate, publicKey: x25519PublicFromPrivate(stored.ppkPrivate) },
    createdAtMs: stored.createdAtMs
  }
}

export async function loadOrCreateIdentity (storage: GiniStorage, clock: Clock): Promise<{ identity: Identity, created: boolean }> {
  const stored = await loadIdentity(storage)
  if (stored != null) return { created: false, identity: stored }
  const record = await identityFromRoot(sodium.randombytes_buf(IDENTITY_ROOT_BYTES), clock.now())
  await storage.saveIdentity(record)
  return { created: true, identity: (await loadIdentity(storage))! }
}

/** §20.2: the identity record a root entropy yields (the root kept in it, for the mnemonic). */
export async function identityFromRoot (root: Uint8Array, createdAtMs: number): Promise<IdentityRecord> {
  const { ed25519Seed, ppkPrivate } = deriveIdentityKeys(root)
  return await identityFromKeys(ed25519Seed, ppkPrivate, createdAtMs, root)
}

/** The identity record of two raw keys (an identity made before §20.2, restored from its two mnemonics). */
export async function identityFromKeys (ed25519Seed: Uint8Array, ppkPrivate: Uint8Array, createdAtMs: number, rootEntropy?: Uint8Array): Promise<IdentityRecord> {
  const key = await generateKeyPairFromSeed('Ed25519', ed25519Seed)
  return { libp2pKey: privateKeyToProtobuf(key), ppkPrivate, createdAtMs, ...(rootEntropy != null ? { rootEntropy } : {}) }
}

/** What `gini key --mnemonic` shows (§20.2): the root's 24 words, or one 24-word mnemonic per raw key. */
export type IdentityMnemonic =
  | { kind: 'root', words: string[] }
  | { kind: 'keys', peerKeyWords: string[], ppkWords: string[] }

/**
 * The identity's mnemonic. The stored keys are what the node uses: a root is shown only when it
 * yields exactly those keys; otherwise (none, or one that does not match) the two raw keys are.
 */
export function identityMnemonic (identity: IdentityRecord): IdentityMnemonic {
  if (identity.rootEntropy != null && rootMatches(identity, identity.rootEntropy)) return { kind: 'root', words: bytesToMnemonic(identity.rootEntropy) }
  return { kind: 'keys', peerKeyWords: bytesToMnemonic(ed25519SeedOf(identity)), ppkWords: bytesToMnemonic(identity.ppkPrivate) }
}

/** True when `root` derives the record's Ed25519 seed and PPK (compared in constant time). */
export function rootMatches (identity: IdentityRecord, root: Uint8Array): boolean {
  if (root.length !== IDENTITY_ROOT_BYTES || privateKeyFromProtobuf(identity.libp2pKey).type !== 'Ed25519') return false
  const derived = deriveIdentityKeys(root)
  return ctEqual(derived.ed25519Seed, ed25519SeedOf(identity)) && ctEqual(derived.ppkPrivate, identity.ppkPrivate)
}

/** The 32-byte seed of the stored Ed25519 key (libp2p keeps seed ‖ public key). */
function ed25519SeedOf (identity: IdentityRecord): Uint8Array {
  const key = privateKeyFromProtobuf(identity.libp2pKey)
  if (key.type !== 'Ed25519') throw new Error('The identity key is not an Ed25519 key: it has no mnemonic.')
  return key.raw.subarray(0, 32)
}

/**
 * The identity record the typed words restore (§20.2): 24 words are a root, 48 the two raw keys
 * (peer key first, then PPK). MnemonicError (position counted over all the words) when they do not decode.
 */
export async function identityFromMnemonic (words: string[], createdAtMs: number): Promise<IdentityRecord> {
  if (words.length === 24) return await identityFromRoot(mnemonicToBytes(words), createdAtMs)
  if (words.length === 48) {
    return await identityFromKeys(decodePart(words, 0, 'the first mnemonic (the peer key)'), decodePart(words, 24, 'the second mnemonic (the PPK)'), createdAtMs)
  }
  throw new MnemonicError(`a recovery phrase has 24 words (or 48 for an identity made before recovery phrases), not ${words.length}`)
}

/** One 24-word part of a 48-word phrase; a bad word's position is counted over all 48. */
function decodePart (words: string[], offset: number, label: string): Uint8Array {
  try {
    return mnemonicToBytes(words.slice(offset, offset + 24))
  } catch (err) {
    if (!(err instanceof MnemonicError)) throw err
    if (err.position == null) throw new MnemonicError(`${label}: ${err.message}`)
    const position = err.position + offset
    throw new MnemonicError(err.message.replace(/^word \d+/, `word ${position}`), position)
  }
}
