// What a conversation shows (protocols/chat/conversation.ts, docs/protocol.md §15.4–§15.5): the same
// set of envelopes shows the same thing whatever order they arrived in or how often.
import { expect } from 'chai'
import { showConversation, type StoredEnvelope } from '../../../../protocols/chat/index.js'

let n = 0
const id = (): string => (++n).toString(16).padStart(32, '0')

function env (author: 'me' | 'them', type: StoredEnvelope['type'], seq: number, content = '', target?: string): StoredEnvelope {
  return { id: id(), author, type, content, target, seq, sentAtMs: 1_000 + seq * 10 + (author === 'them' ? 5 : 0), delivered: true }
}

/** Every permutation of a small list, for "arrival order does not matter". */
function permutations<T> (xs: T[]): T[][] {
  if (xs.length <= 1) return [xs]
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map(p => [x, ...p]))
}

describe('chat conversation view (§15.4, §15.5)', () => {
  it('messages from both authors × any arrival order → shown by sender time, then seq', () => {
    const a1 = env('me', 'MESSAGE', 1, 'hi')
    const b1 = env('them', 'MESSAGE', 1, 'hello')
    const a2 = env('me', 'MESSAGE', 2, 'how are you?')
    for (const order of permutations([a2, b1, a1])) {
      expect(showConversation(order).map(m => m.content)).to.deep.equal(['hi', 'hello', 'how are you?'])
    }
  })

  it('a duplicated MESSAGE (same id twice) → shown once', () => {
    const m = env('them', 'MESSAGE', 1, 'once')
    expect(showConversation([m, { ...m }, m])).to.have.length(1)
  })

  it('EDIT by the author × before or after its MESSAGE → the latest edit by seq wins, marked edited', () => {
    const m = env('them', 'MESSAGE', 1, 'helo')
    const e1 = env('them', 'EDIT', 2, 'hello', m.id)
    const e2 = env('them', 'EDIT', 3, 'hello!', m.id)
    for (const order of permutations([m, e1, e2])) {
      const [shown] = showConversation(order)
      expect(shown).to.include({ content: 'hello!', edited: true, deleted: false })
    }
    expect(showConversation([e1])).to.deep.equal([]) // waits for its MESSAGE
  })

  it('EDIT or DELETE by the other party (not the author) → no effect', () => {
    const mine = env('me', 'MESSAGE', 1, 'mine')
    const forgedEdit = env('them', 'EDIT', 1, 'pwned', mine.id)
    const forgedDelete = env('them', 'DELETE', 2, '', mine.id)
    const [shown] = showConversation([mine, forgedEdit, forgedDelete])
    expect(shown).to.include({ content: 'mine', edited: false, deleted: false })
  })

  it('DELETE × any later or earlier EDIT → a tombstone: no text, never revived', () => {
    const m = env('them', 'MESSAGE', 1, 'oops')
    const del = env('them', 'DELETE', 2, '', m.id)
    const lateEdit = env('them', 'EDIT', 3, 'back?', m.id)
    for (const order of permutations([m, del, lateEdit])) {
      const [shown] = showConversation(order)
      expect(shown).to.include({ content: '', deleted: true })
    }
  })

  it('REACT → one per author, highest seq wins, empty removes; either side may react to any message', () => {
    const m = env('me', 'MESSAGE', 1, 'news')
    const r1 = env('them', 'REACT', 1, ':tada:', m.id)
    const r2 = env('them', 'REACT', 2, ':heart:', m.id)
    const mine = env('me', 'REACT', 2, ':thumbsup:', m.id)
    expect(showConversation([r2, m, r1, mine])[0].reactions).to.deep.equal({ them: ':heart:', me: ':thumbsup:' })
    const removed = env('them', 'REACT', 3, '', m.id)
    expect(showConversation([m, r1, r2, removed])[0].reactions).to.deep.equal({})
  })

  it('our undelivered message → delivered: false until acknowledged', () => {
    const m = { ...env('me', 'MESSAGE', 1, 'queued'), delivered: false }
    expect(showConversation([m])[0].delivered).to.equal(false)
  })
})
