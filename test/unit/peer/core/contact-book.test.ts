// The contact book's §19 parts (peer/core/contact-book.ts): which contact a query names, and the
// local edits (nickname, blocking, deletion) on a real FileStorage in a temp dir.
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileStorage } from '../../../../peer/adapters/file-storage.js'
import { multiaddr } from '@multiformats/multiaddr'
import { ContactBook, PRESENCE_GRACE_MS, addressesNewestFirst, contactsNaming, mergeAddresses } from '../../../../peer/core/contact-book.js'
import { displayName, matchContacts } from '../../../../peer/core/contact-names.js'
import type { ContactRecord } from '../../../../peer/core/storage.js'

function contact (id: string, name: string, nickname?: string): ContactRecord {
  return {
    id,
    name,
    ...(nickname != null ? { nickname } : {}),
    vcard: `BEGIN:VCARD\r\nVERSION:4.0\r\nFN:${name}\r\nEND:VCARD\r\n`,
    ppk: '11'.repeat(32),
    addresses: [],
    sharedSecret: { current: 'ab'.repeat(32) },
    pairedAtMs: 1,
    lastSeenMs: 1,
    state: 'offline'
  }
}

const ids = (cs: ContactRecord[]): string[] => cs.map(c => c.id).sort()

describe('peer/core/contact-book', () => {
  describe('matchContacts', () => {
    const all = [
      contact('12D3KooWAlice', 'Alice Smith'),
      contact('12D3KooWAlbert', 'Albert'),
      contact('12D3KooWBob', 'Bob', 'Bobby'),
      contact('12D3KooWBobo', 'Bobo')
    ]
    it('a unique case-insensitive prefix of a name → that contact', () => {
      expect(ids(matchContacts(all, 'alic'))).to.deep.equal(['12D3KooWAlice'])
    })
    it('a prefix of a nickname → that contact', () => {
      expect(ids(matchContacts(all, 'BOBB'))).to.deep.equal(['12D3KooWBob'])
    })
    it('a prefix of a peer id, any case → that contact', () => {
      expect(ids(matchContacts(all, '12d3koowalb'))).to.deep.equal(['12D3KooWAlbert'])
    })
    it('an ambiguous prefix → every candidate', () => {
      expect(ids(matchContacts(all, 'al'))).to.deep.equal(['12D3KooWAlbert', '12D3KooWAlice'])
    })
    it('an exact name wins over longer names it prefixes ("bob" is Bob, not Bobo)', () => {
      expect(ids(matchContacts(all, 'bob'))).to.deep.equal(['12D3KooWBob'])
    })
    it('an exact peer id wins over ids it prefixes', () => {
      expect(ids(matchContacts(all, '12D3KooWBob'))).to.deep.equal(['12D3KooWBob'])
    })
    it('no match, or an empty query → none', () => {
      expect(matchContacts(all, 'carol')).to.deep.equal([])
      expect(matchContacts(all, '  ')).to.deep.equal([])
    })
    it('displayName: the nickname if set, else the card name', () => {
      expect(displayName(all[2])).to.equal('Bobby')
      expect(displayName(all[3])).to.equal('Bobo')
    })
  })

  describe('local edits on FileStorage', () => {
    let dir: string
    let storage: FileStorage
    let book: ContactBook
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'gini-book-'))
      storage = new FileStorage(dir)
      book = new ContactBook(storage)
      await storage.putContact(contact('Bob1', 'Bob'))
      await storage.putContact(contact('Carol1', 'Carol'))
    })
    afterEach(async () => {
      await storage.close()
      await rm(dir, { recursive: true, force: true })
    })
    /** The contact ids the data dir's database holds, read with a connection of its own. */
    const rowIds = (): string[] => {
      const db = new DatabaseSync(join(dir, 'contacts.sqlite'))
      try { return (db.prepare('SELECT id FROM contacts ORDER BY id').all() as Array<{ id: string }>).map(r => r.id) } finally { db.close() }
    }

    it('rename stores a trimmed nickname; "" removes it; the card name stays', async () => {
      expect((await book.rename('Bob1', '  Bobby '))?.nickname).to.equal('Bobby')
      const stored = await new FileStorage(dir).getContact('Bob1')
      expect(stored).to.include({ name: 'Bob', nickname: 'Bobby' })
      await book.rename('Bob1', '')
      expect(await storage.getContact('Bob1')).to.not.have.property('nickname')
    })

    it('setBlocked true → stored blocked: true; false → the field is gone', async () => {
      await book.setBlocked('Bob1', true)
      expect((await storage.getContact('Bob1'))?.blocked).to.equal(true)
      await book.setBlocked('Bob1', false)
      expect(await storage.getContact('Bob1')).to.not.have.property('blocked')
    })

    it('edits of an unknown contact → undefined, nothing written', async () => {
      expect(await book.rename('Nobody', 'x')).to.equal(undefined)
      expect(await book.setBlocked('Nobody', true)).to.equal(undefined)
      expect(await book.delete('Nobody')).to.equal(false)
      expect((await new FileStorage(dir).listContacts()).map(c => c.id).sort()).to.deep.equal(['Bob1', 'Carol1'])
      expect(rowIds()).to.deep.equal(['Bob1', 'Carol1'])
    })

    it('delete removes the record (with its secrets and card) from the database; the other contact stays', async () => {
      expect(await book.delete('Bob1')).to.equal(true)
      expect(await storage.getContact('Bob1')).to.equal(undefined)
      expect(rowIds()).to.deep.equal(['Carol1'])
      expect((await storage.listContacts()).map(c => c.id)).to.deep.equal(['Carol1'])
    })
  })

  describe('presence addresses (docs/protocol.md §21.2–§21.4)', () => {
    const relay = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWRelay'
    const at = (id: string): string => `${relay}/p2p-circuit/p2p/${id}`
    it('mergeAddresses keeps addresses naming any peer id but ours, and those naming nobody are dropped', () => {
      const merged = mergeAddresses([], [multiaddr(at('12D3KooWPresence1')), multiaddr(at('12D3KooWMe')), multiaddr('/ip4/10.0.0.1/tcp/1')], new Set(['12D3KooWMe']), 5)
      expect(merged.map(a => a.multiaddr)).to.deep.equal([at('12D3KooWPresence1')])
      expect(merged[0].seenAtMs).to.equal(5)
    })
    it('addressesNewestFirst dials previous presence ids within the 48 h grace period of the newest, not older ones', () => {
      const now = 10 * PRESENCE_GRACE_MS
      const c = contact('12D3KooWAlice', 'Alice')
      c.addresses = [
        { multiaddr: at('12D3KooWToday'), seenAtMs: now },
        { multiaddr: at('12D3KooWYesterday'), seenAtMs: now - PRESENCE_GRACE_MS / 2 },
        { multiaddr: at('12D3KooWLastWeek'), seenAtMs: now - PRESENCE_GRACE_MS - 1 }
      ]
      expect(addressesNewestFirst(c).map(String)).to.deep.equal([at('12D3KooWToday'), at('12D3KooWYesterday')])
    })
    it('contactsNaming: the contact whose dialable addresses name the peer id, most recently learned first', () => {
      const a = contact('12D3KooWAlice', 'Alice')
      const b = contact('12D3KooWBob', 'Bob')
      a.addresses = [{ multiaddr: at('12D3KooWShared'), seenAtMs: 10 }]
      b.addresses = [{ multiaddr: at('12D3KooWShared'), seenAtMs: 20 }, { multiaddr: at('12D3KooWBobsOwn'), seenAtMs: 20 }]
      expect(ids(contactsNaming([a, b], '12D3KooWBobsOwn'))).to.deep.equal(['12D3KooWBob'])
      expect(contactsNaming([a, b], '12D3KooWShared').map(c => c.id)).to.deep.equal(['12D3KooWBob', '12D3KooWAlice'])
      expect(contactsNaming([a, b], '12D3KooWAlice'), 'a long-term id names nobody').to.deep.equal([])
    })
  })
})
