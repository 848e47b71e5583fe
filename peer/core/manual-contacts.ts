// Manual contacts (docs/protocol.md §19): entered by hand, no key and no secret; never synced,
// dialled or chatted with. A record is an id and the vCard built from what was typed.
import ICAL from 'ical.js'
import { buildVCard, parseVCard, type ProfilePhoto } from '../../protocols/contact/index.js'

export interface ManualContactRecord {
  /** `m` + 20 lowercase hex digits (§19): never a peer id. */
  id: string
  /** vCard 4.0: FN, and EMAIL, TEL, ADR, X-GINI-PAYMENT, PHOTO, REV when given. */
  vcard: string
}

export interface ManualContactFields {
  name: string
  email?: string
  tel?: string
  address?: string
  payment?: string
  photo?: ProfilePhoto
}

export const MANUAL_ID = /^m[0-9a-f]{20}$/

/** A new §19 id: `m` and 10 random bytes in lowercase hex, so never a peer id. */
export function newManualContactId (): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(10))
  return 'm' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
}

/** The vCard of §19 for typed fields; `nowMs` goes into REV. Throws on an empty name or a too large photo. */
export function buildManualVCard (f: ManualContactFields, nowMs: number): string {
  const base = buildVCard({ name: f.name, email: f.email, phone: f.tel, photo: f.photo })
  const card = new ICAL.Component(ICAL.parse(base) as any[])
  const address = f.address?.trim()
  if (address != null && address !== '') {
    const adr = new ICAL.Property('adr', card)
    adr.setValue(['', '', address, '', '', '', ''])
    card.addProperty(adr)
  }
  const payment = f.payment?.trim()
  if (payment != null && payment !== '') card.addPropertyWithValue('x-gini-payment', payment)
  card.addPropertyWithValue('rev', new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''))
  const text = card.toString().replace(/\r?\n/g, '\r\n') + '\r\n'
  parseVCard(text) // §7's limits hold for it too
  return text
}

/** What `gini contacts` and `gini contact` show of one. */
export interface ManualContactView {
  kind: 'manual'
  id: string
  name: string
  email: string | null
  tel: string | null
  address: string | null
  payment: string | null
  photo: boolean
}

export function manualContactView (r: ManualContactRecord): ManualContactView {
  const parsed = parseVCard(r.vcard)
  const card = new ICAL.Component(ICAL.parse(r.vcard) as any[])
  const adr = card.getFirstPropertyValue('adr')
  const street = Array.isArray(adr) ? String(adr[2] ?? '') : typeof adr === 'string' ? adr : ''
  const payment = card.getFirstPropertyValue('x-gini-payment')
  return {
    kind: 'manual',
    id: r.id,
    name: parsed.fn,
    email: parsed.email ?? null,
    tel: parsed.phone ?? null,
    address: street !== '' ? street : null,
    payment: typeof payment === 'string' && payment !== '' ? payment : null,
    photo: parsed.photo != null
  }
}
