// Safety numbers (docs/protocol.md §18): a 60-digit number both contacts compute from their
// permanent keys, and its QR payload.
import { sodium } from './sodium.js'

const ITERATIONS = 5200
const VERSION = new Uint8Array([0, 0])
export const SAFETY_QR_PREFIX = 'gini-safety:1:'

export interface SafetyKeys {
  ed25519Pub: Uint8Array
  ppk: Uint8Array
  peerIdBytes: Uint8Array
}

function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let off = 0
  for (const p of parts) { out.set(p, off); off += p.length }
  return out
}

/** The 30-digit fingerprint of one side (§18). Call after `ready()`. */
export function safetyFingerprint (keys: SafetyKeys): string {
  let h = concat(VERSION, keys.ed25519Pub, keys.ppk, keys.peerIdBytes)
  for (let i = 0; i < ITERATIONS; i++) h = sodium.crypto_hash_sha512(concat(h, keys.ed25519Pub, keys.ppk))
  let digits = ''
  for (let c = 0; c < 6; c++) {
    let v = 0
    for (let b = 0; b < 5; b++) v = v * 256 + h[c * 5 + b]
    digits += String(v % 100000).padStart(5, '0')
  }
  return digits
}

/** The 60-digit safety number of two sides, the same for both (§18). */
export function safetyNumber (a: SafetyKeys, b: SafetyKeys): string {
  const fa = safetyFingerprint(a)
  const fb = safetyFingerprint(b)
  return fa < fb ? fa + fb : fb + fa
}

/** The number as 12 groups of 5 digits. */
export function formatSafetyNumber (number: string): string {
  return (number.match(/\d{5}/g) ?? []).join(' ')
}

/** The QR payload of a safety number (§18). */
export function safetyQrPayload (number: string): string {
  return SAFETY_QR_PREFIX + number
}

/** The 60 digits of a scanned payload, or an Error saying it is not a safety number. */
export function parseSafetyQrPayload (payload: string): string | Error {
  const p = payload.trim()
  if (!p.startsWith(SAFETY_QR_PREFIX)) return new Error('this is not a GiniConnect safety number')
  const digits = p.slice(SAFETY_QR_PREFIX.length)
  if (!/^\d{60}$/.test(digits)) return new Error('this safety number is not 60 digits')
  return digits
}

/** Constant-time comparison of two safety numbers. */
export function safetyNumbersMatch (a: string, b: string): boolean {
  if (a.length !== b.length) return false
  return sodium.memcmp(new TextEncoder().encode(a), new TextEncoder().encode(b))
}
