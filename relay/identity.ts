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
