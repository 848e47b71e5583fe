// peer/core/backup.ts over the real FileStorage (peer/adapters/file-storage.ts) in temp dirs:
// a round trip gives identical records; a wrong passphrase, a flipped byte or an existing identity
// write nothing to the target dir.
import { expect } from 'chai'
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { FileStorage } from '../../../../peer/adapters/file-storage.js'
import { exportBackup, importBackup, encodeRecords, decodeRecords, collectRecords, IdentityExistsError } from '../../../../peer/core/backup.js'
import { BackupFormatError, sealBackup } from '../../../../protocols/crypto/index.js'
import type { ContactRecord } from '../../../../peer/core/storage.js'
import { identityFromRoot, identityMnemonic } from '../../../../peer/core/identity.js'

// Low Argon2id cost: the format is the same, the test stays fast.
const FAST = { opslimit: 1, memlimitKiB: 8 }
const PASS = 'correct horse battery staple'

function contact (id: string, name: string, extra: Partial<ContactRecord> = {}): ContactRecord {
  return {
    id,
    name,
    vcard: `BEGIN:VCARD\r\nVERSION:4.0\r\nFN:${name}\r\nEND:VCARD\r\n`,
    ppk: '11'.repeat(32),
    addresses: [{ multiaddr: '/ip4/127.0.0.1/tcp/4001', seenAtMs: 5 }],
    sharedSecret: { current: 'ab'.repeat(32), previous: 'cd'.repeat(32) },
    pairedAtMs: 1,
    lastSeenMs: 2,
    state: 'unreachable',
    ...extra
  }
}

/** Every file under `dir` (relative path → mode and content), to show a dir did not change. */
async function snapshot (dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  let entries
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true })
  } catch (err: any) {
    if (err.code === 'ENOENT') return out
    throw err
  }
  for (const e of entries) {
    const path = join(e.parentPath, e.name)
    const mode = ((await stat(path)).mode & 0o777).toString(8)
    out[path.slice(dir.length)] = e.isFile() ? `${mode}:${(await readFile(path)).toString('hex')}` : `${mode}:dir`
  }
  return out
}

describe('backup export / import (peer/core/backup.ts, docs/protocol.md §20.1)', () => {
  let root: string
  let source: FileStorage
  let peerId: string

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'gini-backup-'))
    source = new FileStorage(join(root, 'source'))
    const key = await generateKeyPair('Ed25519')
    peerId = peerIdFromPrivateKey(key).toString()
    await source.saveIdentity({ libp2pKey: privateKeyToProtobuf(key), ppkPrivate: new Uint8Array(32).fill(7), createdAtMs: 1234 })
    await source.saveProfile('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Alice\r\nEND:VCARD\r\n')
    await source.saveNodeState({ addressSeq: 42 })
    await source.putContact(contact('12D3KooWBob', 'Bob', {
      addressSeqSeen: 9,
      lastPeerInfoAtMs: 77,
      crp: { startedAtMs: 10, nextRunAtMs: 20, lastRunAtMs: 15, incorrectInRow: 1 },
      mailbox: [{ ssId: 'ee'.repeat(16), send: { ck: 'aa'.repeat(32), index: 3 }, receive: { ck: 'bb'.repeat(32), index: 5, skipped: [[2, 'cc'.repeat(32)]] } }]
    }))
    await source.putContact(contact('12D3KooWAmy', 'Amy', { pairedAtMs: 3, state: 'online' }))
  })
  after(async () => { await rm(root, { recursive: true, force: true }) })

  it('round trip into an empty data dir gives identical records', async () => {
    const exported = await exportBackup(source, PASS, FAST)
    expect(exported.peerId).to.equal(peerId)
    expect(exported.contacts).to.equal(2)
    const target = new FileStorage(join(root, 'rt'))
    const result = await importBackup(target, exported.file, PASS)
    expect(result).to.deep.equal({ peerId, contacts: 2, replaced: undefined })
    const a = await collectRecords(source)
    const b = await collectRecords(target)
    expect(Buffer.from(b.identity.libp2pKey).equals(Buffer.from(a.identity.libp2pKey))).to.equal(true)
    expect(Buffer.from(b.identity.ppkPrivate).equals(Buffer.from(a.identity.ppkPrivate))).to.equal(true)
    expect(b.identity.createdAtMs).to.equal(1234)
    expect(b.profile).to.equal(a.profile)
    expect(b.node).to.deep.equal({ addressSeq: 42 })
    expect(b.contacts).to.deep.equal(a.contacts)
    // Canonical: the same records encode to the same bytes.
    expect(Buffer.from(encodeRecords(b)).equals(Buffer.from(encodeRecords(a)))).to.equal(true)
    expect((await stat(join(root, 'rt', 'identity.json'))).mode & 0o777).to.equal(0o600)
  })

  it('the plaintext is the canonical JSON of §20.1: sorted keys, no whitespace, hex bytes, contacts by id', async () => {
    const text = new TextDecoder().decode(encodeRecords(await collectRecords(source)))
    expect(text.startsWith('{"card":{"vcard":"BEGIN:VCARD')).to.equal(true)
    expect(text).to.not.match(/[\n]|": /)
    expect(text).to.include('"identity":{"createdAtMs":1234,"libp2pKey":"08011240')
    expect(text).to.include(`"ppkPrivate":"${'07'.repeat(32)}"`)
    expect(text).to.include('"node":{"addressSeq":42}')
    expect(text.indexOf('"id":"12D3KooWAmy"')).to.be.lessThan(text.indexOf('"id":"12D3KooWBob"'))
    expect(text.endsWith(',"v":1}')).to.equal(true)
  })

  it('a wrong passphrase or a flipped byte: a clear error and the target dir unchanged', async () => {
    const { file } = await exportBackup(source, PASS, FAST)
    const dir = join(root, 'bad')
    const target = new FileStorage(dir)
    await target.saveProfile('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Other\r\nEND:VCARD\r\n')
    const before = await snapshot(dir)
    const flipped = Uint8Array.from(file)
    flipped[flipped.length - 20] ^= 0x01
    for (const [bytes, pass] of [[file, 'wrong passphrase'], [flipped, PASS]] as const) {
      let error: unknown
      try { await importBackup(target, bytes, pass) } catch (err) { error = err }
      expect(error).to.be.instanceOf(BackupFormatError)
      expect((error as Error).message).to.equal('wrong passphrase or damaged backup file')
      expect(await snapshot(dir)).to.deep.equal(before)
    }
  })

  it('a storage that holds an identity is refused unless force, which says what it replaced', async () => {
    const { file } = await exportBackup(source, PASS, FAST)
    const dir = join(root, 'taken')
    const target = new FileStorage(dir)
    const other = await generateKeyPair('Ed25519')
    await target.saveIdentity({ libp2pKey: privateKeyToProtobuf(other), ppkPrivate: new Uint8Array(32), createdAtMs: 1 })
    await target.putContact(contact('12D3KooWCarl', 'Carl'))
    const before = await snapshot(dir)
    let error: unknown
    try { await importBackup(target, file, PASS) } catch (err) { error = err }
    expect(error).to.be.instanceOf(IdentityExistsError)
    expect((error as Error).message).to.include(peerIdFromPrivateKey(other).toString())
    expect(await snapshot(dir)).to.deep.equal(before)
    const result = await importBackup(target, file, PASS, { force: true })
    expect(result.replaced).to.deep.equal({ peerId: peerIdFromPrivateKey(other).toString(), contacts: 1 })
    expect(result.peerId).to.equal(peerId)
  })

  it('records that open but do not check out are refused before anything is written', async () => {
    const good = JSON.parse(new TextDecoder().decode(encodeRecords(await collectRecords(source))))
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, v: 2 }, /unsupported records version 2/],
      [{ ...good, identity: { ...good.identity, ppkPrivate: 'zz' } }, /identity.ppkPrivate is not lowercase hex/],
      [{ ...good, contacts: [{ ...good.contacts[0], id: '../x' }] }, /contacts\[0\].id is not a peer id/],
      [{ ...good, contacts: [good.contacts[0], good.contacts[0]] }, /appears twice/]
    ]
    const dir = join(root, 'content')
    const target = new FileStorage(dir)
    for (const [doc, message] of cases) {
      expect(() => decodeRecords(new TextEncoder().encode(JSON.stringify(doc)))).to.throw(message)
      const file = await sealBackup(new TextEncoder().encode(JSON.stringify(doc)), PASS, FAST)
      let error: unknown
      try { await importBackup(target, file, PASS) } catch (err) { error = err }
      expect((error as Error).message).to.match(message)
      expect(await snapshot(dir)).to.deep.equal({})
    }
  })

  it('§20.2: the root entropy travels in the backup, so the restored identity shows the same 24 words; a root that does not match its keys is refused', async () => {
    const dir = join(root, 'rooted')
    const rooted = new FileStorage(dir)
    const record = await identityFromRoot(new Uint8Array(32).fill(9), 55)
    await rooted.saveIdentity(record)
    const { file } = await exportBackup(rooted, PASS, FAST)
    const target = new FileStorage(join(root, 'rooted-rt'))
    await importBackup(target, file, PASS)
    const restored = (await target.loadIdentity())!
    expect(Buffer.from(restored.rootEntropy!).equals(Buffer.from(record.rootEntropy!))).to.equal(true)
    expect(identityMnemonic(restored)).to.deep.equal(identityMnemonic(record))
    expect(identityMnemonic(restored).kind).to.equal('root')
    const text = new TextDecoder().decode(encodeRecords(await collectRecords(rooted)))
    expect(text).to.include(`"rootEntropy":"${'09'.repeat(32)}"`)
    // The records of the other tests, which have no root, carry no rootEntropy field.
    expect(new TextDecoder().decode(encodeRecords(await collectRecords(source)))).to.not.include('rootEntropy')
    const doc = JSON.parse(text)
    doc.identity.rootEntropy = '0a'.repeat(32)
    expect(() => decodeRecords(new TextEncoder().encode(JSON.stringify(doc)))).to.throw(/identity.rootEntropy does not derive/)
  })
})
