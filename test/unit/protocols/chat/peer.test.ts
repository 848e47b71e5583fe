// Both ends of a /gini/chat/1 stream (protocols/chat/peer.ts, docs/protocol.md §15.3–§15.4) over
// in-memory streams: store-then-ack, repeated ids acknowledged again, malformed frames end that
// stream with PROTOCOL_VIOLATION and nothing stored.
import { expect } from 'chai'
import {
  CHAT_CONTENT_MAX_BYTES, CHAT_FRAME_MAX_BYTES, ChatMessage, ChatSender, ChatType, contentProblem,
  envelopeFromWire, envelopeToWire, receiveChat, type EnvelopeRecord
} from '../../../../protocols/chat/index.js'
import { channelPair, resetAll, within } from '../contact/fixtures.js'

const record = (seq: number, content = `message ${seq}`): EnvelopeRecord => ({
  id: seq.toString(16).padStart(32, 'a'), type: 'MESSAGE', content, sentAtMs: 1_700_000_000_000 + seq, seq
})

async function link (): Promise<{ sender: ChatSender, acked: string[], stored: EnvelopeRecord[], receiving: Promise<void> }> {
  const [a, b] = await channelPair(ChatMessage, CHAT_FRAME_MAX_BYTES)
  const acked: string[] = []
  const stored: EnvelopeRecord[] = []
  const seen = new Set<string>()
  const receiving = receiveChat(b, {
    store: async (e) => { if (!seen.has(e.id)) { seen.add(e.id); stored.push(e) } }
  })
  receiving.catch(() => {})
  return { sender: new ChatSender(a, (ids) => acked.push(...ids)), acked, stored, receiving }
}

async function until (cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise(resolve => setTimeout(resolve, 10))
  if (!cond()) throw new Error(`timed out waiting for ${what}`)
}

describe('chat stream (§15.3)', () => {
  afterEach(resetAll)

  it('three envelopes → stored in order, each acknowledged by id; close → both ends end cleanly', async () => {
    const { sender, acked, stored, receiving } = await link()
    for (const seq of [1, 2, 3]) await sender.send(record(seq))
    await until(() => acked.length === 3, 'three acks')
    expect(stored.map(e => e.content)).to.deep.equal(['message 1', 'message 2', 'message 3'])
    expect(acked).to.deep.equal([1, 2, 3].map(s => record(s).id))
    await sender.close()
    await within(2_000, receiving)
    await within(2_000, sender.done)
  })

  it('a repeated id (resend after a lost ack, a replay) → acknowledged again, stored once', async () => {
    const { sender, acked, stored } = await link()
    await sender.send(record(1))
    await sender.send(record(1))
    await until(() => acked.length === 2, 'two acks')
    expect(stored).to.have.length(1)
  })

  const malformed: Array<[string, Partial<ChatMessage['envelope']>]> = [
    ['an id of 15 bytes', { id: new Uint8Array(15) }],
    ['type UNSPECIFIED', { type: ChatType.CHAT_TYPE_UNSPECIFIED }],
    ['seq 0', { seq: 0n }],
    ['a MESSAGE with a target', { target: new Uint8Array(16) }],
    ['an EDIT without a target', { type: ChatType.EDIT }],
    ['a REACT that is not :name:', { type: ChatType.REACT, target: new Uint8Array(16), content: 'lol' }],
    [`content over ${CHAT_CONTENT_MAX_BYTES} bytes`, { content: 'x'.repeat(CHAT_CONTENT_MAX_BYTES + 1) }]
  ]
  for (const [what, change] of malformed) {
    it(`envelope × ${what} → PROTOCOL_VIOLATION to the sender, nothing stored`, async () => {
      const [a, b] = await channelPair(ChatMessage, CHAT_FRAME_MAX_BYTES)
      const stored: EnvelopeRecord[] = []
      const receiving = receiveChat(b, { store: async (e) => { stored.push(e) } })
      await a.write({ envelope: { ...envelopeToWire(record(1)), ...change } })
      const reply = await within(2_000, a.read())
      expect(reply.error?.code).to.equal('PROTOCOL_VIOLATION')
      const err = await within(2_000, receiving.then(() => undefined, (e) => e))
      expect(err).to.have.property('name', 'ProtocolViolationError')
      expect(stored).to.deep.equal([])
    })
  }

  it('a frame that is not an envelope (an ack to the acceptor) → PROTOCOL_VIOLATION', async () => {
    const [a, b] = await channelPair(ChatMessage, CHAT_FRAME_MAX_BYTES)
    const receiving = receiveChat(b, { store: async () => {} })
    await a.write({ ack: { ids: [new Uint8Array(16)] } })
    expect((await within(2_000, a.read())).error?.code).to.equal('PROTOCOL_VIOLATION')
    expect(await within(2_000, receiving.then(() => undefined, (e) => e))).to.have.property('name', 'ProtocolViolationError')
  })

  it('a malformed ack (an id of 3 bytes) → the sender ends the stream with PROTOCOL_VIOLATION', async () => {
    const [a, b] = await channelPair(ChatMessage, CHAT_FRAME_MAX_BYTES)
    const sender = new ChatSender(a, () => {})
    await b.write({ ack: { ids: [new Uint8Array(3)] } })
    expect(await within(2_000, sender.done.then(() => undefined, (e) => e))).to.have.property('name', 'ProtocolViolationError')
    expect((await within(2_000, b.read())).error?.code).to.equal('PROTOCOL_VIOLATION')
    expect(sender.isOpen).to.equal(false)
  })
})

describe('chat envelope checks (§15.2, §15.4)', () => {
  it('a record → wire → record round trip is exact, for every type', () => {
    const target = 'ff'.repeat(16)
    for (const r of [record(1), { ...record(2), type: 'EDIT' as const, target }, { ...record(3), type: 'DELETE' as const, content: '', target }, { ...record(4), type: 'REACT' as const, content: ':+1:', target }]) {
      expect(envelopeFromWire(envelopeToWire(r))).to.deep.equal(r)
    }
  })

  it('what the sender refuses before storing: too long, empty, a bad reaction, text on a delete', () => {
    expect(contentProblem('MESSAGE', 'é'.repeat(CHAT_CONTENT_MAX_BYTES / 2))).to.equal(undefined)
    expect(contentProblem('MESSAGE', 'é'.repeat(CHAT_CONTENT_MAX_BYTES / 2 + 1))).to.match(/4098 bytes; at most 4096/)
    expect(contentProblem('MESSAGE', '   ')).to.equal('the message is empty')
    expect(contentProblem('REACT', 'thumbsup')).to.match(/short code/)
    expect(contentProblem('REACT', '')).to.equal(undefined)
    expect(contentProblem('DELETE', 'x')).to.match(/no text/)
  })
})
