// The relay key's repeat-signature memory (relay/identity.ts): same bytes as signing afresh, for
// repeated and changing messages, and the key is otherwise the key.
import { expect } from 'chai'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { withRepeatSignatures } from '../../../relay/identity.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

describe('relay identity: repeat signatures', function () {
  it('Ed25519 × the same message twice, then others, then the first again → the bytes a fresh signature gives, each verifying', async () => {
    const key = await generateKeyPair('Ed25519')
    const signer = withRepeatSignatures(key)
    const messages = ['noise-libp2p-static-key:a', 'noise-libp2p-static-key:a', 'other', 'noise-libp2p-static-key:a'].map(m => new TextEncoder().encode(m))
    for (const m of messages) {
      const sig = await signer.sign(m)
      expect(hex(sig)).to.equal(hex(await key.sign(m)))
      expect(await key.publicKey.verify(m, sig)).to.equal(true)
    }
    // A caller that changes the returned signature does not change the next one.
    const first = await signer.sign(messages[0])
    first.fill(0)
    expect(hex(await signer.sign(messages[0]))).to.equal(hex(await key.sign(messages[0])))
  })

  it('the wrapped key × peer id, protobuf, equals → the same as the key\'s', async () => {
    const key = await generateKeyPair('Ed25519')
    const signer = withRepeatSignatures(key)
    expect(peerIdFromPrivateKey(signer).toString()).to.equal(peerIdFromPrivateKey(key).toString())
    expect(hex(privateKeyToProtobuf(signer))).to.equal(hex(privateKeyToProtobuf(key)))
    expect(signer.equals(key)).to.equal(true)
    expect(signer.type).to.equal('Ed25519')
  })

  it('a non-Ed25519 key → returned as it is', async () => {
    const key = await generateKeyPair('secp256k1')
    expect(withRepeatSignatures(key)).to.equal(key)
  })
})
