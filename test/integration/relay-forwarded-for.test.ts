// X-Forwarded-For on the relay's WebSocket listener (relay/forwarded-for.ts): real WebSocket clients
// reach a real relay through a tiny reverse proxy (test/helpers/forwarding-proxy.ts) that adds the
// header. Only a proxy listed in `trustProxy` is believed; a malformed header is ignored and counted.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { createLibp2p } from 'libp2p'
import { fcChannel, FC_PROTOCOL } from '../../protocols/fc/index.js'
import type { Relay, RelayOptions } from '../../relay/index.js'
import { forwardingProxy, type ForwardingProxy } from '../helpers/forwarding-proxy.js'
import { Cleanup, WAIT_MS, bytes, expectErrorThenEnd, freshLookup, next, startRelay, type Fc } from '../helpers/relay-clients.js'

describe('relay: X-Forwarded-For from trusted proxies on the WebSocket listener', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  async function setUp (opts: RelayOptions, proxyFrom?: string): Promise<{ relay: Relay, proxy: ForwardingProxy }> {
    // One pending pairing per client address, so a second Create shows whose share it came from.
    const relay = await startRelay(cleanup, { listen: ['/ip4/127.0.0.1/tcp/0/ws'], maxPendingPerIp: 1, metrics: { port: 0 }, ...opts })
    const ws = relay.multiaddrs.find(ma => ma.toString().includes('/ws'))!
    const { host, port } = { host: '127.0.0.1', port: Number(ws.toString().split('/')[4]) }
    const proxy = await forwardingProxy({ host, port }, proxyFrom)
    cleanup.add(async () => { await proxy.close() })
    return { relay, proxy }
  }

  /** A fresh WebSocket client whose connection goes through `proxy` with `xff` as its header. */
  async function wsFc (relay: Relay, proxy: ForwardingProxy, xff: string | undefined): Promise<Fc> {
    const node = await createLibp2p({ transports: [webSockets()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
    cleanup.add(async () => { await node.stop() })
    proxy.forwardFor = xff
    const stream = await node.dialProtocol(multiaddr(proxy.addr(relay.peerId.toString())), FC_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
    cleanup.add(() => { stream.abort(new Error('test over')) })
    return fcChannel(stream)
  }

  async function createVia (relay: Relay, proxy: ForwardingProxy, xff: string | undefined): Promise<Fc> {
    const fc = await wsFc(relay, proxy, xff)
    await fc.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
    return fc
  }

  async function invalidCount (relay: Relay): Promise<number> {
    const text = await (await fetch(`${relay.metricsUrl!}/metrics`)).text()
    const line = text.split('\n').find(l => l.startsWith('gini_relay_forwarded_for_invalid_total '))
    return Number(line?.split(' ')[1])
  }

  it('trusted proxy × two clients with different X-Forwarded-For → separate per-IP shares; the same client twice → RATE_LIMITED', async () => {
    const { relay, proxy } = await setUp({ trustProxy: ['127.0.0.1'] })
    expect((await next(await createVia(relay, proxy, '203.0.113.7'))).created).to.not.equal(undefined)
    expect((await next(await createVia(relay, proxy, '203.0.113.8'))).created).to.not.equal(undefined)
    await expectErrorThenEnd(await createVia(relay, proxy, '203.0.113.7'), 'RATE_LIMITED')
    expect(relay.fc.pendingCount).to.equal(2)
  })

  it('trusted hops × right-most untrusted address is the client (a forged left-most entry does not help)', async () => {
    const { relay, proxy } = await setUp({ trustProxy: ['127.0.0.1', '10.0.0.0/8'] })
    expect((await next(await createVia(relay, proxy, '192.0.2.1, 198.51.100.1, 10.1.2.3'))).created).to.not.equal(undefined)
    await expectErrorThenEnd(await createVia(relay, proxy, '192.0.2.99, 198.51.100.1'), 'RATE_LIMITED')
    expect(await invalidCount(relay)).to.equal(0)
  })

  it('no trustProxy × different X-Forwarded-For → ignored: both count as the proxy', async () => {
    const { relay, proxy } = await setUp({})
    expect((await next(await createVia(relay, proxy, '203.0.113.7'))).created).to.not.equal(undefined)
    await expectErrorThenEnd(await createVia(relay, proxy, '203.0.113.8'), 'RATE_LIMITED')
  })

  it('proxy not in the trusted list × X-Forwarded-For → ignored', async () => {
    const { relay, proxy } = await setUp({ trustProxy: ['127.0.0.1'] }, '127.0.0.3')
    expect((await next(await createVia(relay, proxy, '203.0.113.7'))).created).to.not.equal(undefined)
    await expectErrorThenEnd(await createVia(relay, proxy, '203.0.113.8'), 'RATE_LIMITED')
  })

  it('trusted proxy × malformed X-Forwarded-For → ignored (counts as the proxy) and counted in the metric', async () => {
    const { relay, proxy } = await setUp({ trustProxy: ['127.0.0.1'] })
    expect((await next(await createVia(relay, proxy, 'not-an-address'))).created).to.not.equal(undefined)
    await expectErrorThenEnd(await createVia(relay, proxy, '203.0.113.7:8080'), 'RATE_LIMITED')
    expect(await invalidCount(relay)).to.equal(2)
  })

  it('trustProxy × an entry that is not an address or CIDR block → the relay does not start', async () => {
    let err: Error | undefined
    try { await startRelay(cleanup, { trustProxy: ['10.0.0.0/33'] }) } catch (e: any) { err = e }
    expect(err?.message).to.match(/not an IP address or CIDR block: "10\.0\.0\.0\/33"/)
  })
})
