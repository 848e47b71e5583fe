// The safety number on the web client's contact card (docs/protocol.md §18), in real Chromium: a
// browser (IndexedDB) and a `gini` CLI process (files) paired through a real relay show the same
// number, and each side's verify keeps its mark.
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium, startWebStack, WebPeer, PAIRING_MS, type WebStack } from '../helpers/browser.js'
import { run, runToEnd, GINI, type Proc } from '../helpers/processes.js'

describe('web client in Chromium: safety number on the contact card', function () {
  this.timeout(180_000)
  let stack: WebStack
  let browser: Browser
  let dir: string
  let bob: WebPeer | undefined
  const procs: Proc[] = []

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-browser-safety-'))
    stack = await startWebStack()
    browser = await launchChromium()
  })
  after(async () => {
    for (const p of procs) p.kill()
    await bob?.close()
    await browser?.close()
    await stack?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('browser and `gini` show the same number; the browser marks it verified and keeps it across a reload; `gini verify` accepts the browser\'s number', async () => {
    const carol = join(dir, 'carol')
    expect((await runToEnd(GINI, ['--data', carol, 'init', '--name', 'Carol', '--relay', stack.relayTcp])).code).to.equal(0)
    bob = await WebPeer.open(browser, 'Bob', stack.web.url)
    await bob.createProfile('Bob', 'bob@example.org')
    const code = await bob.showCode()
    const accept = run(GINI, ['--data', carol, 'accept', code, '--json'])
    procs.push(accept)
    await accept.waitFor(o => o.event === 'contact-added', PAIRING_MS)
    expect(await accept.exited).to.equal(0)
    expect(await bob.pairingOutcome(), bob.problems.join('\n')).to.include({ stage: 'done' })
    await bob.page.click('[data-testid=pairing-done]')

    const cli = await runToEnd(GINI, ['--data', carol, 'safety-number', 'bob', '--json'])
    expect(cli.code, cli.stderr).to.equal(0)
    const onCarol = JSON.parse(cli.lines.join('')).number as string

    await bob.contacts()
    await bob.page.click('[data-testid=contact-item][data-name="Carol"]')
    await bob.page.waitForSelector('[data-testid=safety-number]')
    const onBob = await bob.page.getAttribute('[data-testid=safety-number]', 'data-number')
    expect(onBob).to.match(/^\d{60}$/)
    expect(onBob).to.equal(onCarol)
    // Shown as 12 groups of 5, in 3 rows.
    const rows = await bob.page.$$eval('[data-testid=safety-number] .safety-row', els => els.map(e => e.textContent))
    expect(rows.join(' ')).to.equal(onCarol.match(/\d{5}/g)!.join(' '))
    expect(rows).to.have.length(3)
    await bob.screenshot('safety', 'contact-card')

    expect(await bob.page.$('[data-testid=safety-verified]')).to.equal(null)
    await bob.page.click('[data-testid=mark-verified]')
    await bob.page.waitForSelector('[data-testid=safety-verified]')
    await bob.reload()
    await bob.page.waitForSelector('[data-testid=safety-verified]')
    expect(bob.problems, bob.problems.join('\n')).to.deep.equal([])

    const verify = await runToEnd(GINI, ['--data', carol, 'verify', 'bob', '--number', onBob!, '--json'])
    expect(verify.code, verify.stderr + verify.lines.join('\n')).to.equal(0)
    expect(JSON.parse((await runToEnd(GINI, ['--data', carol, 'contacts', '--json'])).lines.join(''))[0].verified).to.equal(true)
  })
})
