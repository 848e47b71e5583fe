// The web client in real Chromium (Debian's, via playwright-core) in a network of three relays
// (docs/protocol.md §22): each relay on its own loopback address, on TCP and WebSocket. The page is
// configured with r0's WebSocket address and a `gini` CLI peer with r0's TCP one. Pairings land
// on the code's top relay of the list (§22.2), the browser remembers the list in IndexedDB at the
// relays' WebSocket addresses, and with r0 gone it still pairs through the others from that list.
// Screenshots go to test-results/browser/network-*.
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium, withTimeout, WebPeer, PAIRING_MS, WEB_BUILD_TIMEOUT_MS } from '../helpers/browser.js'
import { run, runToEnd, GINI, type Proc } from '../helpers/processes.js'
import { Cleanup } from '../helpers/relay-clients.js'
import { listed, networkRelay, untilLists } from '../helpers/relay-network.js'
import { buildWeb } from '../../scripts/build-web.js'
import { serveWeb, type WebServer } from '../../scripts/serve-web.js'
import type { Relay } from '../../relay/index.js'
import { FALLBACK_AFTER_MS } from '../../peer/core/daemon/relay-links.js'

/** Long: a killed relay stays listed for the test (departures are seen only after missed rounds). */
const REFRESH_MS = 60_000
/** Pairings tried, at most, before one lands away from r0 (each lands on r0 with 1/3 chance). */
const MAX_PAIRINGS = 6

const wsOf = (r: Relay): string => r.multiaddrs.map(String).find(a => a.includes('/ws/'))!
const tcpOf = (r: Relay): string => r.multiaddrs.map(String).find(a => !a.includes('/ws'))!
const idOf = (addr: string): string => addr.slice(addr.lastIndexOf('/p2p/') + 5)

describe('web client in Chromium: a network of relays (docs/protocol.md §22)', function () {
  this.timeout(300_000)
  const cleanup = new Cleanup()
  let relays: Relay[]
  let web: WebServer
  let browser: Browser
  let dir: string
  const procs: Proc[] = []
  let peer: WebPeer | undefined

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-browser-network-'))
    const outDir = join(dir, 'web')
    await withTimeout(buildWeb({ quiet: true, outDir }), WEB_BUILD_TIMEOUT_MS, 'vite build of client-web')
    const on = (host: string): string[] => [`/ip4/${host}/tcp/0`, `/ip4/${host}/tcp/0/ws`]
    const r0 = await networkRelay(cleanup, '127.0.0.31', [], { listRefreshMs: REFRESH_MS, listen: on('127.0.0.31') })
    const r1 = await networkRelay(cleanup, '127.0.0.32', [r0], { listRefreshMs: REFRESH_MS, listen: on('127.0.0.32') })
    const r2 = await networkRelay(cleanup, '127.0.0.33', [r0], { listRefreshMs: REFRESH_MS, listen: on('127.0.0.33') })
    relays = [r0, r1, r2]
    await untilLists(relays, () => relays.every(r => listed(r).length === 3), 'all three lists to hold three relays')
    web = await serveWeb({ config: { relay: wsOf(r0) }, dir: outDir })
    browser = await launchChromium()
  })
  after(async () => {
    for (const p of procs) p.kill()
    await peer?.close()
    await browser?.close()
    await web?.close()
    await cleanup.run()
    await rm(dir, { recursive: true, force: true })
  })
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && peer != null && peer.problems.length > 0) console.log(`${peer.name}:`, peer.problems.join('\n'))
  })

  /** A new CLI person with its own data dir, its relay `relay` (TCP). */
  async function cliPeer (name: string, relay: string): Promise<string> {
    const data = join(dir, name)
    const init = await runToEnd(GINI, ['--data', data, 'init', '--name', name, '--relay', relay])
    expect(init.code, init.stderr).to.equal(0)
    return data
  }

  /** The browser's remembered relays (IndexedDB `nodeState`/`relays`, §22.2). */
  async function knownRelays (p: WebPeer): Promise<string[]> {
    return await p.page.evaluate(async () => await new Promise<string[]>((resolve, reject) => {
      const req = indexedDB.open('giniconnect')
      req.onerror = () => { reject(req.error) }
      req.onsuccess = () => {
        const get = req.result.transaction('nodeState').objectStore('nodeState').get('relays')
        get.onsuccess = () => { resolve((get.result?.addrs as string[] | undefined) ?? []); req.result.close() }
        get.onerror = () => { reject(get.error) }
      }
    }))
  }

  /** The CLI shows the code, the browser enters it: resolves with the relay it met at. */
  async function cliInvites (p: WebPeer, data: string, name: string): Promise<string> {
    const invite = run(GINI, ['--data', data, 'invite', '--json'])
    procs.push(invite)
    const shown = await invite.waitFor(o => o.event === 'flash-code', PAIRING_MS)
    await p.page.goto(web.url + '#/')
    await p.openEnterCode()
    await p.submitCode(shown.code)
    const outcome = await p.pairingOutcome()
    expect(outcome, p.problems.join('\n')).to.include({ stage: 'done' })
    expect(outcome.text).to.equal(`Added ${name} to your contacts.`)
    expect(await invite.exited).to.equal(0)
    return shown.relay
  }

  /** The browser shows the code, the CLI accepts it: resolves with the relay it met at. */
  async function browserInvites (p: WebPeer, data: string): Promise<string> {
    await p.page.goto(web.url + '#/')
    const code = await p.showCode()
    const accept = run(GINI, ['--data', data, 'accept', code, '--json'])
    procs.push(accept)
    const matched = await accept.waitFor(o => o.event === 'matched', PAIRING_MS)
    await accept.waitFor(o => o.event === 'contact-added', PAIRING_MS)
    expect(await accept.exited).to.equal(0)
    expect(await p.pairingOutcome(), p.problems.join('\n')).to.include({ stage: 'done' })
    return matched.relay
  }

  it('pairings with a CLI land on the code\'s relay, not only r0; the browser remembers the relays\' WebSocket addresses; with r0 gone it still pairs', async () => {
    const [r0, r1, r2] = relays
    peer = await WebPeer.open(browser, 'Web', web.url)
    await peer.createProfile('Wendy Web')
    await peer.screenshot('network', 'profile')

    const met: string[] = []
    const names: string[] = []
    for (let i = 0; i < MAX_PAIRINGS; i++) {
      const name = `Cli${i + 1}`
      const data = await cliPeer(name, tcpOf(r0))
      met.push(i % 2 === 0 ? await cliInvites(peer, data, name) : await browserInvites(peer, data))
      names.push(name)
      await peer.screenshot('network', `paired-${name.toLowerCase()}`)
      if (i === 0) {
        // §22.2: a list of three was fetched, so it is remembered, each relay at its WebSocket address.
        const known = await knownRelays(peer)
        expect(known.map(idOf).sort()).to.deep.equal(relays.map(r => r.peerId.toString()).sort())
        expect(known.every(a => a.includes('/ws/p2p/')), known.join(' ')).to.equal(true)
      }
      if (i >= 1 && met.some(r => idOf(r) !== r0.peerId.toString())) break
    }
    const ids = new Set(relays.map(r => r.peerId.toString()))
    for (const r of met) expect(ids.has(idOf(r)), r).to.equal(true)
    expect(met.map(idOf).some(id => id !== r0.peerId.toString()), `all at r0: ${met.join(' ')}`).to.equal(true)
    await peer.page.click('[data-testid=pairing-done]')
    expect((await peer.contacts()).map(c => c.name).sort()).to.deep.equal([...names].sort())

    await peer.page.waitForSelector('[data-testid=relay-status][data-status="connected"]', { timeout: PAIRING_MS })

    // r0, the page's configured relay, goes away: the browser asks its remembered relays instead.
    await r0.stop()
    await peer.page.waitForSelector('[data-testid=relay-status][data-status="unreachable"]', { timeout: PAIRING_MS })
    await peer.screenshot('network', 'r0-gone')
    const lateData = await cliPeer('Late', tcpOf(r1))
    const at = await browserInvites(peer, lateData)
    expect([r1, r2].map(r => r.peerId.toString())).to.include(idOf(at))
    await peer.screenshot('network', 'paired-without-r0')
    const lateData2 = await cliPeer('Later', tcpOf(r2))
    const at2 = await cliInvites(peer, lateData2, 'Later')
    expect([r1, r2].map(r => r.peerId.toString())).to.include(idOf(at2))
    await peer.page.click('[data-testid=pairing-done]')
    expect((await peer.contacts()).map(c => c.name).sort()).to.deep.equal([...names, 'Late', 'Later'].sort())
    // §22.5: its presence node, its configured relay down for FALLBACK_AFTER_MS, reserves at a
    // remembered one (over WebSocket, the only kind it keeps) and the page says it is online again.
    await peer.page.waitForSelector('[data-testid=relay-status][data-status="connected"]', { timeout: FALLBACK_AFTER_MS + PAIRING_MS })
    await peer.screenshot('network', 'online-through-fallback')
  })
})
