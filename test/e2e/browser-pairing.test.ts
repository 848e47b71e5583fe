// The web client in real Chromium (Debian's, via playwright-core): two browser contexts pair
// through a real relay over direct WebRTC, a browser pairs with a `gini` CLI process both ways, and
// a reload keeps the contacts. Every step leaves a screenshot in test-results/browser/.
import { expect } from 'chai'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import {
  launchChromium, startWebStack, withTimeout, WebPeer, PAIRING_MS, PHONE_VIEWPORT, SCREENSHOT_DIR, START, STEP_MS, WEB_BUILD_TIMEOUT_MS,
  type WebStack
} from '../helpers/browser.js'
import { run, runToEnd, GINI, type Proc } from '../helpers/processes.js'
import { buildWeb } from '../../scripts/build-web.js'

describe('web client in Chromium: pairing', function () {
  this.timeout(180_000)
  let stack: WebStack
  let browser: Browser
  let dir: string
  const procs: Proc[] = []
  const peers: WebPeer[] = []

  const open = async (name: string): Promise<WebPeer> => {
    const peer = await WebPeer.open(browser, name, stack.web.url)
    peers.push(peer)
    return peer
  }

  /** Each test that needs them pairs its own Alice and Bob, so it runs alone too (mocha --grep). */
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
    return [alice, bob]
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-browser-e2e-'))
    stack = await startWebStack()
    browser = await launchChromium()
  })
  after(async () => {
    for (const p of procs) p.kill()
    for (const p of peers) await p.close()
    await browser?.close()
    await stack?.stop()
    await rm(dir, { recursive: true, force: true })
  })
  afterEach(async function () {
    // A failing browser test names what the page itself complained about.
    if (this.currentTest?.state === 'failed') {
      for (const p of peers) if (p.problems.length > 0) console.log(`${p.name}:`, p.problems.join('\n'))
    }
    for (const p of peers.splice(0)) await p.close()
  })

  it('two tabs, one shows a code, the other types it in lower case → both list each other, connected by direct WebRTC', async () => {
    const alice = await open('Alice')
    const bob = await open('Bob')
    await alice.screenshot('pair', 'first-run')
    await alice.createProfile('Alice Example', 'alice@example.org')
    await bob.createProfile('Bob', 'bob@example.org')
    await alice.screenshot('pair', 'no-contacts')

    const code = await alice.showCode()
    expect(code).to.match(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(await alice.page.textContent('[data-testid=countdown]')).to.match(/Valid for [23]:\d\d/)
    await alice.screenshot('pair', 'code-shown')

    await bob.openEnterCode()
    const typed = code.toLowerCase().replace('-', ' ')
    await bob.page.fill('[data-testid=code-input]', typed)
    expect(await bob.page.textContent('[data-testid=code-hint]')).to.equal(`Reads as ${code}`)
    await bob.screenshot('pair', 'code-typed')
    await bob.page.click('[data-testid=submit-code]')

    const [bobSees, aliceSees] = await Promise.all([bob.pairingOutcome(), alice.pairingOutcome()])
    await bob.screenshot('pair', 'paired')
    await alice.screenshot('pair', 'paired')
    expect(bobSees, bob.problems.join('\n')).to.include({ stage: 'done', path: 'direct', direct: 'true' })
    expect(aliceSees, alice.problems.join('\n')).to.include({ stage: 'done', path: 'direct', direct: 'true' })
    expect(bobSees.text).to.equal('Added Alice Example to your contacts.')

    // Both tabs stay online (the core's daemon): each shows the other with a green dot.
    await bob.page.click('[data-testid=pairing-done]')
    await alice.page.click('[data-testid=pairing-done]')
    await bob.waitForContactState('Alice Example', 'online')
    await alice.waitForContactState('Bob', 'online')
    expect((await bob.contacts()).map(c => c.name)).to.deep.equal(['Alice Example'])
    expect(await bob.page.getAttribute('[data-testid=relay-status]', 'data-status')).to.equal('connected')
    await bob.screenshot('pair', 'contact-list')

    // The contact card shows the vCard Alice entered.
    await bob.page.click('[data-testid=contact-item]')
    await bob.page.waitForSelector('[data-testid=contact-card]')
    expect(await bob.page.textContent('[data-testid=contact-name]')).to.equal('Alice Example')
    expect(await bob.page.textContent('[data-testid=contact-card]')).to.include('alice@example.org')
    await bob.screenshot('pair', 'contact-card')
  })

  it('reload → the contact, the card and the identity are still there (IndexedDB), and it comes back online', async () => {
    const [alice] = await pairedAliceAndBob()
    const before = await alice.page.evaluate(async () => await new Promise<string>((resolve, reject) => {
      const req = indexedDB.open('giniconnect')
      req.onerror = () => { reject(req.error) }
      req.onsuccess = () => {
        const get = req.result.transaction('identity').objectStore('identity').get('self')
        get.onsuccess = () => { resolve(String(get.result.createdAtMs)); req.result.close() }
      }
    }))
    await alice.reload()
    expect((await alice.contacts()).map(c => c.name)).to.deep.equal(['Bob'])
    expect(await alice.page.textContent('[data-testid=my-card]')).to.include('Alice Example')
    await alice.waitForContactState('Bob', 'online')
    await alice.screenshot('reload', 'after-reload')
    const after = await alice.page.evaluate(async () => await new Promise<string>((resolve, reject) => {
      const req = indexedDB.open('giniconnect')
      req.onerror = () => { reject(req.error) }
      req.onsuccess = () => {
        const get = req.result.transaction('identity').objectStore('identity').get('self')
        get.onsuccess = () => { resolve(String(get.result.createdAtMs)); req.result.close() }
      }
    }))
    expect(after).to.equal(before)
  })

  it('browser shows the code, a `gini` CLI process accepts it → both have the contact, direct WebRTC', async () => {
    const carol = join(dir, 'carol')
    expect((await runToEnd(GINI, ['--data', carol, 'init', '--name', 'Carol', '--relay', stack.relayTcp])).code).to.equal(0)
    const [, bob] = await pairedAliceAndBob()

    await bob.page.goto(stack.web.url + '#/')
    const code = await bob.showCode()
    const accept = run(GINI, ['--data', carol, 'accept', code, '--json'])
    procs.push(accept)
    const connected = await accept.waitFor(o => o.event === 'connected', PAIRING_MS)
    expect(connected).to.include({ direct: true, path: 'direct' })
    await accept.waitFor(o => o.event === 'contact-added', PAIRING_MS)
    expect(await accept.exited).to.equal(0)
    expect(await bob.pairingOutcome()).to.include({ stage: 'done', path: 'direct', direct: 'true' })
    await bob.screenshot('cli', 'paired-with-cli')

    const contacts = JSON.parse((await runToEnd(GINI, ['--data', carol, 'contacts', '--json'])).lines.join(''))
    expect(contacts.map((c: any) => c.name)).to.deep.equal(['Bob'])
    await bob.page.click('[data-testid=pairing-done]')
    expect((await bob.contacts()).map(c => c.name)).to.deep.equal(['Alice Example', 'Carol'])
  })

  it('a `gini` CLI process shows the code, the browser enters it → both have the contact', async () => {
    const dave = join(dir, 'dave')
    const [alice] = await pairedAliceAndBob()
    expect((await runToEnd(GINI, ['--data', dave, 'init', '--name', 'Dave', '--relay', stack.relayTcp])).code).to.equal(0)
    const invite = run(GINI, ['--data', dave, 'invite', '--json'])
    procs.push(invite)
    const shown = await invite.waitFor(o => o.event === 'flash-code')

    await alice.page.goto(stack.web.url + '#/')
    await alice.openEnterCode()
    await alice.submitCode(shown.code)
    const outcome = await alice.pairingOutcome()
    expect(outcome, alice.problems.join('\n')).to.include({ stage: 'done', path: 'direct', direct: 'true' })
    expect(outcome.text).to.equal('Added Dave to your contacts.')
    expect(await invite.exited).to.equal(0)
    const added = invite.lines.map(l => JSON.parse(l)).find((e: any) => e.event === 'contact-added')
    expect(added).to.include({ name: 'Alice Example' })
    await alice.screenshot('cli', 'paired-with-cli-invite')
    await alice.page.click('[data-testid=pairing-done]')
    expect((await alice.contacts()).map(c => c.name)).to.deep.equal(['Bob', 'Dave'])
  })
})

describe('`npm start` demo in Chromium: one browser, two tabs', function () {
  this.timeout(120_000)
  let dir: string
  let webDir: string
  let start: Proc
  let browser: Browser

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-start-'))
    webDir = join(dir, 'web')
    await withTimeout(buildWeb({ quiet: true, outDir: webDir }), WEB_BUILD_TIMEOUT_MS, 'vite build of client-web')
    browser = await launchChromium()
  })
  after(async () => {
    start?.kill()
    await browser?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('prints the URL; tabs ?profile=alice and ?profile=bob of one browser pair and list each other', async () => {
    start = run(START, ['--port', '0', '--tcp-port', '0', '--ws-port', '0', '--data', join(dir, 'relay'), '--web-dir', webDir])
    const url = await withTimeout((async () => {
      for (;;) {
        const line = start.lines.find(l => l.includes('Web client:'))
        if (line != null) return line.replace(/^.*Web client:\s*/, '').trim()
        if (start.child.exitCode != null) throw new Error(`npm start exited: ${start.stderr.join('')}`)
        await new Promise(resolve => setTimeout(resolve, 50))
      }
    })(), STEP_MS * 2, '`npm start` printing the web client URL')
    expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)

    // One context = one browser profile: the two tabs share the origin's IndexedDB, ?profile separates the people.
    const context = await browser.newContext({ viewport: PHONE_VIEWPORT })
    const tabs = await Promise.all(['alice', 'bob'].map(async (name) => {
      const page = await context.newPage()
      page.setDefaultTimeout(STEP_MS)
      await page.goto(`${url}/?profile=${name}`)
      await page.waitForSelector('body[data-ready="true"]')
      await page.fill('[data-testid=profile-name]', name === 'alice' ? 'Alice' : 'Bob')
      await page.click('[data-testid=profile-save]')
      await page.click('[data-testid=new-secure-contact]')
      return page
    }))
    const [alice, bob] = tabs
    await alice.click('[data-testid=show-code]')
    const code = await alice.getAttribute('[data-testid=flash-code][data-code]', 'data-code')
    await bob.click('[data-testid=enter-code]')
    await bob.fill('[data-testid=code-input]', code!)
    await bob.click('[data-testid=submit-code]')
    for (const tab of tabs) {
      await tab.waitForSelector('[data-testid=pairing-status][data-stage="done"]', { timeout: PAIRING_MS })
      await tab.click('[data-testid=pairing-done]')
    }
    // The home view lists contacts once it has read them from IndexedDB.
    for (const tab of tabs) await tab.waitForSelector('[data-testid=contact-item]')
    expect(await alice.$$eval('[data-testid=contact-item]', els => els.map(e => (e as HTMLElement).dataset.name))).to.deep.equal(['Bob'])
    expect(await bob.$$eval('[data-testid=contact-item]', els => els.map(e => (e as HTMLElement).dataset.name))).to.deep.equal(['Alice'])
    await mkdir(SCREENSHOT_DIR, { recursive: true })
    await bob.screenshot({ path: join(SCREENSHOT_DIR, 'start-bob-01-two-tabs-paired.png') })
    // A third tab of Alice's profile is the same person: it says so instead of going online twice.
    const again = await context.newPage()
    await again.goto(`${url}/?profile=alice`)
    await again.waitForSelector('[data-testid=same-profile]')
    await context.close()
  })
})
