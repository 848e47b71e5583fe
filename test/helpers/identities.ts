// Identities for key-change tests (docs/protocol.md §18.1): a peer's own long-term libp2p key (so the
// same peer id, proven by peer_id_sig) with a new X25519 PPK — what a reinstall on a new device that
// kept only the libp2p key, or someone who stole that key, would bring to a re-pairing.
import { FileStorage } from '../../peer/index.js'
import type { IdentityRecord } from '../../peer/core/storage.js'
import { generateX25519 } from '../../protocols/crypto/index.js'

/** The identity stored in `dir` with its PPK replaced by a fresh one (call after crypto `ready()`). */
export async function sameIdNewPpk (dir: string): Promise<IdentityRecord> {
  const identity = await new FileStorage(dir).loadIdentity()
  if (identity == null) throw new Error(`no identity in ${dir}`)
  return { ...identity, ppkPrivate: generateX25519().privateKey }
}
