// Pairing under faults: a hijacked relay, a peer that vanishes,
// an expired code, a lookup collision. Real relay, real GiniNodes; a hijacked GSS is the real relay
// with a man-in-the-middle layer in front of its /gini/fc/1 (test/helpers/tampering-relay.ts).
import { expect } from 'chai'
import { createRelay, type Relay, type RelayOptions } from '../../relay/index.js'
import { makePeer, codeFrom, type TestPeer } from '../helpers/peers.js'
import { sodium } from '../../protocols/crypto/index.js'
import { ExpiredError, IncorrectMfcError, PeerLeftError } from '../../protocols/common/index.js'
import type { FcMessage } from '../../protocols/fc/index.js'
import type { GiniNodeInit } from '../../peer/core/gini-node.js'
import { startTamperingRelay, type FcTamper } from '../helpers/tampering-relay.js'
import { waitFor } from '../helpers/relay-clients.js'

/** Rejects if `p` has not settled within `ms`: "never a hang" made checkable. */
async function within<T> (ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`still pending after ${ms} ms`)) }, ms) })
  try { return await Promise.race([p, limit]) } finally { clearTimeout(timer) }
}

describe('pairing faults', function () {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => { while (cleanups.length > 0) await cleanups.pop()!() })

  async function relayWith (opts: RelayOptions = {}): Promise<{ relay: Relay, addr: string }> {
    const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'], ...opts })
    cleanups.push(async () => { await relay.stop() })
    return { relay, addr: relay.multiaddrs[0].toString() }
  }

  async function hijackedRelay (tamper: FcTamper): Promise<{ relay: Relay, addr: string }> {
    const relay = await startTamperingRelay({ tamper })
    cleanups.push(async () => { await relay.stop() })
    return { relay, addr: relay.multiaddrs[0].toString() }
  }

  async function peer (name: string, init: Partial<GiniNodeInit> = {}): Promise<TestPeer> {
    const p = await makePeer(name, init)
    cleanups.push(p.cleanup)
    return p
  }

  /** Runs a pairing and returns both outcomes (errors as values). */
  async function attempt (addr: string, alice: TestPeer, bob: TestPeer): Promise<[unknown, unknown]> {
    const invite = alice.node.invite({ relay: addr, onProgress: (e) => alice.events.push(e) }).then(() => 'paired', e => e)
    const code = await codeFrom(alice.events)
    const accept = bob.node.accept(code, { relay: addr, onProgress: (e) => bob.events.push(e) }).then(() => 'paired', e => e)
    return await within(30_000, Promise.all([invite, accept]))
  }

  const tamperCases: Array<[string, () => FcTamper]> = [
    ['relay swaps the creator\'s TPK', () => (from, msg) => {
      if (from === 'creator' && msg.tempKey != null) return { tempKey: { share: sodium.crypto_core_ristretto255_random() as Uint8Array<ArrayBuffer> } }
      return msg
    }],
    ['relay truncates the creator\'s TPK', () => (from, msg) => {
      if (from === 'creator' && msg.tempKey != null) return { tempKey: { share: msg.tempKey.share.slice(0, 31) } }
      return msg
    }],
    ['relay changes the sid the joiner sees', () => (from, msg) => {
      if (from === 'creator' && msg.matched != null) {
        const sidA = msg.matched.sidA.slice()
        sidA[0] ^= 0xff
        return { matched: { sidA, sidB: msg.matched.sidB } }
      }
      return msg
    }],
    ['relay reflects an MFC back to its sender', () => {
      // Whichever MFC reaches the relay second is replaced by its recipient's own MFC.
      const seen = new Map<string, FcMessage>()
      return (from, msg) => {
        if (msg.mfc == null) return msg
        const recipient = from === 'creator' ? 'joiner' : 'creator'
        seen.set(from, msg)
        return seen.get(recipient) ?? msg
      }
    }]
  ]

  for (const [name, makeTamper] of tamperCases) {
    it(`${name} → both peers fail with Incorrect MFC and store nothing`, async () => {
      const { addr, relay } = await hijackedRelay(makeTamper())
      const alice = await peer('Alice')
      const bob = await peer('Bob')
      const [a, b] = await attempt(addr, alice, bob)
      expect(a, 'creator').to.be.instanceOf(IncorrectMfcError)
      expect(b, 'joiner').to.be.instanceOf(IncorrectMfcError)
      expect(await alice.node.contacts()).to.deep.equal([])
      expect(await bob.node.contacts()).to.deep.equal([])
      // With a reflected MFC one side may see the genuine MFC and verify; the other's Error still ends it.
      if (!name.includes('reflects')) expect(alice.events.map(e => e.event)).to.not.include('verified')
      expect(alice.events.map(e => e.event)).to.not.include('connected')
      expect(bob.events.map(e => e.event)).to.not.include('connected')
      // The peers may end a moment before the relay has seen both streams close: the row goes then.
      await waitFor(() => relay.fc.pendingCount === 0, 'the relay to delete the pairing\'s row')
    })
  }

  for (const step of ['matched', 'verified'] as const) {
    it(`joiner vanishes after "${step}" → creator gets PEER_LEFT within seconds, nothing stored`, async () => {
      const { addr, relay } = await relayWith()
      const alice = await peer('Alice')
      const bob = await peer('Bob')
      const invite = alice.node.invite({ relay: addr, onProgress: (e) => alice.events.push(e) }).then(() => 'paired', e => e)
      const code = await codeFrom(alice.events)
      const leave = new AbortController()
      const accept = bob.node.accept(code, {
        relay: addr,
        signal: leave.signal,
        onProgress: (e) => { if (e.event === step) leave.abort(new Error('user closed the app')) }
      }).catch(e => e)
      expect(await within(10_000, accept)).to.be.instanceOf(Error)
      expect(await within(10_000, invite)).to.be.instanceOf(PeerLeftError)
      expect(await alice.node.contacts()).to.deep.equal([])
      await waitFor(() => relay.fc.pendingCount === 0, 'the relay to delete the pairing\'s row')
    })
  }

  it('nobody joins before the relay\'s TTL → creator gets EXPIRED, row gone', async () => {
    const { addr, relay } = await relayWith({ pairingTtlMs: 1_500 })
    const alice = await peer('Alice')
    const err = await within(10_000, alice.node.invite({ relay: addr }).catch(e => e))
    expect(err).to.be.instanceOf(ExpiredError)
    expect(relay.fc.pendingCount).to.equal(0)
  })

  it('a live pairing already uses the drawn code → FLASH_CODE_IN_USE is retried with a new code before one is shown', async () => {
    const { addr } = await relayWith()
    const carol = await peer('Carol', { newFlashCode: () => 'AAAAAAAA' })
    const codes = ['AAAAAAAA', 'BBBBBBBB']
    const alice = await peer('Alice', { newFlashCode: () => codes.shift()! })
    const bob = await peer('Bob')
    const stopCarol = new AbortController()
    const carolInvite = carol.node.invite({ relay: addr, signal: stopCarol.signal, onProgress: (e) => carol.events.push(e) }).catch(e => e)
    expect(await codeFrom(carol.events)).to.equal('AAAA-AAAA')

    const invite = alice.node.invite({ relay: addr, onProgress: (e) => alice.events.push(e) })
    expect(await codeFrom(alice.events)).to.equal('BBBB-BBBB')
    expect(alice.events.filter(e => e.event === 'flash-code')).to.have.length(1)
    await Promise.all([invite, bob.node.accept('BBBB-BBBB', { relay: addr })])
    expect((await bob.node.contacts()).map(c => c.name)).to.deep.equal(['Alice'])
    stopCarol.abort()
    await carolInvite
  })

  it('a third party enters a code that is already matched → No matching Flash Code', async () => {
    const { addr } = await relayWith()
    const alice = await peer('Alice')
    const bob = await peer('Bob')
    const mallory = await peer('Mallory')
    const invite = alice.node.invite({ relay: addr, onProgress: (e) => alice.events.push(e) })
    const code = await codeFrom(alice.events)
    let malloryTry: Promise<unknown> | undefined
    const accept = bob.node.accept(code, {
      relay: addr,
      onProgress: (e) => { if (e.event === 'matched') malloryTry = mallory.node.accept(code, { relay: addr }).catch(err => err) }
    })
    await Promise.all([invite, accept])
    const err = await malloryTry
    expect(err).to.have.property('code', 'NO_MATCHING_FLASH_CODE')
    expect(await mallory.node.contacts()).to.deep.equal([])
  })
})
