// Short-lived TURN credentials in coturn's `use-auth-secret` scheme (the "TURN REST API",
// draft-uberti-behave-turn-rest-00 §2.2; docs/protocol.md §14.3): username `<expiry unix
// seconds>:<random>`, credential = base64(HMAC-SHA1(shared secret, username)). coturn recomputes
// the HMAC with the same `static-auth-secret` and refuses a username whose timestamp has passed.
// libsodium has no HMAC-SHA1, so this runs on the relay (Node-only) with node:crypto.
import { createHmac, randomBytes } from 'node:crypto'

export interface TurnCredential {
  username: string
  credential: string
  /** Wall-clock expiry in ms (the username's timestamp × 1000). */
  expiresAtMs: number
}

/** Random part of the username: 9 bytes, base64url (12 characters, never a ':'). */
const USER_RANDOM_BYTES = 9

export function turnCredential (secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64')
}

export function issueTurnCredential (
  secret: string,
  ttlMs: number,
  nowMs: number,
  random: (n: number) => Uint8Array = (n) => randomBytes(n)
): TurnCredential {
  // Rounded up: the credential is valid at least ttlMs (coturn compares whole seconds).
  const expiresAtS = Math.ceil((nowMs + ttlMs) / 1000)
  const username = `${expiresAtS}:${Buffer.from(random(USER_RANDOM_BYTES)).toString('base64url')}`
  return { username, credential: turnCredential(secret, username), expiresAtMs: expiresAtS * 1000 }
}
