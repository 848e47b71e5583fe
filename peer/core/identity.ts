// The person's long-term identity (docs/protocol.md §2.4): an Ed25519 libp2p key (the long-term peer id)
// and an X25519 key pair (the permanent PPK). Created once, then only loaded.
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { generateX25519, x25519PublicFromPrivate, type X25519KeyPair } from '../../protocols/crypto/index.js'
import type { Clock } from '../../protocols/common/index.js'
import type { GiniStorage } from './storage.js'

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
  const privateKey = await generateKeyPair('Ed25519')
  const ppk = generateX25519()
  const createdAtMs = clock.now()
  await storage.saveIdentity({ libp2pKey: privateKeyToProtobuf(privateKey), ppkPrivate: ppk.privateKey, createdAtMs })
  return { created: true, identity: { privateKey, peerId: peerIdFromPrivateKey(privateKey), ppk, createdAtMs } }
}
