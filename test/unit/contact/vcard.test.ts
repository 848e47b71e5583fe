// vCard 4.0 building and §4's receiver checks (PROTOCOL.md §4, RFC 6350).
import { expect } from 'chai'
import { VCARD_MAX_BYTES } from '../../../protocols/contact/constants.js'
import { buildVCard, parseVCard } from '../../../protocols/contact/vcard.js'

const card = (...lines: string[]): string => ['BEGIN:VCARD', ...lines, 'END:VCARD', ''].join('\r\n')

describe('contact/vcard', () => {
  describe('buildVCard', () => {
    for (const name of [
      'Doe, Jane',
      'O\'Brien; Sean',
      'Line one\nLine two',
      'Back\\slash, semi; colon: done',
      'Zoë Ångström-Łukasz',
      '山田 太郎',
      '😀'.repeat(40) + ' ü'.repeat(50)
    ]) {
      it(`name ${JSON.stringify(name.slice(0, 30))} × build then parse → same FN`, () => {
        const text = buildVCard({ name })
        expect(parseVCard(text).fn).to.equal(name)
      })
    }

    it('profile with email, phone, note × build → VERSION:4.0 first, CRLF lines, fields read back', () => {
      const text = buildVCard({ name: 'Jane Doe', email: 'jane@example.org', phone: '+41 79 123 45 67', note: 'a;b,c\nd' })
      expect(text.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).to.equal(true)
      expect(text.endsWith('END:VCARD\r\n')).to.equal(true)
      expect(text.replace(/\r\n/g, '')).not.to.match(/[\r\n]/, 'a bare CR or LF')
      expect(text).to.include('\r\nN:Doe;Jane;;;\r\n')
      expect(text).to.include('\r\nTEL;VALUE=uri:tel:+41-79-123-45-67\r\n')
      expect(text).to.include('\r\nNOTE:a;b\\,c\\nd\r\n') // RFC 6350 §3.4: ';' is escaped only in compound values
      const parsed = parseVCard(text)
      expect(parsed).to.deep.equal({ fn: 'Jane Doe', email: 'jane@example.org', phone: '+41-79-123-45-67', text })
    })

    it('phone that is not a number × build → free-text TEL read back verbatim', () => {
      const text = buildVCard({ name: 'Jane', phone: 'ask at desk, ext 5' })
      expect(text).to.include('TEL;VALUE=TEXT:ask at desk\\, ext 5')
      expect(parseVCard(text).phone).to.equal('ask at desk, ext 5')
    })

    it('"Family, Given" × build → N family;given; one word or three words → no N', () => {
      expect(buildVCard({ name: 'Doe, Jane' })).to.include('\r\nN:Doe;Jane;;;\r\n')
      expect(buildVCard({ name: 'Cher' })).not.to.include('\r\nN:')
      expect(buildVCard({ name: 'Jean Claude Van Damme' })).not.to.include('\r\nN:')
    })

    it('long name × build → lines folded at ≤ 75 octets, never inside a character', () => {
      const name = '😀'.repeat(60) + 'é'.repeat(80)
      const text = buildVCard({ name })
      for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).to.be.at.most(75)
      expect(text).not.to.include('\uFFFD')
      expect(parseVCard(text).fn).to.equal(name)
    })

    it('empty name × build → RangeError (FN is required)', () => {
      expect(() => buildVCard({ name: '  ' })).to.throw(RangeError)
    })
  })

  describe('parseVCard', () => {
    it('RFC 6350 card written by another client (LF lines, folded, groups) × parse → accepted', () => {
      const text = 'BEGIN:VCARD\nVERSION:4.0\nFN:Simon\n  Perreault\nitem1.EMAIL;TYPE=work:simon@example.com\nTEL;VALUE=uri:tel:+1-418-656-9254;ext=102\nEND:VCARD\n'
      expect(parseVCard(text)).to.deep.include({ fn: 'Simon Perreault', email: 'simon@example.com', phone: '+1-418-656-9254;ext=102' })
    })

    const rejected: Array<[string, string]> = [
      ['no FN', card('VERSION:4.0', 'EMAIL:a@b.c')],
      ['an empty FN', card('VERSION:4.0', 'FN:  ')],
      ['VERSION:3.0', card('VERSION:3.0', 'FN:Jane')],
      ['no VERSION', card('FN:Jane')],
      ['VERSION after FN', card('FN:Jane', 'VERSION:4.0')],
      ['two VERSIONs', card('VERSION:4.0', 'VERSION:4.0', 'FN:Jane')],
      ['two vCards', card('VERSION:4.0', 'FN:A') + card('VERSION:4.0', 'FN:B')],
      ['a nested vCard', card('VERSION:4.0', 'FN:A', 'BEGIN:VCARD', 'VERSION:4.0', 'FN:B', 'END:VCARD')],
      ['END:VCALENDAR as its end', 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nEND:VCALENDAR\r\n'],
      ['no END', 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\n'],
      ['text before BEGIN', 'hello\r\n' + card('VERSION:4.0', 'FN:A')],
      ['a NUL character', card('VERSION:4.0', 'FN:A\u0000B')],
      ['an FN that is a URI', card('VERSION:4.0', 'FN;VALUE=uri:http://example.org')],
      ['an iCalendar', 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'],
      ['nothing', ''],
      ['garbage', 'not a vcard']
    ]
    for (const [what, text] of rejected) {
      it(`vCard with ${what} × parse → InvalidCardError`, () => {
        expect(() => parseVCard(text)).to.throw().with.property('name', 'InvalidCardError')
      })
    }

    it('vCard of exactly 256 KiB × parse → accepted; one byte more → InvalidCardError', () => {
      const head = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nNOTE:'
      const tail = '\r\nEND:VCARD\r\n'
      const fill = (n: number): string => head + 'x'.repeat(n - head.length - tail.length) + tail
      expect(Buffer.byteLength(fill(VCARD_MAX_BYTES))).to.equal(VCARD_MAX_BYTES)
      expect(parseVCard(fill(VCARD_MAX_BYTES)).fn).to.equal('A')
      expect(() => parseVCard(fill(VCARD_MAX_BYTES + 1))).to.throw().with.property('name', 'InvalidCardError')
    })

    it('multi-byte vCard under 256 Ki characters but over 256 KiB of UTF-8 × parse → InvalidCardError', () => {
      const text = card('VERSION:4.0', 'FN:A', 'NOTE:' + 'é'.repeat(VCARD_MAX_BYTES / 2))
      expect(text.length).to.be.below(VCARD_MAX_BYTES + 100)
      expect(() => parseVCard(text)).to.throw().with.property('name', 'InvalidCardError')
    })
  })
})
