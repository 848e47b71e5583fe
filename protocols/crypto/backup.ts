// The gini-backup-v1 container (docs/protocol.md §20.1): header, Argon2id key, XChaCha20-Poly1305
// over the canonical plaintext with the header as additional data.
import { ready, sodium } from './sodium.js'

export const BACKUP_MAGIC = new Uint8Array([0x47, 0x49, 0x4e, 0x49, 0x42, 0x41, 0x4b, 0x00])
export const BACKUP_VERSION = 1
export const BACKUP_KDF_ARGON2ID13 = 1
export const BACKUP_HEADER_LENGTH = 58
export const BACKUP_DEFAULT_OPSLIMIT = 3
export const BACKUP_DEFAULT_MEMLIMIT_KIB = 262_144
const OPS_MIN = 1
const OPS_MAX = 10
const MEM_MIN_KIB = 8
const MEM_MAX_KIB = 1_048_576

export interface BackupKdfParams { opslimit: number, memlimitKiB: number }

export class BackupFormatError extends Error {}

function header (params: BackupKdfParams, salt: Uint8Array, nonce: Uint8Array): Uint8Array {
  const h = new Uint8Array(BACKUP_HEADER_LENGTH)
  const view = new DataView(h.buffer)
  h.set(BACKUP_MAGIC, 0)
  h[8] = BACKUP_VERSION
  h[9] = BACKUP_KDF_ARGON2ID13
  view.setUint32(10, params.opslimit)
  view.setUint32(14, params.memlimitKiB)
  h.set(salt, 18)
  h.set(nonce, 34)
  return h
}

function checkParams (p: BackupKdfParams): void {
  if (!Number.isInteger(p.opslimit) || p.opslimit < OPS_MIN || p.opslimit > OPS_MAX) {
    throw new BackupFormatError(`backup KDF opslimit ${p.opslimit} is outside ${OPS_MIN}..${OPS_MAX}`)
  }
  if (!Number.isInteger(p.memlimitKiB) || p.memlimitKiB < MEM_MIN_KIB || p.memlimitKiB > MEM_MAX_KIB) {
    throw new BackupFormatError(`backup KDF memlimit ${p.memlimitKiB} KiB is outside ${MEM_MIN_KIB}..${MEM_MAX_KIB}`)
  }
}

function deriveKey (passphrase: string, salt: Uint8Array, p: BackupKdfParams): Uint8Array {
  const pw = new TextEncoder().encode(passphrase.normalize('NFKC'))
  return sodium.crypto_pwhash(32, pw, salt, p.opslimit, p.memlimitKiB * 1024, sodium.crypto_pwhash_ALG_ARGON2ID13)
}

/** Seals `plaintext` (the canonical encoding of the records) under `passphrase`. */
export async function sealBackup (plaintext: Uint8Array, passphrase: string, params: BackupKdfParams = { opslimit: BACKUP_DEFAULT_OPSLIMIT, memlimitKiB: BACKUP_DEFAULT_MEMLIMIT_KIB }, salt?: Uint8Array, nonce?: Uint8Array): Promise<Uint8Array> {
  await ready()
  checkParams(params)
  const s = salt ?? sodium.randombytes_buf(16)
  const n = nonce ?? sodium.randombytes_buf(24)
  const h = header(params, s, n)
  const key = deriveKey(passphrase, s, params)
  const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, h, null, n, key)
  sodium.memzero(key)
  const out = new Uint8Array(h.length + ct.length)
  out.set(h, 0)
  out.set(ct, h.length)
  return out
}

/** Opens a backup file; rejects bad headers before running the KDF. */
export async function openBackup (file: Uint8Array, passphrase: string): Promise<Uint8Array> {
  await ready()
  if (file.length < BACKUP_HEADER_LENGTH + 16) throw new BackupFormatError('not a Gini backup file (too short)')
  for (let i = 0; i < BACKUP_MAGIC.length; i++) {
    if (file[i] !== BACKUP_MAGIC[i]) throw new BackupFormatError('not a Gini backup file (wrong magic)')
  }
  if (file[8] !== BACKUP_VERSION) throw new BackupFormatError(`unsupported backup version ${file[8]}`)
  if (file[9] !== BACKUP_KDF_ARGON2ID13) throw new BackupFormatError(`unsupported backup KDF ${file[9]}`)
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  const params = { opslimit: view.getUint32(10), memlimitKiB: view.getUint32(14) }
  checkParams(params)
  const h = file.subarray(0, BACKUP_HEADER_LENGTH)
  const key = deriveKey(passphrase, file.subarray(18, 34), params)
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, file.subarray(BACKUP_HEADER_LENGTH), h, file.subarray(34, 58), key)
  } catch {
    throw new BackupFormatError('wrong passphrase or damaged backup file')
  } finally {
    sodium.memzero(key)
  }
}
