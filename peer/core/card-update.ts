// Card updates (docs/protocol.md §19): the own profile as a signed CardUpdate, and a contact's
// accepted update as its new stored card. The outbox is the profile itself with NodeState.cardSeq;
// Ed25519 signatures are deterministic, so the signed update is rebuilt from them when sent.
import { peerIdFromString } from '@libp2p/peer-id'
import { buildVCard, parseVCard } from '../../protocols/contact/index.js'
import { signCardUpdate, verifyCardUpdate, type CardUpdateFields } from '../../protocols/crypto/index.js'
import {
  CARD_UPDATE_EMAIL_MAX_BYTES, CARD_UPDATE_NAME_MAX_BYTES, cardUpdateFields, photoMediaType, type CardUpdate
} from '../../protocols/session/index.js'
import type { ContactRecord } from './storage.js'

/** A profile a CardUpdate cannot carry (§19 bounds): refused before anything is stored. */
export function assertSendableProfile (p: { name: string, email?: string }): void {
  const bytes = (s: string): number => new TextEncoder().encode(s).length
  if (bytes(p.name.trim()) > CARD_UPDATE_NAME_MAX_BYTES) throw Object.assign(new Error(`A name is at most ${CARD_UPDATE_NAME_MAX_BYTES} bytes (UTF-8), so your contacts can receive it.`), { name: 'UsageError' })
  if (p.email != null && bytes(p.email) > CARD_UPDATE_EMAIL_MAX_BYTES) throw Object.assign(new Error(`An email address is at most ${CARD_UPDATE_EMAIL_MAX_BYTES} bytes.`), { name: 'UsageError' })
}

/** The own vCard as the CardUpdate with `seq`, signed with the long-term key (libsodium's 64-byte secret key). */
export function ownCardUpdate (vcard: string, seq: number, secretKey: Uint8Array): CardUpdate {
  const card = parseVCard(vcard)
  const fields: CardUpdateFields = { seq: BigInt(seq), name: card.fn, email: card.email ?? '', photo: card.photo?.data ?? new Uint8Array(0) }
  return { ...fields, photo: new Uint8Array(fields.photo), signature: new Uint8Array(signCardUpdate(secretKey, fields)) }
}

/** Why a received update was refused (§19); the stored card is unchanged in every case. */
export type CardUpdateRefusal = 'bounds' | 'signature' | 'replay'

/**
 * Checks a contact's update (bounds, then the signature against the contact's long-term key) and
 * returns the fields, or the refusal. The replay check needs the stored record: applyCardUpdate.
 */
export function checkCardUpdate (contactId: string, u: CardUpdate): CardUpdateFields | CardUpdateRefusal {
  const fields = cardUpdateFields(u)
  if (fields == null) return 'bounds'
  const key = peerIdFromString(contactId).publicKey
  if (key == null || !verifyCardUpdate(key.raw, fields, u.signature)) return 'signature'
  return fields
}

/**
 * Applies checked fields to the record: a `seq` not above the last accepted one is a replay. The
 * new card has the update's FN, EMAIL and PHOTO; TEL is kept from the stored card.
 */
export function applyCardUpdate (c: ContactRecord, f: CardUpdateFields): CardUpdateRefusal | undefined {
  if (f.seq > BigInt(Number.MAX_SAFE_INTEGER) || BigInt(c.cardSeqSeen ?? 0) >= f.seq) return 'replay'
  let old: ReturnType<typeof parseVCard> | undefined
  try { old = parseVCard(c.vcard) } catch {}
  const mediaType = f.photo.length > 0 ? photoMediaType(f.photo) : undefined
  let vcard: string
  try {
    vcard = buildVCard({
      name: f.name,
      ...(f.email !== '' ? { email: f.email } : {}),
      ...(old?.phone != null ? { phone: old.phone } : {}),
      ...(mediaType != null ? { photo: { mediaType, data: new Uint8Array(f.photo) } } : {})
    })
  } catch {
    return 'bounds'
  }
  c.vcard = vcard
  c.name = parseVCard(vcard).fn
  c.cardSeqSeen = Number(f.seq)
  return undefined
}
