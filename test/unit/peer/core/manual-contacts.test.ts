// docs/protocol.md §19 manual contacts: the vCard built from typed fields reads back as typed, a
// name is required, and the FileStorage store and the backup keep them apart from paired contacts.
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildManualVCard, manualContactView, MANUAL_ID } from '../../../../peer/core/manual-contacts.js'
import { FileStorage } from '../../../../peer/adapters/file-storage.js'
import { collectRecords, decodeRecords, encodeRecords } from '../../../../peer/core/backup.js'
import { identityFromRoot } from '../../../../peer/core/identity.js'

describe('manual contacts (peer/core/manual-contacts.ts, docs/protocol.md §19)', () => {
  it('typed fields → vCard 4.0 with FN, EMAIL, TEL, ADR, X-GINI-PAYMENT, REV → the same fields back', () => {
    const vcard = buildManualVCard({ name: ' Carol  Smith ', email: 'c@example.org', tel: '+41 79 1', address: '1 Main St, Bern', payment: 'payto://iban/CH9300762011623852957' }, Date.UTC(2026, 0, 2, 3, 4, 5))
    expect(vcard.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).to.equal(true)
    expect(vcard).to.include('REV:20260102T030405Z\r\n')
    expect(manualContactView({ id: 'm' + '0'.repeat(20), vcard })).to.deep.equal({
      kind: 'manual', id: 'm' + '0'.repeat(20), name: 'Carol Smith', email: 'c@example.org', tel: '+41-79-1', address: '1 Main St, Bern', payment: 'payto://iban/CH9300762011623852957', photo: false
    })
    expect(() => buildManualVCard({ name: '  ' }, 0)).to.throw(/name/)
    expect(MANUAL_ID.test('12D3KooWabc')).to.equal(false)
  })

  it('FileStorage keeps them in their own store; backups carry them and refuse a bad id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gini-manual-'))
    try {
      const storage = new FileStorage(dir)
      await storage.saveIdentity(await identityFromRoot(new Uint8Array(32).fill(1), 1))
      const m = { id: 'm' + 'a'.repeat(20), vcard: buildManualVCard({ name: 'Dan' }, 0) }
      await storage.putManualContact(m)
      expect(await storage.listContacts()).to.deep.equal([])
      expect(await storage.listManualContacts()).to.deep.equal([m])
      const records = await collectRecords(storage)
      const text = new TextDecoder().decode(encodeRecords(records))
      expect(decodeRecords(new TextEncoder().encode(text)).manualContacts).to.deep.equal([m])
      const bad = JSON.parse(text)
      bad.manualContacts[0].id = '../x'
      expect(() => decodeRecords(new TextEncoder().encode(JSON.stringify(bad)))).to.throw(/manualContacts\[0\].id/)
      await storage.deleteManualContact(m.id)
      expect(await storage.listManualContacts()).to.deep.equal([])
      expect(new TextDecoder().decode(encodeRecords(await collectRecords(storage)))).to.not.include('manualContacts')
      let error: unknown
      try { await storage.putManualContact({ id: '../x', vcard: m.vcard }) } catch (err) { error = err }
      expect((error as Error).message).to.equal('invalid manual contact id')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
