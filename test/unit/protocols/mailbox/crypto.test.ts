// Keys, ratchet and padding of /gini/mailbox/1 (docs/protocol.md §16.1, §16.2, §16.4).
import { expect } from 'chai'
import { AeadError, sodium, toHex } from '../../../../protocols/crypto/index.js'
import {
  MAILBOX_BUCKETS_BYTES, MAILBOX_FETCH_DAYS, MAILBOX_MAX_SKIPPED_KEYS, MAILBOX_TAG_BYTES, mailboxBlobShapeOk,
  mailboxDay, mailboxFetchTokens, mailboxOpen, mailboxPad, mailboxSeal, mailboxToken, mailboxUnpad,
  newReceiveChain, newSendChain, receiveOpen, sendStep, type ReceiveChain, type SendChain
} from '../../../../protocols/mailbox/index.js'

const ss = (): Uint8Array => sodium.randombytes_buf(64)
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

/** Seals `n` messages on a fresh sender chain; returns them with their indices. */
function sealMany (secret: Uint8Array, token: Uint8Array, n: number): { boxes: Array<{ index: number, box: ReturnType<typeof mailboxSeal> }>, chain: SendChain } {
  let chain = newSendChain(secret, 'A')
  const boxes = []
  for (let i = 0; i < n; i++) {
    const step = sendStep(chain)
    chain = step.chain
    boxes.push({ index: step.index, box: mailboxSeal(step.mk, token, step.index, text(`m${i}`)) })
  }
  return { boxes, chain }
}

describe('mailbox crypto (docs/protocol.md §16)', () => {
  it('tokens differ by day, direction and SharedSecret; fetch covers 7 days of each secret', () => {
    const s1 = ss()
    const s2 = ss()
    const now = Date.UTC(2026, 0, 8, 12)
    const day = mailboxDay(now)
    const a = toHex(mailboxToken(s1, day, 'A'))
    expect(toHex(mailboxToken(s1, day, 'B'))).to.not.equal(a)
    expect(toHex(mailboxToken(s1, day - 1, 'A'))).to.not.equal(a)
    expect(toHex(mailboxToken(s2, day, 'A'))).to.not.equal(a)
    const tokens = mailboxFetchTokens([s1, s2], 'A', now).map(toHex)
    expect(tokens).to.have.length(2 * MAILBOX_FETCH_DAYS)
    expect(new Set(tokens).size).to.equal(tokens.length)
    expect(tokens).to.include(a)
    expect(tokens).to.include(toHex(mailboxToken(s1, day - 6, 'A')))
    expect(tokens).to.not.include(toHex(mailboxToken(s1, day - 7, 'A')))
  })

  it('padding: each size lands in the smallest bucket that holds it and the 0x80 byte', () => {
    const cases: Array<[number, number]> = [[0, 256], [255, 256], [256, 1024], [1023, 1024], [1024, 4096], [4095, 4096], [4096, 16384], [16383, 16384]]
    for (const [n, bucket] of cases) {
      const padded = mailboxPad(new Uint8Array(n).fill(7))
      expect(padded.length, `${n} bytes`).to.equal(bucket)
      expect(mailboxUnpad(padded)).to.deep.equal(new Uint8Array(n).fill(7))
    }
    expect(() => mailboxPad(new Uint8Array(16384))).to.throw(RangeError)
  })

  it('unpad refuses a length that is no bucket and a padding without its 0x80', () => {
    expect(() => mailboxUnpad(new Uint8Array(300))).to.throw(AeadError)
    expect(() => mailboxUnpad(new Uint8Array(256))).to.throw(AeadError) // all zeros: no 0x80 marker
  })

  it('a sealed blob has the shape the relay accepts; other shapes do not', () => {
    const box = mailboxSeal(new Uint8Array(32), new Uint8Array(32), 0, text('hi'))
    expect(box.ciphertext.length).to.equal(MAILBOX_BUCKETS_BYTES[0] + MAILBOX_TAG_BYTES)
    expect(mailboxBlobShapeOk(box)).to.equal(true)
    expect(mailboxBlobShapeOk({ nonce: box.nonce, ciphertext: box.ciphertext.subarray(1) })).to.equal(false)
    expect(mailboxBlobShapeOk({ nonce: box.nonce.subarray(1), ciphertext: box.ciphertext })).to.equal(false)
  })

  it('AD binds token and index: the same key with another token or index does not open', () => {
    const mk = sodium.randombytes_buf(32)
    const token = sodium.randombytes_buf(32)
    const box = mailboxSeal(mk, token, 5, text('x'))
    expect(mailboxOpen(mk, token, 5, box)).to.deep.equal(text('x'))
    expect(() => mailboxOpen(mk, token, 6, box)).to.throw(AeadError)
    expect(() => mailboxOpen(mk, sodium.randombytes_buf(32), 5, box)).to.throw(AeadError)
  })

  it('ratchet: in order, out of order and skipped keys open once each; a used index never again', () => {
    const secret = ss()
    const token = sodium.randombytes_buf(32)
    const { boxes } = sealMany(secret, token, 5)
    let chain: ReceiveChain = newReceiveChain(secret, 'A')
    for (const i of [0, 3, 1, 4, 2]) {
      const r = receiveOpen(chain, token, boxes[i].index, boxes[i].box)
      expect(r.ok, `index ${i}`).to.equal(true)
      if (!r.ok) return
      expect(r.plaintext).to.deep.equal(text(`m${i}`))
      chain = r.chain
    }
    expect(chain.index).to.equal(5)
    expect(chain.skipped.size, 'every skipped key used and deleted').to.equal(0)
    const again = receiveOpen(chain, token, 3, boxes[3].box)
    expect(again).to.deep.equal({ ok: false, reason: 'already-used' })
  })

  it('ratchet: the other direction\'s chain does not open; a forged blob leaves the chain as it was', () => {
    const secret = ss()
    const token = sodium.randombytes_buf(32)
    const { boxes } = sealMany(secret, token, 3)
    const wrong = receiveOpen(newReceiveChain(secret, 'B'), token, 0, boxes[0].box)
    expect(wrong).to.deep.equal({ ok: false, reason: 'auth-failed' })
    const chain = newReceiveChain(secret, 'A')
    const forged = { nonce: boxes[2].box.nonce, ciphertext: boxes[2].box.ciphertext.slice() }
    forged.ciphertext[0] ^= 1
    expect(receiveOpen(chain, token, 2, forged)).to.deep.equal({ ok: false, reason: 'auth-failed' })
    expect(chain.index).to.equal(0)
    const r = receiveOpen(chain, token, 2, boxes[2].box)
    expect(r.ok).to.equal(true)
  })

  it(`ratchet: at most ${MAILBOX_MAX_SKIPPED_KEYS} ahead; skipped keys are bounded, the oldest dropped`, () => {
    const secret = ss()
    const token = sodium.randombytes_buf(32)
    let send = newSendChain(secret, 'A')
    const sealedAt = new Map<number, ReturnType<typeof mailboxSeal>>()
    for (let i = 0; i <= MAILBOX_MAX_SKIPPED_KEYS + 5; i++) {
      const step = sendStep(send)
      send = step.chain
      if (i === 0 || i === 4 || i === MAILBOX_MAX_SKIPPED_KEYS + 1 || i === MAILBOX_MAX_SKIPPED_KEYS + 5) sealedAt.set(i, mailboxSeal(step.mk, token, i, text(`m${i}`)))
    }
    const fresh = newReceiveChain(secret, 'A')
    const far = receiveOpen(fresh, token, MAILBOX_MAX_SKIPPED_KEYS + 1, sealedAt.get(MAILBOX_MAX_SKIPPED_KEYS + 1)!)
    expect(far).to.deep.equal({ ok: false, reason: 'too-far-ahead' })
    // Index 1000 ahead exactly opens, and keeps 1000 skipped keys (0 … 999)…
    let chain = fresh
    const step = receiveOpen(chain, token, 4, sealedAt.get(4)!)
    expect(step.ok).to.equal(true)
    if (!step.ok) return
    chain = step.chain
    expect(chain.skipped.size).to.equal(4)
    const jump = receiveOpen(chain, token, MAILBOX_MAX_SKIPPED_KEYS + 5, sealedAt.get(MAILBOX_MAX_SKIPPED_KEYS + 5)!)
    expect(jump.ok).to.equal(true)
    if (!jump.ok) return
    // …skipped now: 0–3 and 5–1004 = 1004 keys, trimmed to the bound by dropping the oldest (0–3).
    expect(jump.chain.skipped.size).to.equal(MAILBOX_MAX_SKIPPED_KEYS)
    expect(jump.chain.skipped.has(0)).to.equal(false)
    expect(jump.chain.skipped.has(5)).to.equal(true)
    expect(receiveOpen(jump.chain, token, 0, sealedAt.get(0)!)).to.deep.equal({ ok: false, reason: 'already-used' })
  })
})
