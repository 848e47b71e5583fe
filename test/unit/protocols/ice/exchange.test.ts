// /gini/ice/1 (docs/protocol.md §14) over in-memory streams: the exchange, the peer's checks of a reply,
// and coturn's use-auth-secret credential format.
import { expect } from 'chai'
import { createHmac } from 'node:crypto'
import { channelPair, resetAll } from '../contact/fixtures.js'
import {
  ICE_FRAME_MAX_BYTES, ICE_MAX_TTL_MS, IceMessage, requestIceServers, serveIceRequest, validateIceServers
} from '../../../../protocols/ice/index.js'
import type { IceServers } from '../../../../protocols/ice/index.js'
import { errorFrame } from '../../../../protocols/common/index.js'
import { issueTurnCredential, turnCredential } from '../../../../relay/turn-credentials.js'
import { validateIceConfig } from '../../../../relay/ice-service.js'

const reply = (servers: IceServers['servers'], ttlMs = 0): IceServers => ({ servers, ttlMs: BigInt(ttlMs), expiresAtMs: 0n })
const stun = { urls: ['stun:198.51.100.1:3478'], username: '', credential: '' }
const turn = { urls: ['turn:198.51.100.1:3478?transport=udp'], username: '1767225600:abc', credential: 'c2VjcmV0' }

describe('ice: coturn use-auth-secret credentials', () => {
  it('username = <expiry unix s>:<random>, credential = base64 HMAC-SHA1(secret, username)', () => {
    const now = Date.UTC(2026, 0, 1)
    const cred = issueTurnCredential('north', 600_000, now, (n) => new Uint8Array(n).fill(7))
    const [ts, rand] = cred.username.split(':')
    expect(Number(ts)).to.equal(now / 1000 + 600)
    expect(rand).to.match(/^[A-Za-z0-9_-]{12}$/)
    expect(cred.expiresAtMs).to.equal(now + 600_000)
    expect(cred.credential).to.equal(createHmac('sha1', 'north').update(cred.username).digest('base64'))
  })

  it('fixed vector: secret "north", username "1683723937:john" → the credential Python\'s hmac gives', () => {
    // python3: base64.b64encode(hmac.new(b'north', b'1683723937:john', hashlib.sha1).digest())
    expect(turnCredential('north', '1683723937:john')).to.equal('eZsRbcZqn9d0EYF5iiAeWBFt1vY=')
  })

  it('expiry × sub-second TTL → rounded up to whole seconds, never shorter than asked', () => {
    const cred = issueTurnCredential('s', 1_500, 1_000_000_250)
    expect(cred.expiresAtMs).to.equal(1_000_002_000)
    expect(cred.expiresAtMs - 1_000_000_250).to.be.at.least(1_500)
  })

  it('two credentials → different random parts and credentials', () => {
    const a = issueTurnCredential('s', 60_000, 0)
    const b = issueTurnCredential('s', 60_000, 0)
    expect(a.username).to.not.equal(b.username)
    expect(a.credential).to.not.equal(b.credential)
  })

  it('relay config × TURN without secret, bad scheme, too many URLs → refused at start-up', () => {
    expect(() => { validateIceConfig({ turn: ['turn:h:3478'] }) }).to.throw(/turn-secret/)
    expect(() => { validateIceConfig({ stun: ['http://h'] }) }).to.throw(/stun:/)
    expect(() => { validateIceConfig({ turn: ['stun:h'], turnSecret: 's' }) }).to.throw(/turn:/)
    expect(() => { validateIceConfig({ turnSecret: 's' }) }).to.throw(/without a --turn/)
    expect(() => { validateIceConfig({ stun: Array(9).fill('stun:h') }) }).to.throw(/at most/)
    expect(() => { validateIceConfig({ turn: ['turn:h'], turnSecret: 's', turnTtlMs: 10 }) }).to.throw(/turn-ttl/)
    expect(() => { validateIceConfig({ stun: ['stun:h:3478'], turn: ['turn:h:3478?transport=udp'], turnSecret: 's' }) }).to.not.throw()
    expect(() => { validateIceConfig({}) }).to.not.throw()
  })
})

describe('ice: /gini/ice/1 exchange', () => {
  afterEach(() => { resetAll() })

  it('request × relay with STUN and TURN → both entries, credentials and TTL as issued', async () => {
    const [peer, relay] = await channelPair(IceMessage, ICE_FRAME_MAX_BYTES)
    const served = serveIceRequest(relay, () => reply([stun, turn], 600_000))
    const grant = await requestIceServers(peer)
    await served
    expect(grant.ttlMs).to.equal(600_000)
    expect(grant.servers).to.deep.equal([
      { urls: stun.urls },
      { urls: turn.urls, username: turn.username, credential: turn.credential }
    ])
  })

  it('request × relay with nothing configured → an empty list (peers then use no ICE servers)', async () => {
    const [peer, relay] = await channelPair(IceMessage, ICE_FRAME_MAX_BYTES)
    const served = serveIceRequest(relay, () => reply([]))
    expect(await requestIceServers(peer)).to.deep.equal({ servers: [], ttlMs: 0 })
    await served
  })

  it('relay × anything but a request → PROTOCOL_VIOLATION frame, stream ends', async () => {
    const [peer, relay] = await channelPair(IceMessage, ICE_FRAME_MAX_BYTES)
    const served = serveIceRequest(relay, () => reply([stun])).catch((err: Error) => err)
    await peer.write({ servers: reply([stun]) })
    const msg = await peer.read()
    expect(msg.error?.code).to.equal('PROTOCOL_VIOLATION')
    expect((await served as Error).name).to.equal('ProtocolViolationError')
  })

  it('peer × relay answers with an Error frame → the typed error', async () => {
    const [peer, relay] = await channelPair(IceMessage, ICE_FRAME_MAX_BYTES)
    void (async () => { await relay.read(); await relay.write(errorFrame('RATE_LIMITED')); await relay.close() })()
    const err = await requestIceServers(peer).catch((e: Error) => e)
    expect((err as Error).name).to.equal('RateLimitedError')
  })

  it('peer × oversized reply frame → PROTOCOL_VIOLATION before the body is read', async () => {
    const [peer, relay] = await channelPair(IceMessage, ICE_FRAME_MAX_BYTES, 1024 * 1024)
    void (async () => { await relay.read(); await relay.write({ servers: reply([{ urls: [`stun:${'x'.repeat(5000)}`], username: '', credential: '' }]) }).catch(() => {}) })()
    const err = await requestIceServers(peer).catch((e: Error) => e)
    expect((err as Error).name).to.equal('ProtocolViolationError')
  })
})

describe('ice: a peer checks a reply before its WebRTC stack sees it', () => {
  const bad: Array<[string, IceServers]> = [
    ['an http: URL', reply([{ urls: ['http://evil.example'], username: '', credential: '' }])],
    ['a TURN URL without credential', reply([{ urls: ['turn:h:3478'], username: 'u', credential: '' }], 1000)],
    ['an entry without URLs', reply([{ urls: [], username: '', credential: '' }])],
    ['5 entries', reply(Array(5).fill(stun))],
    ['9 URLs', reply([{ urls: Array(9).fill('stun:h'), username: '', credential: '' }])],
    ['a 257-character URL', reply([{ urls: [`stun:${'h'.repeat(252)}`], username: '', credential: '' }])],
    ['a TTL over 24 h', reply([turn], ICE_MAX_TTL_MS + 1)],
    ['credentials without a TTL', reply([turn], 0)]
  ]
  for (const [what, msg] of bad) {
    it(`reply with ${what} → ProtocolViolationError`, () => {
      expect(() => validateIceServers(msg)).to.throw().with.property('name', 'ProtocolViolationError')
    })
  }

  it('stuns:/turns: URLs and a 24 h TTL → accepted', () => {
    const grant = validateIceServers(reply([{ urls: ['stuns:h:5349'], username: '', credential: '' }, { ...turn, urls: ['turns:h:5349'] }], ICE_MAX_TTL_MS))
    expect(grant.servers).to.have.length(2)
  })
})
