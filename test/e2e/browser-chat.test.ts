// Chat in the web client (docs/protocol.md §15) in real Chromium: two browser profiles pair and write
// both ways (delivery marks, the same order on both sides, an edit, a reaction, unread counts), a
// browser chats with a Node daemon in this process, and a message written while the other tab is
// closed goes out when it reopens. Every step leaves a screenshot in test-results/browser/.
import { expect } from 'chai'
import type { Browser } from 'playwright-core'
import { launchChromium, startWebStack, WebPeer, PAIRING_MS, type WebStack } from '../helpers/browser.js'
import { makePeer, type TestPeer } from '../helpers/peers.js'
import { waitForEvent } from '../helpers/daemons.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'

const DESKTOP_VIEWPORT = { width: 1280, height: 800 }

describe('web client in Chromium: chat', function () {
  this.timeout(180_000)
  let stack: WebStack
  let browser: Browser
  const peers: WebPeer[] = []
  const nodes: TestPeer[] = []

  const open = async (name: string): Promise<WebPeer> => {
    const peer = await WebPeer.open(browser, name, stack.web.url)
    peers.push(peer)
    return peer
  }

  async function pairedAliceAndBob (): Promise<[WebPeer, WebPeer]> {
    const alice = await open('Alice')
    const bob = await open('Bob')
    await alice.createProfile('Alice Example', 'alice@example.org')
    await bob.createProfile('Bob', 'bob@example.org')
    const code = await alice.showCode()
    await bob.openEnterCode()
    await bob.submitCode(code)
    const outcomes = await Promise.all([bob.pairingOutcome(), alice.pairingOutcome()])
    for (const [who, o] of [[bob, outcomes[0]], [alice, outcomes[1]]] as const) expect(o.stage, who.problems.join('\n')).to.equal('done')
    await bob.page.click('[data-testid=pairing-done]')
    await alice.page.click('[data-testid=pairing-done]')
    await alice.waitForContactState('Bob', 'online')
    await bob.waitForContactState('Alice Example', 'online')
    return [alice, bob]
  }

  before(async () => {
    stack = await startWebStack()
    browser = await launchChromium()
  })
  after(async () => {
    for (const p of peers) await p.close()
    for (const n of nodes) await n.cleanup()
    await browser?.close()
    await stack?.stop()
  })
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      for (const p of peers) if (p.problems.length > 0) console.log(`${p.name}:`, p.problems.join('\n'))
    }
    for (const p of peers.splice(0)) await p.close()
    for (const n of nodes.splice(0)) await n.cleanup()
  })

  it('two browsers: both ways, delivered marks, same order, an edit, a reaction, unread counts that clear', async () => {
    const [alice, bob] = await pairedAliceAndBob()

    // Alice writes first; Bob's list shows it unread before he opens the chat.
    await alice.openChat('Bob')
    await alice.screenshot('chat', 'empty-chat')
    await alice.sendChat('Hello Bob!')
    await alice.waitForMessage('[data-direction="out"][data-delivered="true"]')
    expect(await alice.page.inputValue('[data-testid=chat-input]')).to.equal('')
    await alice.sendChat('Are you there?')
    await alice.page.waitForSelector('[data-testid=message]:nth-child(2)[data-delivered="true"]', { timeout: PAIRING_MS })

    await bob.page.waitForSelector('[data-testid=contact-item][data-name="Alice Example"] [data-testid=unread-count]', { timeout: PAIRING_MS })
    await bob.page.waitForSelector('[data-testid=contact-item][data-name="Alice Example"][data-unread="2"]', { timeout: PAIRING_MS })
    expect(await bob.unreadCount('Alice Example')).to.equal(2)
    await bob.screenshot('chat', 'unread')

    await bob.openChat('Alice Example')
    await bob.waitForMessage('[data-direction="in"]')
    await bob.page.waitForSelector('[data-testid=messages][data-count="2"]')
    await bob.sendChat('Yes, here.')
    await bob.waitForMessage('[data-direction="out"][data-delivered="true"]')
    await alice.page.waitForSelector('[data-testid=messages][data-count="3"]', { timeout: PAIRING_MS })

    // Empty and too long: refused in plain words, nothing stored or sent.
    await bob.sendChat('   ')
    expect(await bob.page.textContent('[data-testid=chat-error]')).to.include('The message is empty. Nothing was sent.')
    await bob.page.fill('[data-testid=chat-input]', 'x'.repeat(4097))
    await bob.page.click('[data-testid=chat-send]')
    expect(await bob.page.textContent('[data-testid=chat-error]')).to.include('at most 4096 fit. Nothing was sent.')
    await bob.screenshot('chat', 'too-long')
    expect((await bob.chatMessages()).length).to.equal(3)
    await bob.page.fill('[data-testid=chat-input]', '')

    // Alice edits her first message and Bob reacts to it: both show on the other side.
    const first = (await alice.chatMessages())[0]
    await alice.page.click(`[data-testid=message][data-id="${first.id}"] [data-testid=message-menu]`)
    await alice.screenshot('chat', 'menu')
    await alice.page.click(`[data-testid=message][data-id="${first.id}"] [data-testid=edit]`)
    await alice.sendChat('Hello Bob! (edited)')
    await bob.page.waitForSelector(`[data-testid=message][data-id="${first.id}"][data-edited="true"]`, { timeout: PAIRING_MS })
    await bob.page.click(`[data-testid=message][data-id="${first.id}"] [data-testid=message-menu]`)
    await bob.page.click(`[data-testid=message][data-id="${first.id}"] [data-testid=react][data-code=":thumbsup:"]`)
    await alice.page.waitForSelector(`[data-testid=message][data-id="${first.id}"] [data-testid=reactions] [data-author="them"][data-code=":thumbsup:"]`, { timeout: PAIRING_MS })

    const seenByAlice = await alice.chatMessages()
    const seenByBob = await bob.chatMessages()
    expect(seenByAlice.map(m => m.id)).to.deep.equal(seenByBob.map(m => m.id))
    expect(seenByAlice.map(m => m.direction)).to.deep.equal(['out', 'out', 'in'])
    expect(seenByBob.map(m => m.direction)).to.deep.equal(['in', 'in', 'out'])
    expect(seenByBob.map(m => m.text)).to.deep.equal(['Hello Bob! (edited)', 'Are you there?', 'Yes, here.'])
    expect(seenByBob[0]).to.include({ edited: true })
    expect(seenByAlice[0].reactions).to.deep.equal(['them:thumbsup:'])
    expect(seenByBob[0].reactions).to.deep.equal(['me:thumbsup:'])
    expect(seenByAlice.every(m => m.delivered)).to.equal(true)
    await alice.screenshot('chat', 'conversation')
    await bob.screenshot('chat', 'conversation')

    // Alice deletes her second message; Bob sees the tombstone.
    const second = seenByAlice[1]
    await alice.page.click(`[data-testid=message][data-id="${second.id}"] [data-testid=message-menu]`)
    await alice.page.click(`[data-testid=message][data-id="${second.id}"] [data-testid=delete]`)
    await bob.page.waitForSelector(`[data-testid=message][data-id="${second.id}"][data-deleted="true"]`, { timeout: PAIRING_MS })
    expect((await bob.chatMessages())[1].text).to.equal('Message deleted')

    // Opening the chat cleared Bob's count; it stays cleared on the list.
    await bob.page.click('[data-testid=back]')
    expect(await bob.unreadCount('Alice Example')).to.equal(0)
    await bob.page.setViewportSize(DESKTOP_VIEWPORT)
    await bob.openChat('Alice Example')
    await bob.screenshot('chat', 'desktop')
  })

  it('a browser and a Node daemon chat both ways', async () => {
    const alice = await open('Alice')
    await alice.createProfile('Alice Example')
    const nora = await makePeer('Nora')
    nodes.push(nora)
    const code = await alice.showCode()
    await nora.node.accept(code, { relay: stack.relayTcp })
    expect((await alice.pairingOutcome()).stage, alice.problems.join('\n')).to.equal('done')
    await alice.page.click('[data-testid=pairing-done]')
    const log: DaemonEvent[] = []
    const daemon = await nora.node.startDaemon({ relays: [stack.relayTcp], onEvent: (e) => { log.push(e) } })
    const aliceId = (await nora.node.contacts())[0].id
    await alice.waitForContactState('Nora', 'online')

    await alice.openChat('Nora')
    await alice.sendChat('Hi Nora, from the browser')
    const got = await waitForEvent(log, e => e.event === 'message' && e.direction === 'in', PAIRING_MS)
    expect(got).to.include({ contact: aliceId, type: 'MESSAGE', content: 'Hi Nora, from the browser' })
    await alice.waitForMessage('[data-direction="out"][data-delivered="true"]')

    const sent = await daemon.chat.send(aliceId, 'MESSAGE', 'Hello from Node')
    await alice.waitForMessage(`[data-id="${sent.id}"][data-direction="in"]`)
    await waitForEvent(log, e => e.event === 'delivered' && e.id === sent.id, PAIRING_MS)
    // A long text with an unbroken link wraps inside the bubble at 375 px (see the screenshot).
    const long = `A longer one, to see it wrap: ${'and so on, '.repeat(12)}https://example.org/${'x'.repeat(60)}`
    const longSent = await daemon.chat.send(aliceId, 'MESSAGE', long)
    await alice.waitForMessage(`[data-id="${longSent.id}"]`)
    const shown = await alice.chatMessages()
    expect(shown.map(m => m.text)).to.deep.equal(['Hi Nora, from the browser', 'Hello from Node', long])
    const width = await alice.page.$eval('[data-testid=messages]', el => [el.scrollWidth, el.clientWidth])
    expect(width[0]).to.equal(width[1]) // nothing sticks out sideways
    expect((await daemon.chat.conversation(aliceId)).map(m => m.id)).to.deep.equal(shown.map(m => m.id))
    await alice.screenshot('chat-node', 'conversation')
  })

  it('a message written while the other tab is closed shows queued, and is delivered when it reopens', async () => {
    const [alice, bob] = await pairedAliceAndBob()
    await bob.closeTab()
    await alice.waitForContactState('Bob', 'offline')
    await alice.openChat('Bob')
    await alice.sendChat('Written while you were away')
    await alice.waitForMessage('[data-direction="out"][data-delivered="false"]')
    expect(await alice.page.textContent('[data-testid=message] [data-testid=delivery]')).to.equal('⏳')
    await alice.screenshot('chat-queued', 'queued')

    await bob.openTab(stack.web.url + '#/')
    await alice.waitForMessage('[data-direction="out"][data-delivered="true"]')
    expect(await alice.page.textContent('[data-testid=message] [data-testid=delivery]')).to.equal('✓')
    await bob.page.waitForSelector('[data-testid=contact-item][data-name="Alice Example"][data-unread="1"]', { timeout: PAIRING_MS })
    // This time through the contact card's Message button.
    await bob.page.click('[data-testid=contact-item][data-name="Alice Example"]')
    await bob.page.click('[data-testid=contact-card] [data-testid=open-chat]')
    await bob.page.waitForSelector('[data-testid=chat] [data-testid=message]')
    expect((await bob.chatMessages()).map(m => m.text)).to.deep.equal(['Written while you were away'])
    await bob.screenshot('chat-queued', 'delivered')
    expect(await bob.unreadCount('Alice Example')).to.equal(0)
    await bob.screenshot('chat-queued', 'read')
  })
})
