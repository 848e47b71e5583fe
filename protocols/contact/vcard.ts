// The vCard carried in a contact card (PROTOCOL.md §4: "vCard 4.0 (RFC 6350) text, ≤ 256 KiB" with
// an FN). ical.js does all RFC 6350 parsing, escaping and line folding; no string templates here.
import ICAL from 'ical.js'
import { InvalidCardError } from '../common/errors.js'
import type { GiniError } from '../common/errors.js'
import { VCARD_MAX_BYTES } from './constants.js'

/** What a person enters about themself. */
export interface Profile {
  name: string
  email?: string
  phone?: string
  note?: string
}

/** A vCard that passed §4's checks, with the fields the product shows; `text` is the card as sent. */
export interface ParsedVCard {
  fn: string
  email?: string
  phone?: string
  text: string
}

const CRLF = '\r\n'
// RFC 6350 §3.3: a value is WSP / %x21-7E / NON-ASCII; other control characters never appear.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
// Numbers that can be a tel: URI (RFC 3966 global number, visual separators allowed).
const TEL_URI_FRIENDLY = /^\+?[0-9][0-9 ().-]*$/

/** Builds a vCard 4.0 (VERSION first, FN, N when the name splits cleanly, EMAIL, TEL, NOTE), CRLF-terminated. */
export function buildVCard (profile: Profile): string {
  const fn = profile.name.trim()
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
  // ical.js ends the last line without CRLF; RFC 6350's ABNF ends "END:VCARD" CRLF.
  return card.toString() + CRLF
}

/**
 * §4's receiver checks: at most VCARD_MAX_BYTES of UTF-8, exactly one vCard (no nesting, nothing
 * around it), VERSION:4.0 as its first property and a non-empty text FN. Throws InvalidCardError.
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
  const fn = fnProp?.type === 'text' ? fnProp.getFirstValue() : undefined
  if (typeof fn !== 'string' || fn.trim() === '') throw invalid()

  const parsed: ParsedVCard = { fn, text }
  const email = card.getFirstPropertyValue('email')
  if (typeof email === 'string' && email !== '') parsed.email = email
  const tel = card.getFirstPropertyValue('tel')
  if (typeof tel === 'string' && tel !== '') parsed.phone = tel.replace(/^tel:/i, '')
  return parsed
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
