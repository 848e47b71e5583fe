// peer/core/safety.ts: both contacts compute the same §18 number from what each stored of the other.
import { expect } from 'chai'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateX25519, ready, toHex } from '../../../protocols/crypto/index.js'
import { contactSafetyNumber, safetyKeysOf } from '../../../peer/core/safety.js'

describe('contact safety numbers (docs/protocol.md §18)', () => {
  before(async () => { await ready() })

  async function side (): Promise<{ peerId: ReturnType<typeof peerIdFromPrivateKey>, ppk: Uint8Array }> {
    return { peerId: peerIdFromPrivateKey(await generateKeyPair('Ed25519')), ppk: generateX25519().publicKey }
  }

  it('uses the raw Ed25519 key, the PPK and the identity multihash of the peer id', async () => {
    const a = await side()
    const k = safetyKeysOf(a.peerId, a.ppk)
    expect(k.ed25519Pub).to.have.length(32)
    // identity multihash (0x00, length 36) of the protobuf public key (Ed25519 = 1, 32 bytes)
    expect(toHex(k.peerIdBytes)).to.equal('002408011220' + toHex(k.ed25519Pub))
    expect(k.ppk).to.equal(a.ppk)
  })

  it('is the same on both sides and changes with a new PPK', async () => {
    const a = await side()
    const b = await side()
    const onA = contactSafetyNumber(a, { id: b.peerId.toString(), ppk: toHex(b.ppk) })
    const onB = contactSafetyNumber(b, { id: a.peerId.toString(), ppk: toHex(a.ppk) })
    expect(onA).to.match(/^\d{60}$/)
    expect(onA).to.equal(onB)
    const changed = contactSafetyNumber(a, { id: b.peerId.toString(), ppk: toHex(generateX25519().publicKey) })
    expect(changed).to.not.equal(onA)
  })

  it('refuses a PPK that is not 32 bytes', async () => {
    const a = await side()
    const b = await side()
    expect(() => contactSafetyNumber(a, { id: b.peerId.toString(), ppk: 'abcd' })).to.throw(/not 32 bytes/)
  })
})
