// docs/protocol.md §20.1: a sealed backup opens with its passphrase only; a flipped byte, another
// version or absurd KDF parameters are refused with a clear error.
import { expect } from 'chai'
import { BackupFormatError, openBackup, sealBackup } from '../../../../protocols/crypto/index.js'
import vector from '../../../vectors/gini-backup-v1.json' with { type: 'json' }

const LOW = { opslimit: 1, memlimitKiB: 8 }
const plain = new TextEncoder().encode('{"v":1}')

async function rejects (p: Promise<unknown>, re: RegExp): Promise<void> {
  try { await p } catch (err) {
    expect(err).to.be.instanceOf(BackupFormatError)
    expect((err as Error).message).to.match(re)
    return
  }
  expect.fail('expected a rejection')
}

describe('crypto/backup', () => {
  it('matches test/vectors/gini-backup-v1.json', async () => {
    const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
    const file = await sealBackup(new TextEncoder().encode(vector.plaintext), vector.passphrase,
      { opslimit: vector.opslimit, memlimitKiB: vector.memlimitKiB }, hex(vector.salt), hex(vector.nonce))
    expect(Buffer.from(file).toString('hex')).to.equal(vector.file)
    expect(new TextDecoder().decode(await openBackup(hex(vector.file), vector.passphrase))).to.equal(vector.plaintext)
  })
  it('round-trips with the right passphrase', async () => {
    const file = await sealBackup(plain, 'correct horse', LOW)
    expect(await openBackup(file, 'correct horse')).to.deep.equal(plain)
  })
  it('refuses a wrong passphrase and a flipped byte', async () => {
    const file = await sealBackup(plain, 'correct horse', LOW)
    await rejects(openBackup(file, 'wrong'), /wrong passphrase or damaged/)
    const flipped = file.slice(); flipped[file.length - 1] ^= 1
    await rejects(openBackup(flipped, 'correct horse'), /wrong passphrase or damaged/)
    const salt = file.slice(); salt[20] ^= 1
    await rejects(openBackup(salt, 'correct horse'), /wrong passphrase or damaged/)
  })
  it('refuses another version and absurd KDF parameters before deriving', async () => {
    const file = await sealBackup(plain, 'pw', LOW)
    const v2 = file.slice(); v2[8] = 2
    await rejects(openBackup(v2, 'pw'), /unsupported backup version 2/)
    const huge = file.slice(); new DataView(huge.buffer).setUint32(14, 0xffffffff)
    await rejects(openBackup(huge, 'pw'), /memlimit/)
    await rejects(openBackup(file.subarray(0, 10), 'pw'), /too short/)
  })
})
