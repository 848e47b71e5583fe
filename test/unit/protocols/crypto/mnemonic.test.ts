// docs/protocol.md §20.2 identity mnemonic against test/vectors/gini-mnemonic-v1.json: root → words →
// peer id and PPK, the two-mnemonic form of an identity made before §20.2, and words refused with
// the position of the bad one.
import { expect } from 'chai'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import {
  bytesToMnemonic, deriveIdentityKeys, fromHex, mnemonicToBytes, MnemonicError, splitMnemonic, toHex, x25519PublicFromPrivate
} from '../../../../protocols/crypto/index.js'
import { identityFromMnemonic, identityFromRoot, identityMnemonic, rootMatches } from '../../../../peer/core/identity.js'
import vectors from '../../../vectors/gini-mnemonic-v1.json' with { type: 'json' }

function peerIdOf (libp2pKey: Uint8Array): string {
  return peerIdFromPrivateKey(privateKeyFromProtobuf(libp2pKey)).toString()
}

function refusal (fn: () => unknown): MnemonicError {
  try { fn() } catch (err) {
    expect(err).to.be.instanceOf(MnemonicError)
    return err as MnemonicError
  }
  expect.fail('expected a MnemonicError')
}

async function refusalAsync (p: Promise<unknown>): Promise<MnemonicError> {
  try { await p } catch (err) {
    expect(err).to.be.instanceOf(MnemonicError)
    return err as MnemonicError
  }
  expect.fail('expected a MnemonicError')
}

describe('crypto/mnemonic (docs/protocol.md §20.2)', () => {
  for (const c of vectors.cases) {
    it(`published vector ${c.rootEntropy.slice(0, 8)}…: root → words → peer id and PPK, and back`, async () => {
      const root = fromHex(c.rootEntropy)
      expect(bytesToMnemonic(root).join(' ')).to.equal(c.words)
      expect(toHex(mnemonicToBytes(c.words.split(' ')))).to.equal(c.rootEntropy)
      const keys = deriveIdentityKeys(root)
      expect(toHex(keys.ed25519Seed)).to.equal(c.ed25519Seed)
      expect(toHex(keys.ppkPrivate)).to.equal(c.ppkPrivate)
      const record = await identityFromMnemonic(splitMnemonic(c.words), 0)
      expect(peerIdOf(record.libp2pKey)).to.equal(c.peerId)
      expect(toHex(x25519PublicFromPrivate(record.ppkPrivate))).to.equal(c.ppkPublic)
      expect(toHex(record.rootEntropy!)).to.equal(c.rootEntropy)
      expect(identityMnemonic(record)).to.deep.equal({ kind: 'root', words: c.words.split(' ') })
    })
  }

  it('published legacy vector: two raw keys → two mnemonics → the same peer id and PPK, no root', async () => {
    const l = vectors.legacy
    const record = await identityFromMnemonic(splitMnemonic(`${l.peerKeyWords} ${l.ppkWords}`), 0)
    expect(peerIdOf(record.libp2pKey)).to.equal(l.peerId)
    expect(toHex(record.ppkPrivate)).to.equal(l.ppkPrivate)
    expect(toHex(x25519PublicFromPrivate(record.ppkPrivate))).to.equal(l.ppkPublic)
    expect(record.rootEntropy).to.equal(undefined)
    expect(identityMnemonic(record)).to.deep.equal({ kind: 'keys', peerKeyWords: l.peerKeyWords.split(' '), ppkWords: l.ppkWords.split(' ') })
  })

  it('published rejections: a word off the list names its position, a swap or a changed word fails the checksum, a short phrase says the count', () => {
    for (const r of vectors.rejected) {
      const err = refusal(() => mnemonicToBytes(splitMnemonic(r.words)))
      if (r.reason === 'not on the word list') {
        expect(err.position).to.equal(r.position)
        expect(err.message).to.equal(`word ${r.position} is not a BIP-39 English word (check its spelling)`)
      } else if (r.reason === 'checksum') {
        expect(err.position).to.equal(undefined)
        expect(err.message).to.match(/checksum/)
      } else {
        expect(err.message).to.match(/24 words, not 23/)
      }
    }
  })

  it('a bad word in the second half of a 48-word phrase is named by its position among all 48', async () => {
    const l = vectors.legacy
    const words = splitMnemonic(`${l.peerKeyWords} ${l.ppkWords}`)
    words[29] = 'notaword'
    const err = await refusalAsync(identityFromMnemonic(words, 0))
    expect(err.position).to.equal(30)
    expect(err.message).to.match(/^word 30 /)
    expect(err.message).to.not.include('notaword')
    const swapped = splitMnemonic(`${l.peerKeyWords} ${l.ppkWords}`)
    ;[swapped[0], swapped[1]] = [swapped[1], swapped[0]]
    expect((await refusalAsync(identityFromMnemonic(swapped, 0))).message).to.match(/first mnemonic \(the peer key\).*checksum/)
    expect((await refusalAsync(identityFromMnemonic(words.slice(0, 30), 0))).message).to.match(/not 30/)
  })

  it('typed text: case, extra spaces, commas and list numbers do not matter', () => {
    const c = vectors.cases[2]
    const typed = c.words.split(' ').map((w, i) => `${i + 1}. ${w.toUpperCase()},`).join('\n  ')
    expect(toHex(mnemonicToBytes(splitMnemonic(typed)))).to.equal(c.rootEntropy)
  })

  it('a root kept beside keys it did not derive is not shown: the raw keys are', async () => {
    const a = await identityFromRoot(fromHex(vectors.cases[0].rootEntropy), 0)
    const b = await identityFromRoot(fromHex(vectors.cases[1].rootEntropy), 0)
    const mixed = { ...a, ppkPrivate: b.ppkPrivate }
    expect(rootMatches(mixed, a.rootEntropy!)).to.equal(false)
    expect(identityMnemonic(mixed).kind).to.equal('keys')
  })
})
