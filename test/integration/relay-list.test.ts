// Many relays, one network (docs/protocol.md §22): real relays on loopback (each on its own
// 127.0.0.x address, so each is its own network), their private kad-dht, the relay list on
// /gini/gss/list/1, and real peers pairing through the relay HRW picks for their code.
import { expect } from 'chai'
import { createRelay, type Relay, type RelayOptions } from '../../relay/index.js'
import { gssListChannel, requestRelayList, rankRelays, GSS_LIST_PROTOCOL } from '../../protocols/gss-list/index.js'
import { KAD_PROTOCOL } from '../../relay/constants.js'
import { Cleanup, clientNode, WAIT_MS } from '../helpers/relay-clients.js'
import { listed, metricValue, networkRelay as sharedNetworkRelay, untilLists as until } from '../helpers/relay-network.js'

/** How often the relays rebuild their list here (10 s in production). */
const REFRESH_MS = 500

const networkRelay = async (cleanup: Cleanup, host: string, bootstrap: Relay[], opts: RelayOptions = {}): Promise<Relay> =>
  await sharedNetworkRelay(cleanup, host, bootstrap, { listRefreshMs: REFRESH_MS, ...opts })
const rejections = async (relay: Relay, limit: string): Promise<number> => await metricValue(relay, `gini_relay_limit_rejections_total{limit="${limit}"}`)

describe('relay list: relays form one network (docs/protocol.md §22.1)', function () {
  this.timeout(120_000)
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  it('three relays from one bootstrap → every list holds all three; a peer fetches it on /gini/gss/list/1', async () => {
    const r1 = await networkRelay(cleanup, '127.0.0.11', [])
    const r2 = await networkRelay(cleanup, '127.0.0.12', [r1])
    const r3 = await networkRelay(cleanup, '127.0.0.13', [r1])
    const all = [r1, r2, r3].map(r => r.peerId.toString()).sort()
    await until([r1, r2, r3], () => [r1, r2, r3].every(r => listed(r).length === 3), 'all three lists to hold three relays')
    for (const r of [r1, r2, r3]) expect(listed(r)).to.deep.equal(all)

    const client = await clientNode(cleanup)
    const stream = await client.dialProtocol(r3.multiaddrs[0], GSS_LIST_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
    const list = await requestRelayList(gssListChannel(stream), { signal: AbortSignal.timeout(WAIT_MS) })
    expect(list.map(e => e.peerId.toString()).sort()).to.deep.equal(all)
    expect(list[0].peerId.equals(r3.peerId), 'the answering relay first').to.equal(true)
    expect(rankRelays(list, '5H7M8GQ2')).to.have.length(3)
  })

  it('a relay killed without leaving → the others drop it from their lists', async () => {
    const r1 = await networkRelay(cleanup, '127.0.0.11', [])
    const r2 = await networkRelay(cleanup, '127.0.0.12', [r1])
    const r3 = await networkRelay(cleanup, '127.0.0.13', [r1])
    await until([r1, r2, r3], () => [r1, r2, r3].every(r => listed(r).length === 3), 'all three lists to hold three relays')
    await r3.node.stop() // no drain: gone as after a crash
    const left = [r1, r2].map(r => r.peerId.toString()).sort()
    await until([r1, r2], () => [r1, r2].every(r => listed(r).join() === left.join()), 'r3 to drop out of both lists')
  })

  it('one host advertising itself under many peer ids → one place in the list; the rest refused and counted', async () => {
    const r1 = await networkRelay(cleanup, '127.0.0.11', [])
    const r2 = await networkRelay(cleanup, '127.0.0.12', [r1])
    const sybils: Relay[] = []
    for (let i = 0; i < 4; i++) sybils.push(await networkRelay(cleanup, '127.0.0.20', [r1]))
    const sybilIds = new Set(sybils.map(r => r.peerId.toString()))
    await until([r1, r2], () => [r1, r2].every(r => listed(r).some(id => sybilIds.has(id))), 'the host to get its place')
    // Several more rounds: the count never grows past one.
    for (let round = 0; round < 4; round++) {
      await r1.network.refresh()
      await r2.network.refresh()
      for (const r of [r1, r2]) expect(listed(r).filter(id => sybilIds.has(id)), 'entries of the one host').to.have.length(1)
    }
    expect(await rejections(r1, 'list-network-taken')).to.be.greaterThan(0)
  })

  it('list bounds: at most --list-max-relays listed, at most --dht-max-provider-records stored, each refusal counted', async () => {
    const r1 = await networkRelay(cleanup, '127.0.0.11', [], { maxListRelays: 3, dhtMaxProviderRecords: 1 })
    const others: Relay[] = []
    for (let i = 0; i < 4; i++) others.push(await networkRelay(cleanup, `127.0.0.${31 + i}`, [r1]))
    await until(others, () => others.every(r => listed(r).length >= 4), 'the others to find each other')
    for (let round = 0; round < 3; round++) await r1.network.refresh()
    expect(r1.network.relays().length).to.be.at.most(3)
    expect(r1.network.providerRecords).to.equal(1)
    expect(await rejections(r1, 'list-full')).to.be.greaterThan(0)
    expect(await rejections(r1, 'dht-provider-records')).to.be.greaterThan(0)
  })

  it('list streams: past --list-max-streams at once → reset and counted; the next one after is served', async () => {
    const r1 = await networkRelay(cleanup, '127.0.0.11', [], { maxListStreams: 1 })
    const client = await clientNode(cleanup)
    const holding = await client.dialProtocol(r1.multiaddrs[0], GSS_LIST_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
    const refused = await client.dialProtocol(r1.multiaddrs[0], GSS_LIST_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
    let err: unknown
    try {
      await requestRelayList(gssListChannel(refused), { signal: AbortSignal.timeout(WAIT_MS) })
    } catch (e) { err = e }
    expect(err, 'the second stream is reset').to.be.instanceOf(Error)
    expect(await rejections(r1, 'list-streams')).to.equal(1)
    const list = await requestRelayList(gssListChannel(holding), { signal: AbortSignal.timeout(WAIT_MS) })
    expect(list.map(e => e.peerId.toString())).to.deep.equal([r1.peerId.toString()])
  })

  it('a peer (not a relay) × kad stream to a relay of the network → reset, counted; it is never listed', async () => {
    const r1 = await networkRelay(cleanup, '127.0.0.11', [])
    expect(r1.node.getProtocols()).to.include(KAD_PROTOCOL)
    const client = await clientNode(cleanup)
    const s = await client.dialProtocol(r1.multiaddrs[0], KAD_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
    let err: unknown
    try {
      for await (const chunk of s) void chunk
    } catch (e) { err = e }
    expect(s.status === 'reset' || s.status === 'aborted' || err != null, `stream ${s.status}`).to.equal(true)
    expect(await rejections(r1, 'dht-unchecked')).to.equal(1)
    await r1.network.refresh()
    expect(listed(r1)).to.deep.equal([r1.peerId.toString()])
  })

  it('a relay on its own (no --bootstrap, no --network) → no DHT; it lists only itself', async () => {
    const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0'] })
    cleanup.add(async () => { await relay.stop() })
    expect(relay.node.getProtocols()).to.not.include(KAD_PROTOCOL)
    expect(relay.network.networked).to.equal(false)
    expect(listed(relay)).to.deep.equal([relay.peerId.toString()])
  })
})
