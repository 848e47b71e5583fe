// The relay's long-lived libp2p identity. Its peer id is `R` in every formula of docs/protocol.md
// (§5 lookup, §6.7 CPace CI, §6.8 T), so it must survive restarts: peers derive lookups against it.
import { chmod, link, mkdir, open, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { IDENTITY_FILE } from './constants.js'
import type { PrivateKey } from '@libp2p/interface'

/** Reads `<dataDir>/identity.key`, or creates it (Ed25519, mode 0600, written atomically). */
export async function loadOrCreateIdentity (dataDir: string): Promise<PrivateKey> {
  const file = join(dataDir, IDENTITY_FILE)
  try {
    return privateKeyFromProtobuf(await readFile(file))
  } catch (err: any) {
    if (err?.code !== 'ENOENT') throw err
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const key = await generateKeyPair('Ed25519')
  if (await createFileAtomic(file, privateKeyToProtobuf(key), 0o600)) return key
  return privateKeyFromProtobuf(await readFile(file)) // another process created it first: use theirs
}

/**
 * Writes a temp file, fsyncs it, then hard-links it into place: a crash leaves no file or the
 * whole one, and two relays starting on one data dir cannot overwrite each other's key.
 * Returns false when the target already exists.
 */
async function createFileAtomic (file: string, data: Uint8Array, mode: number): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`
  const fh = await open(tmp, 'wx', mode)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } catch (err) {
    await fh.close()
    await rm(tmp, { force: true })
    throw err
  }
  await fh.close()
  try {
    await chmod(tmp, mode) // open()'s mode passes through the umask; state it exactly
    await link(tmp, file)
    return true
  } catch (err: any) {
    if (err?.code === 'EEXIST') return false
    throw err
  } finally {
    await rm(tmp, { force: true })
  }
}

/**
 * The relay's key with its last signature remembered. Noise signs the same message, the relay's
 * static Noise key, on every handshake; Ed25519 signatures are deterministic (RFC 8032 §5.1.6), so
 * answering a repeat from memory gives the same bytes without the ≈ 0.1 ms of signing. Other key
 * types are returned as they are.
 */
export function withRepeatSignatures (key: PrivateKey): PrivateKey {
  if (key.type !== 'Ed25519') return key
  let last: { message: Uint8Array, signature: Uint8Array } | undefined
  const signer: PrivateKey = Object.create(key)
  signer.sign = (data, options) => {
    options?.signal?.throwIfAborted()
    const message = data instanceof Uint8Array ? data : data.subarray()
    if (last != null && Buffer.from(last.message).equals(message)) return Uint8Array.from(last.signature)
    const remember = (signature: Uint8Array): Uint8Array => {
      // Copies (Buffer's slice() is a view): neither the caller nor the signer can change the memory.
      last = { message: Uint8Array.from(message), signature: Uint8Array.from(signature) }
      return signature
    }
    const signed = key.sign(message)
    return signed instanceof Uint8Array ? remember(signed) : signed.then(remember)
  }
  return signer
}
