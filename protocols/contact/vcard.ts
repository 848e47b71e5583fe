// The vCard carried in a contact card (docs/protocol.md §7: vCard 4.0, RFC 6350, at most 256 KiB,
// with an FN). ical.js does all RFC 6350 parsing, escaping and line folding; no string templates here.
import ICAL from 'ical.js'
import { InvalidCardError, type GiniError } from '../common/index.js'
import { VCARD_MAX_BYTES } from './constants.js'

/** Image types a profile photo may have (carried as an RFC 2397 data: URI, never fetched). */
export type PhotoMediaType = 'image/jpeg' | 'image/png' | 'image/webp'

/** A profile photo: the image file's bytes and its media type. */
export interface ProfilePhoto {
  mediaType: PhotoMediaType
  data: Uint8Array
}

/**
 * Largest profile photo buildVCard accepts, in raw bytes (before base64). Base64 plus line folding
 * makes it about 1.4× larger in the card, which keeps a full card well under VCARD_MAX_BYTES.
 */
export const PROFILE_PHOTO_MAX_BYTES = 64 * 1024

/** What a person enters about themself. */
export interface Profile {
  name: string
  email?: string
  phone?: string
  note?: string
  photo?: ProfilePhoto
}

/** A vCard that passed §7's checks, with the fields the product shows; `text` is the card as sent. */
export interface ParsedVCard {
  fn: string
  email?: string
  phone?: string
  /** Only from a data: URI of an image/jpeg, image/png or image/webp; other PHOTO values are ignored. */
  photo?: ProfilePhoto
  text: string
}

const CRLF = '\r\n'
// RFC 6350 §3.3: a value is WSP / %x21-7E / NON-ASCII; other control characters never appear.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
// A name is shown on one line: line breaks (after RFC 6350 unescaping of "\\n") become a space.
const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029]/g
// Bidi embeddings, overrides, isolates and marks would let a name display as another ("evil‮cba").
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g
// Numbers that can be a tel: URI (RFC 3966 global number, visual separators allowed).
const TEL_URI_FRIENDLY = /^\+?[0-9][0-9 ().-]*$/
// RFC 6350 §5.2: a URI value is written as is (its examples carry "data:image/jpeg;base64,..." with
// a bare comma). ical.js 2 escapes vCard URIs like text ("base64\\,"), which other clients would keep
// in the URI; this copy of its vCard 4.0 design set writes URI values verbatim. Reading back is the
// same either way (ical.js unescapes "\\," to ","). Our own URIs (tel:, data:…;base64) never hold a
// backslash or line break.
const VCARD4_VERBATIM_URI = { ...ICAL.design.vcard, value: { ...ICAL.design.vcard.value, uri: {} } }
const PHOTO_MEDIA_TYPES: readonly PhotoMediaType[] = ['image/jpeg', 'image/png', 'image/webp']
// RFC 2397 data: URI with base64 payload, one of the accepted image types, no other parameters.
const PHOTO_DATA_URI = /^data:(image\/(?:jpeg|png|webp));base64,([A-Za-z0-9+/]*={0,2})$/i

/**
 * Builds a vCard 4.0 (VERSION first, FN, N when the name splits cleanly, EMAIL, TEL, NOTE, PHOTO as
 * a data: URI), CRLF-terminated. Throws an Error when the photo is larger than
 * PROFILE_PHOTO_MAX_BYTES or would push the card over VCARD_MAX_BYTES.
 */
export function buildVCard (profile: Profile): string {
  const fn = displayName(profile.name)
  if (fn === '') throw new RangeError('a vCard needs a name (FN)')
  const card = new ICAL.Component('vcard')
  card.addPropertyWithValue('version', '4.0') // RFC 6350 §6.7.9: right after BEGIN
  card.addPropertyWithValue('fn', fn)
  const n = structuredName(fn)
  if (n != null) {
    const prop = new ICAL.Property('n', card)
    prop.setValue(n) // family; given; additional; prefixes; suffixes (§6.2.2)
    card.addProperty(prop)
  }
  const email = profile.email?.trim()
  if (email != null && email !== '') card.addPropertyWithValue('email', email)
  const phone = profile.phone?.trim()
  if (phone != null && phone !== '') card.addProperty(telProperty(card, phone))
  if (profile.note != null && profile.note !== '') card.addPropertyWithValue('note', profile.note)
  if (profile.photo != null) card.addProperty(photoProperty(card, profile.photo))
  // ical.js ends the last line without CRLF; RFC 6350's ABNF ends "END:VCARD" CRLF.
  const text = stringifyCard(card) + CRLF
  if (profile.photo != null && new TextEncoder().encode(text).byteLength > VCARD_MAX_BYTES) throw photoTooLarge()
  return text
}

/**
 * §7's receiver checks: at most VCARD_MAX_BYTES of UTF-8, exactly one vCard (no nesting, nothing
 * around it), VERSION:4.0 as its first property and a non-empty text FN. Throws InvalidCardError.
 * `fn` comes back as displayName() made it, so every UI shows a one-line name without bidi tricks;
 * `text` stays the card as received.
 */
export function parseVCard (text: string): ParsedVCard {
  if (new TextEncoder().encode(text).byteLength > VCARD_MAX_BYTES) throw invalid()
  if (CONTROL_CHARS.test(text)) throw invalid()
  // ical.js accepts a mismatched END line; insist on the RFC 6350 frame ourselves.
  const trimmed = text.replace(/(\r?\n)+$/, '')
  if (!/^BEGIN:VCARD\r?\n/i.test(trimmed) || !/\r?\nEND:VCARD$/i.test(trimmed)) throw invalid()

  let card: ICAL.Component
  try {
    const jcard = ICAL.parse(text)
    // Several components come back as an array of jCards, one as the jCard itself.
    if (!Array.isArray(jcard) || jcard[0] !== 'vcard') throw invalid()
    card = new ICAL.Component(jcard)
  } catch {
    throw invalid()
  }
  if (card.getAllSubcomponents().length > 0) throw invalid()

  const props = card.getAllProperties()
  const versions = card.getAllProperties('version')
  if (props[0]?.name !== 'version' || versions.length !== 1 || versions[0].getFirstValue() !== '4.0') throw invalid()

  const fnProp = card.getFirstProperty('fn')
  const rawFn = fnProp?.type === 'text' ? fnProp.getFirstValue() : undefined
  const fn = typeof rawFn === 'string' ? displayName(rawFn) : ''
  if (fn === '') throw invalid()

  const parsed: ParsedVCard = { fn, text }
  const email = card.getFirstPropertyValue('email')
  if (typeof email === 'string' && email !== '') parsed.email = email
  const tel = card.getFirstPropertyValue('tel')
  if (typeof tel === 'string' && tel !== '') parsed.phone = tel.replace(/^tel:/i, '')
  const photo = readPhoto(card)
  if (photo != null) parsed.photo = photo
  return parsed
}

/**
 * A name as shown: line breaks become spaces, bidi controls are dropped, runs of white space are
 * one space, no white space at either end.
 */
export function displayName (name: string): string {
  return name.replace(LINE_BREAKS, ' ').replace(BIDI_CONTROLS, '').replace(/\s+/g, ' ').trim()
}

/**
 * A mailto: URI (RFC 6068) for an address from a card: everything but the '@' percent-encoded, so
 * `?`, `&` or `#` in a hostile address cannot add headers, a body or other recipients.
 */
export function mailtoUri (email: string): string {
  return 'mailto:' + email.split('@').map(encodeURIComponent).join('@')
}

/**
 * RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets. ical.js folds the first line at
 * foldLength octets but a continuation at 1 + foldLength (its leading space), so a long ASCII value
 * (a photo) would give 76-octet lines; fold at 74 here and restore the setting (synchronous).
 */
function stringifyCard (card: ICAL.Component): string {
  const foldLength = ICAL.foldLength
  ICAL.foldLength = 74
  try {
    return ICAL.stringify.component(card.toJSON(), VCARD4_VERBATIM_URI)
  } finally {
    ICAL.foldLength = foldLength
  }
}

function invalid (): GiniError {
  return new InvalidCardError()
}

/**
 * N only when the name has an obvious split: "Family, Given" or exactly two words "Given Family".
 * Anything else (one word, three words, a line break) gets FN only, which RFC 6350 allows; a wrong
 * guess at a family name is worse than none.
 */
function structuredName (fn: string): string[] | undefined {
  if (/[\r\n]/.test(fn)) return undefined
  const comma = fn.split(',')
  if (comma.length === 2 && comma[0].trim() !== '' && comma[1].trim() !== '') {
    return [comma[0].trim(), comma[1].trim(), '', '', '']
  }
  const words = fn.split(/\s+/)
  if (comma.length === 1 && words.length === 2) return [words[1], words[0], '', '', '']
  return undefined
}

/**
 * RFC 6350 §6.4.1: TEL "SHOULD be reset to a URI value" (tel:, RFC 3966). A number that fits gets
 * one, spaces turned into the '-' visual separator; anything else stays free text (VALUE=text).
 */
function telProperty (card: ICAL.Component, phone: string): ICAL.Property {
  const prop = new ICAL.Property('tel', card)
  if (TEL_URI_FRIENDLY.test(phone)) {
    prop.resetType('uri')
    prop.setParameter('value', 'uri') // explicit: RFC 6350's default TEL type is text
    prop.setValue('tel:' + phone.replace(/\s+/g, '-'))
  } else {
    prop.resetType('text')
    prop.setValue(phone)
  }
  return prop
}

/**
 * RFC 6350 §6.2.4 PHOTO, a URI value (the vCard 4.0 default type, so no VALUE parameter): an RFC 2397
 * data: URI "data:<type>;base64,<data>". ical.js folds the long line.
 */
function photoProperty (card: ICAL.Component, photo: ProfilePhoto): ICAL.Property {
  if (!PHOTO_MEDIA_TYPES.includes(photo.mediaType)) throw new RangeError(`Unsupported photo type: ${String(photo.mediaType)} (use JPEG, PNG or WebP)`)
  if (photo.data.byteLength === 0) throw new RangeError('The photo is empty')
  if (photo.data.byteLength > PROFILE_PHOTO_MAX_BYTES) throw photoTooLarge()
  const prop = new ICAL.Property('photo', card)
  prop.resetType('uri')
  prop.setValue(photoDataUri(photo))
  return prop
}

/** The photo as an RFC 2397 data: URI, e.g. for an <img src>. */
export function photoDataUri (photo: ProfilePhoto): string {
  return `data:${photo.mediaType};base64,${bytesToBase64(photo.data)}`
}

function photoTooLarge (): Error {
  return new Error(`Photo too large: at most ${PROFILE_PHOTO_MAX_BYTES / 1024} KiB`)
}

/** The first PHOTO that is a data: URI of an accepted image type; anything else (http:, …) is ignored, never fetched. */
function readPhoto (card: ICAL.Component): ProfilePhoto | undefined {
  for (const prop of card.getAllProperties('photo')) {
    const value: unknown = prop.getFirstValue()
    if (typeof value !== 'string') continue
    const m = PHOTO_DATA_URI.exec(value.trim())
    if (m == null) continue
    const data = base64ToBytes(m[2])
    if (data == null || data.byteLength === 0) continue
    return { mediaType: m[1].toLowerCase() as PhotoMediaType, data }
  }
  return undefined
}

/** Standard base64 (RFC 4648 §4) with btoa, which Node and browsers both have. */
function bytesToBase64 (bytes: Uint8Array): string {
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.byteLength; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk))
  }
  return btoa(binary)
}

/** Standard base64 → bytes; undefined when it is not valid base64. */
function base64ToBytes (text: string): Uint8Array | undefined {
  let binary: string
  try {
    binary = atob(text)
  } catch {
    return undefined
  }
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
