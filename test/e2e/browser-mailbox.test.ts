// The relay mailbox (docs/protocol.md §16) from the web client in real Chromium: a browser and a
// `gini` CLI process pair; the CLI's daemon stops; the browser writes, its tab's daemon leaves the
// message sealed at the relay (over WebSockets) and the tab closes; the CLI's daemon starts later
// and reads it from the mailbox, never online together with the browser. The other way, a Node
// daemon leaves one for the closed tab, stops, and the tab fetches it when it opens again; so does
// a CLI daemon whose --mailbox-after / --mailbox-fetch-every make its round short. A tab whose
// round comes only once an hour runs one when it becomes visible again (client-web/src/presence.ts).
// /config.json sets the
// browser's mailbox timings short (client-web/src/config.ts). Screenshots in test-results/browser/.
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium, startWebStack, WebPeer, PAIRING_MS, type WebStack } from '../helpers/browser.js'
import { run, runToEnd, GINI, type Proc } from '../helpers/processes.js'
import { makePeer, type TestPeer } from '../helpers/peers.js'
import { waitForEvent } from '../helpers/daemons.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'

/** The browser's mailbox round: every second, and a contact offline at all gets the outbox. */
const MAILBOX = { fetchIntervalMs: 1_000, depositAfterMs: 0 }

describe('web client in Chromium: relay mailbox', function () {
  this.timeout(180_000)
  let stack: WebStack
  let browser: Browser
  let dir: string
  const procs: Proc[] = []
  const peers: WebPeer[] = []
  const nodes: TestPeer[] = []

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-browser-mailbox-'))
    stack = await startWebStack()
    stack.web.setConfig({ relay: stack.relayWs, mailbox: MAILBOX })
    browser = await launchChromium()
  })
  after(async () => {
    for (const p of procs) p.kill()
    for (const p of peers) await p.close()
    for (const n of nodes) await n.cleanup()
    await browser?.close()
    await stack?.stop()
    await rm(dir, { recursive: true, force: true })
  })
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      for (const p of peers) if (p.problems.length > 0) console.log(`${p.name}:`, p.problems.join('\n'))
      for (const p of procs) console.log('gini:', p.lines.join('\n'), p.stderr.join(''))
    }
  })

  /** Polls the in-process relay's mailbox until `pred` holds (bounded in time and count). */
  async function untilBlobs (pred: (n: number) => boolean): Promise<number> {
    for (let i = 0; i < PAIRING_MS / 50 && !pred(stack.relay.mailbox.blobCount); i++) await new Promise(resolve => setTimeout(resolve, 50))
    return stack.relay.mailbox.blobCount
  }

  /** `gini daemon --json` on `data`; stopped with SIGINT like Ctrl-C. */
  function daemon (data: string, extra: string[] = []): Proc & { stop: () => Promise<number | null> } {
    const p = run(GINI, ['--data', data, 'daemon', '--json', ...extra])
    procs.push(p)
    return { ...p, stop: async () => { p.child.kill('SIGINT'); return await p.exited } }
  }

  it('the browser writes while the CLI is offline and closes its tab; the CLI daemon starts later and reads it from the mailbox', async () => {
    const carol = join(dir, 'carol')
    expect((await runToEnd(GINI, ['--data', carol, 'init', '--name', 'Carol', '--relay', stack.relayTcp])).code).to.equal(0)
    const alice = await WebPeer.open(browser, 'Alice', stack.web.url)
    peers.push(alice)
    await alice.createProfile('Alice Example')
    const code = await alice.showCode()
    const accept = run(GINI, ['--data', carol, 'accept', code, '--json'])
    procs.push(accept)
    expect(await accept.exited).to.equal(0)
    expect((await alice.pairingOutcome()).stage, alice.problems.join('\n')).to.equal('done')
    await alice.page.click('[data-testid=pairing-done]')

    // Carol's daemon runs once (the two see each other), then stops.
    const first = daemon(carol)
    await alice.waitForContactState('Carol', 'online')
    expect(await first.stop()).to.equal(0)
    await alice.waitForContactState('Carol', 'offline')

    await alice.openChat('Carol')
    await alice.sendChat('Left at the relay for you')
    await alice.waitForMessage('[data-direction="out"][data-delivered="false"]')
    expect(await untilBlobs(n => n >= 1)).to.equal(1)
    await alice.screenshot('mailbox', 'deposited')
    await alice.closeTab()

    const second = daemon(carol)
    const got = await second.waitFor(o => o.event === 'message' && o.direction === 'in', PAIRING_MS)
    expect(got).to.include({ type: 'MESSAGE', content: 'Left at the relay for you' })
    // Carol's round deletes what it stored.
    expect(await untilBlobs(n => n === 0)).to.equal(0)
    const shown = JSON.parse((await runToEnd(GINI, ['--data', carol, 'messages', 'Alice Example', '--json'])).lines.join(''))
    expect(shown.map((m: any) => [m.direction, m.content])).to.deep.equal([['in', 'Left at the relay for you']])
    expect(await second.stop()).to.equal(0)
  })

  it('a Node daemon leaves a message for the closed tab and stops; the tab fetches it from the mailbox when it opens', async () => {
    const alice = await WebPeer.open(browser, 'Alice', stack.web.url)
    peers.push(alice)
    await alice.createProfile('Alice Example')
    const nora = await makePeer('Nora')
    nodes.push(nora)
    const code = await alice.showCode()
    await nora.node.accept(code, { relay: stack.relayTcp })
    expect((await alice.pairingOutcome()).stage, alice.problems.join('\n')).to.equal('done')
    await alice.page.click('[data-testid=pairing-done]')
    const aliceId = (await nora.node.contacts())[0].id
    const log: DaemonEvent[] = []
    const daemon = await nora.node.startDaemon({ relays: [stack.relayTcp], mailbox: MAILBOX, onEvent: (e) => { log.push(e) } })
    await alice.waitForContactState('Nora', 'online')

    await alice.closeTab()
    await waitForEvent(log, e => e.event === 'contact-state' && e.id === aliceId && e.state === 'offline', PAIRING_MS)
    const before = stack.relay.mailbox.blobCount
    const sent = await daemon.chat.send(aliceId, 'MESSAGE', 'Read this when you are back')
    expect(await untilBlobs(n => n > before)).to.equal(before + 1)
    await daemon.stop()

    await alice.openTab(stack.web.url + '#/')
    await alice.page.waitForSelector('[data-testid=contact-item][data-name="Nora"][data-unread="1"]', { timeout: PAIRING_MS })
    await alice.openChat('Nora')
    await alice.waitForMessage(`[data-id="${sent.id}"][data-direction="in"]`)
    expect((await alice.chatMessages()).map(m => m.text)).to.deep.equal(['Read this when you are back'])
    await alice.screenshot('mailbox', 'fetched')
    expect(await untilBlobs(n => n === before)).to.equal(before)
  })

  it('a CLI daemon with --mailbox-after 0s leaves a message for the closed tab and stops; the tab fetches it when it opens', async () => {
    const dave = join(dir, 'dave')
    expect((await runToEnd(GINI, ['--data', dave, 'init', '--name', 'Dave', '--relay', stack.relayTcp])).code).to.equal(0)
    const alice = await WebPeer.open(browser, 'Alice', stack.web.url)
    peers.push(alice)
    await alice.createProfile('Alice Example')
    const code = await alice.showCode()
    const accept = run(GINI, ['--data', dave, 'accept', code, '--json'])
    procs.push(accept)
    expect(await accept.exited).to.equal(0)
    expect((await alice.pairingOutcome()).stage, alice.problems.join('\n')).to.equal('done')
    await alice.page.click('[data-testid=pairing-done]')

    const d = daemon(dave, ['--mailbox-after', '0s', '--mailbox-fetch-every', '1s'])
    await alice.waitForContactState('Dave', 'online')
    await alice.closeTab()
    await d.waitFor(o => o.event === 'contact-state' && o.state === 'offline', PAIRING_MS)
    const before = stack.relay.mailbox.blobCount
    const sent = await runToEnd(GINI, ['--data', dave, 'send', 'Alice Example', 'From the command line, via the relay', '--json'])
    expect(sent.code).to.equal(0)
    // With the default 10 minutes nothing would be deposited within this wait.
    expect(await untilBlobs(n => n > before)).to.equal(before + 1)
    expect(await d.stop()).to.equal(0)

    await alice.openTab(stack.web.url + '#/')
    await alice.page.waitForSelector('[data-testid=contact-item][data-name="Dave"][data-unread="1"]', { timeout: PAIRING_MS })
    await alice.openChat('Dave')
    await alice.waitForMessage('[data-direction="in"]')
    expect((await alice.chatMessages()).map(m => m.text)).to.deep.equal(['From the command line, via the relay'])
    expect(await untilBlobs(n => n === before)).to.equal(before)
  })

  it('a tab with an hourly round runs one when it becomes visible again: the message for an offline contact is deposited then', async () => {
    stack.web.setConfig({ relay: stack.relayWs, mailbox: { fetchIntervalMs: 3_600_000, depositAfterMs: 0 } })
    try {
      const alice = await WebPeer.open(browser, 'Alice', stack.web.url)
      peers.push(alice)
      await alice.createProfile('Alice Example')
      const olga = await makePeer('Olga')
      nodes.push(olga)
      const code = await alice.showCode()
      await olga.node.accept(code, { relay: stack.relayTcp })
      expect((await alice.pairingOutcome()).stage, alice.problems.join('\n')).to.equal('done')
      await alice.page.click('[data-testid=pairing-done]')
      // Olga never runs a daemon: the message waits in the tab's outbox.
      await alice.openChat('Olga')
      const before = stack.relay.mailbox.blobCount
      await alice.sendChat('Deposited when the tab came back')
      await alice.waitForMessage('[data-direction="out"][data-delivered="false"]')
      // The tab's round at open came before Olga was a contact; the next is an hour away.
      expect(stack.relay.mailbox.blobCount).to.equal(before)
      await alice.page.evaluate(() => { document.dispatchEvent(new Event('visibilitychange')) })
      expect(await untilBlobs(n => n > before)).to.equal(before + 1)
    } finally {
      stack.web.setConfig({ relay: stack.relayWs, mailbox: MAILBOX })
    }
  })
})
