// vCard 4.0 building and §7's receiver checks (docs/protocol.md §7, RFC 6350).
import { expect } from 'chai'
import { VCARD_MAX_BYTES } from '../../../../protocols/contact/constants.js'
import { buildVCard, mailtoUri, parseVCard, PROFILE_PHOTO_MAX_BYTES } from '../../../../protocols/contact/vcard.js'

const card = (...lines: string[]): string => ['BEGIN:VCARD', ...lines, 'END:VCARD', ''].join('\r\n')

describe('contact/vcard', () => {
  describe('buildVCard', () => {
    for (const name of [
      'Doe, Jane',
      'O\'Brien; Sean',
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

    it('name with a line break or a bidi override × build → one-line FN without the control, read back the same', () => {
      const text = buildVCard({ name: 'Line one\nLine two\u202E' })
      expect(text).to.include('\r\nFN:Line one Line two\r\n')
      expect(parseVCard(text).fn).to.equal('Line one Line two')
    })

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

    it('small PNG photo × build then parse → PHOTO data: URI, folded lines, same bytes back', () => {
      // 1×1 PNG signature and IHDR start, then bytes covering every value (base64 '+' and '/').
      const data = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff)])
      const text = buildVCard({ name: 'Jane Doe', photo: { mediaType: 'image/png', data } })
      expect(text.replace(/\r\n /g, '')).to.include('\r\nPHOTO:data:image/png;base64,iVBORw0KGgo') // RFC 6350 §5.2: URI not escaped
      for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).to.be.at.most(75)
      const parsed = parseVCard(text)
      expect(parsed.photo?.mediaType).to.equal('image/png')
      expect(parsed.photo?.data).to.deep.equal(data)
      expect(Buffer.from(parsed.photo?.data ?? []).equals(Buffer.from(data))).to.equal(true)
    })

    it(`photo of ${PROFILE_PHOTO_MAX_BYTES} bytes × build → accepted under 256 KiB; one byte more → "Photo too large"`, () => {
      const max = new Uint8Array(PROFILE_PHOTO_MAX_BYTES).fill(0xab)
      const text = buildVCard({ name: 'Jane', photo: { mediaType: 'image/jpeg', data: max } })
      expect(Buffer.byteLength(text)).to.be.at.most(VCARD_MAX_BYTES)
      expect(parseVCard(text).photo?.data.byteLength).to.equal(PROFILE_PHOTO_MAX_BYTES)
      const over = new Uint8Array(PROFILE_PHOTO_MAX_BYTES + 1)
      expect(() => buildVCard({ name: 'Jane', photo: { mediaType: 'image/jpeg', data: over } }))
        .to.throw(Error, `Photo too large: at most ${PROFILE_PHOTO_MAX_BYTES / 1024} KiB`)
    })

    it('photo that fits but a note that fills the card × build → "Photo too large"', () => {
      const photo = { mediaType: 'image/webp' as const, data: new Uint8Array(PROFILE_PHOTO_MAX_BYTES) }
      expect(() => buildVCard({ name: 'Jane', note: 'x'.repeat(VCARD_MAX_BYTES - 1000), photo })).to.throw(Error, 'Photo too large')
    })

    it('unsupported photo type × build → RangeError', () => {
      const photo = { mediaType: 'image/gif' as 'image/png', data: new Uint8Array(10) }
      expect(() => buildVCard({ name: 'Jane', photo })).to.throw(RangeError)
    })
  })

  describe('parseVCard', () => {
    it('RFC 6350 card written by another client (LF lines, folded, groups) × parse → accepted', () => {
      const text = 'BEGIN:VCARD\nVERSION:4.0\nFN:Simon\n  Perreault\nitem1.EMAIL;TYPE=work:simon@example.com\nTEL;VALUE=uri:tel:+1-418-656-9254;ext=102\nEND:VCARD\n'
      expect(parseVCard(text)).to.deep.include({ fn: 'Simon Perreault', email: 'simon@example.com', phone: '+1-418-656-9254;ext=102' })
    })

    it('PHOTO that is a remote http(s) URL × parse → card accepted, no photo (never fetched)', () => {
      for (const url of ['http://example.org/me.png', 'https://example.org/me.jpg']) {
        const parsed = parseVCard(card('VERSION:4.0', 'FN:Jane', `PHOTO:${url}`))
        expect(parsed.fn).to.equal('Jane')
        expect(parsed).not.to.have.property('photo')
      }
    })

    it('PHOTO data: URI of another type or not base64 × parse → no photo', () => {
      for (const uri of ['data:image/gif;base64,R0lGODlh', 'data:image/svg+xml;base64,PHN2Zz4=', 'data:image/png,rawtext', 'data:image/png;base64,!!!!']) {
        expect(parseVCard(card('VERSION:4.0', 'FN:Jane', `PHOTO:${uri}`))).not.to.have.property('photo')
      }
    })

    it('vCard 4.0 PHOTO written by another client (folded, VALUE=uri) × parse → photo', () => {
      const text = card('VERSION:4.0', 'FN:Jane', 'PHOTO;VALUE=uri;MEDIATYPE=image/jpeg:data:image/jpeg;ba', ' se64,/9j/4A==')
      expect(parseVCard(text).photo).to.deep.equal({ mediaType: 'image/jpeg', data: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]) })
    })

    it('FN with escaped line breaks × parse → one line, the card text untouched', () => {
      const text = card('VERSION:4.0', 'FN:Alice\\nBank support\\n\\n  call me')
      const parsed = parseVCard(text)
      expect(parsed.fn).to.equal('Alice Bank support call me')
      expect(parsed.text).to.equal(text)
    })

    it('FN with bidi embeddings, overrides, isolates and marks (U+202A–E, U+2066–9, U+200E/F) × parse → stripped', () => {
      const controls = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F']
      for (const c of controls) {
        expect(parseVCard(card('VERSION:4.0', `FN:Ev${c}il`)).fn, JSON.stringify(c)).to.equal('Evil')
      }
      expect(parseVCard(card('VERSION:4.0', 'FN:\u202Egpj.exe\u202C Bob')).fn).to.equal('gpj.exe Bob')
    })

    it('mailtoUri × a hostile address → ?, &, #, spaces and line breaks encoded, the @ kept', () => {
      expect(mailtoUri('jane@example.org')).to.equal('mailto:jane@example.org')
      const uri = mailtoUri('a@b.org?cc=evil@x.org&body=hi #x\r\nBcc: y')
      expect(uri.startsWith('mailto:a@b.org%3Fcc%3Devil@x.org%26body%3Dhi%20%23x')).to.equal(true)
      expect(uri.slice('mailto:'.length)).to.not.match(/[?&#\s]/)
    })

    const rejected: Array<[string, string]> = [
      ['no FN', card('VERSION:4.0', 'EMAIL:a@b.c')],
      ['an empty FN', card('VERSION:4.0', 'FN:  ')],
      ['an FN of only line breaks and bidi controls', card('VERSION:4.0', 'FN:\\n\u202E\u2066 ')],
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
