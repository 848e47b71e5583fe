// docs/protocol.md §22.4: a token's home relays (HRW over the token), against
// test/vectors/gini-hrw-token-v1.json, which an independent implementation produced.
import { expect } from 'chai'
import { multiaddr } from '@multiformats/multiaddr'
import { entriesFromAddrs, peerIdFromBytes, rankRelays, tokenHomes, TOKEN_HOMES, type RelayListEntry } from '../../../../protocols/gss-list/index.js'
import { crpToken, fromHex, H, hrwScore, toHex } from '../../../../protocols/crypto/index.js'
import { mailboxToken } from '../../../../protocols/mailbox/index.js'
import vectors from '../../../vectors/gini-hrw-token-v1.json' with { type: 'json' }

/** The vector relays as list entries, each on its own IPv4 address. */
function entries (): RelayListEntry[] {
  return vectors.relays.map((hex, i) => {
    const peerId = peerIdFromBytes(fromHex(hex))
    if (peerId == null) throw new Error(`vector relay ${i} is not a peer id`)
    return { peerId, multiaddrs: [multiaddr(`/ip4/192.0.2.${i + 1}/tcp/4001/p2p/${peerId.toString()}`)], firstSeenMs: 0 }
  })
}

const idHex = (e: RelayListEntry): string => toHex(e.peerId.toMultihash().bytes)

describe('gss-list/token homes (docs/protocol.md §22.4)', () => {
  const ss = fromHex(vectors.sharedSecret)

  for (const c of vectors.cases) {
    const name = c.kind === 'crp' ? 'CRP token' : `mailbox token day ${c.day} ${c.direction}`
    it(`${name} → the published token, scores, ranking and two homes`, () => {
      const token = c.kind === 'crp' ? crpToken(ss) : mailboxToken(ss, c.day!, c.direction as 'A' | 'B')
      expect(toHex(token)).to.equal(c.token)
      for (const s of c.scores) expect(hrwScore(fromHex(s.relayId), token).toString(16).padStart(16, '0')).to.equal(s.score)
      expect(rankRelays(entries(), token).map(idHex)).to.deep.equal(c.ranking)
      expect(tokenHomes(entries().reverse(), token).map(idHex)).to.deep.equal(c.homes)
    })
  }

  it('k = 2 for a list of two or more; a list of one or none has no homes (the configured relay is the one home)', () => {
    const token = fromHex(vectors.cases[0].token)
    expect(TOKEN_HOMES).to.equal(2)
    for (const row of vectors.homesCount) {
      const homes = tokenHomes(entries().slice(0, row.n), token)
      expect(row.n < 2 ? 1 : homes.length, `N = ${row.n}`).to.equal(row.k)
      if (row.n < 2) expect(homes).to.deep.equal([])
    }
    expect(tokenHomes([], token)).to.deep.equal([])
  })

  it('one relay more or one home fewer in a list → the old and the new homes still share a relay (256 tokens)', () => {
    const list = entries()
    for (let i = 0; i < 256; i++) {
      const token = H(32, new Uint8Array([i]))
      const shared = (a: RelayListEntry[], b: RelayListEntry[]): boolean => a.some(x => b.some(y => x.peerId.equals(y.peerId)))
      const four = list.slice(0, 4)
      expect(shared(tokenHomes(four, token), tokenHomes(list, token)), `token ${i}: a relay joins`).to.equal(true)
      for (const gone of tokenHomes(list, token)) {
        const less = list.filter(e => !e.peerId.equals(gone.peerId))
        expect(shared(tokenHomes(less, token), tokenHomes(list, token)), `token ${i}: a home leaves`).to.equal(true)
      }
    }
  })

  it('remembered addresses → entries by their /p2p/ id; an address without one, or on no network, is left out', () => {
    const list = entries()
    const addrs = [...list.map(e => e.multiaddrs[0]), multiaddr('/ip4/192.0.2.99/tcp/4001'), multiaddr(`/tcp/4001/p2p/${list[0].peerId.toString()}`)]
    const parsed = entriesFromAddrs(addrs)
    expect(parsed.map(idHex)).to.deep.equal([...list.map(idHex), idHex(list[0])])
    const token = fromHex(vectors.cases[0].token)
    expect(tokenHomes(parsed, token).map(idHex)).to.deep.equal(vectors.cases[0].homes)
  })
})
