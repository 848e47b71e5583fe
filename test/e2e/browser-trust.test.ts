// Trust and identity in the web client, in real Chromium against a real relay and `gini` CLI
// processes: scanning the other side's safety-number QR (docs/protocol.md §18), backup files that
// move between the browser and `gini backup` / `gini restore` (§20.1), and the local contact edits
// of §19 (nickname, block, delete), each kept across a reload.
import { expect } from 'chai'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import jsQRModule from 'jsqr'
import QRCode from 'qrcode'
import { chromium, type Browser } from 'playwright-core'
import { launchChromium, qrVideo, startWebStack, WebPeer, PAIRING_MS, CHROMIUM_ARGS, CHROMIUM_PATH, STEP_MS, type WebStack } from '../helpers/browser.js'
import { run, runToEnd, GINI, type Proc } from '../helpers/processes.js'

const PASSPHRASE = 'browser trust e2e passphrase'
/** Argon2id at the §20.1 defaults (256 MiB) takes seconds, more on a loaded machine. */
const BACKUP_MS = 90_000

describe('web client in Chromium: safety QR scan, backup files, contact edits', function () {
  this.timeout(300_000)
  let stack: WebStack
  let browser: Browser
  let dir: string
  const peers: WebPeer[] = []
  const procs: Proc[] = []
  const savedPassphrase = process.env.GINI_PASSPHRASE

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-browser-trust-'))
    // `gini backup` / `gini restore` read it from their inherited environment.
    process.env.GINI_PASSPHRASE = PASSPHRASE
    stack = await startWebStack()
    browser = await launchChromium()
  })
  after(async () => {
    for (const p of procs) p.kill()
    for (const peer of peers) await peer.close()
    await browser?.close()
    await stack?.stop()
    if (savedPassphrase == null) delete process.env.GINI_PASSPHRASE
    else process.env.GINI_PASSPHRASE = savedPassphrase
    await rm(dir, { recursive: true, force: true })
  })

  const gini = async (who: string, ...args: string[]): Promise<{ code: number | null, lines: string[], stderr: string }> =>
    await runToEnd(GINI, ['--data', join(dir, who), ...args], BACKUP_MS)

  async function giniJson (who: string, ...args: string[]): Promise<any> {
    const res = await gini(who, ...args, '--json')
    expect(res.code, `gini ${args.join(' ')}: ${res.stderr}`).to.equal(0)
    return JSON.parse(res.lines.join(''))
  }

  async function openPeer (name: string, inBrowser = browser): Promise<WebPeer> {
    const peer = await WebPeer.open(inBrowser, name, stack.web.url)
    peers.push(peer)
    return peer
  }

  /** A new browser profile `webName` paired with a new CLI data dir `cliName` (the CLI accepts the browser's code). */
  async function pair (webName: string, cliName: string, inBrowser = browser): Promise<{ peer: WebPeer, cliId: string }> {
    const cliId = (await giniJson(cliName, 'init', '--name', cliName, '--relay', stack.relayTcp)).peerId as string
    const peer = await openPeer(webName, inBrowser)
    await peer.createProfile(webName)
    const code = await peer.showCode()
    const accept = run(GINI, ['--data', join(dir, cliName), 'accept', code, '--json'])
    procs.push(accept)
    await accept.waitFor(o => o.event === 'contact-added', PAIRING_MS)
    expect(await accept.exited).to.equal(0)
    expect(await peer.pairingOutcome(), peer.problems.join('\n')).to.include({ stage: 'done' })
    await peer.page.click('[data-testid=pairing-done]')
    return { peer, cliId }
  }

  async function openContactCard (peer: WebPeer, name: string): Promise<void> {
    await peer.contacts()
    await peer.page.click(`[data-testid=contact-item][data-name="${name}"]`)
    await peer.page.waitForSelector('[data-testid=contact-card]')
  }

  async function qrPng (name: string, text: string): Promise<string> {
    const path = join(dir, `${name}.png`)
    await QRCode.toFile(path, text, { type: 'png', margin: 4, width: 300 })
    return path
  }

  /** Chooses `path` as the picture of the other side's code and waits for the scan's outcome. */
  async function scanPicture (peer: WebPeer, path: string): Promise<{ outcome: string, text: string }> {
    await peer.page.evaluate(() => { delete (document.querySelector('[data-testid=safety-scan-result]') as HTMLElement).dataset.outcome })
    await peer.page.setInputFiles('[data-testid=safety-qr-file]', path)
    const result = await peer.page.waitForSelector('[data-testid=safety-scan-result][data-outcome]')
    return { outcome: (await result.getAttribute('data-outcome'))!, text: (await result.textContent())! }
  }

  async function openSettings (peer: WebPeer): Promise<void> {
    await peer.page.click('[data-testid=open-settings]')
    await peer.page.waitForSelector('[data-testid=backup]')
  }

  /** Settings → passphrase twice → the downloaded file, saved at `path`. */
  async function exportFromBrowser (peer: WebPeer, path: string, again = PASSPHRASE): Promise<void> {
    await peer.page.fill('[data-testid=backup-pass]', PASSPHRASE)
    await peer.page.fill('[data-testid=backup-pass-again]', again)
    const download = peer.page.waitForEvent('download', { timeout: BACKUP_MS })
    await peer.page.click('[data-testid=backup-export]')
    await peer.page.waitForSelector('[data-testid=backup-exported]', { timeout: BACKUP_MS })
    await (await download).saveAs(path)
  }

  /** Settings → a backup file and a passphrase → the import's error code, or undefined when it restored (the page reopens). */
  async function importIntoBrowser (peer: WebPeer, path: string, passphrase: string): Promise<string | undefined> {
    await peer.page.setInputFiles('[data-testid=backup-file]', path)
    await peer.page.fill('[data-testid=restore-pass]', passphrase)
    await peer.page.click('[data-testid=backup-import]')
    // A restore reopens the page on the contact list; a refusal stays on settings with an error.
    const outcome = await peer.page.waitForSelector('[data-testid=backup-import-status] [data-testid=error], body[data-ready="true"] [data-testid=contact-list]', { timeout: BACKUP_MS })
    if (await outcome.getAttribute('data-testid') === 'error') return (await outcome.getAttribute('data-code'))!
    return undefined
  }

  it('scanning the other side\'s QR marks the contact verified; a mismatching number or a QR that is no safety number does not, and the browser\'s own QR verifies on the CLI', async () => {
    const { peer: bob } = await pair('Bob', 'Carol')
    const onCarol = await giniJson('Carol', 'safety-number', 'Bob')
    expect(onCarol.payload).to.equal(`gini-safety:1:${onCarol.number as string}`)
    await openContactCard(bob, 'Carol')
    await bob.page.waitForSelector('[data-testid=safety-qr-file]')

    const notSafety = await scanPicture(bob, await qrPng('not-safety', 'https://example.org/'))
    expect(notSafety.outcome).to.equal('not-safety')
    expect(notSafety.text).to.include('This is not a GiniConnect safety number')
    expect(await bob.page.$('[data-testid=safety-verified]')).to.equal(null)

    // One digit off: the same shape, another number.
    const last = onCarol.number.slice(-1) === '0' ? '1' : '0'
    const wrong = await scanPicture(bob, await qrPng('mismatch', `gini-safety:1:${onCarol.number.slice(0, -1) as string}${last}`))
    expect(wrong.outcome).to.equal('mismatch')
    expect(wrong.text).to.include('do not match')
    expect(await bob.page.$('[data-testid=safety-verified]')).to.equal(null)
    expect(await bob.page.$('[data-testid=mark-verified]')).to.not.equal(null)
    await bob.reload()
    await bob.page.waitForSelector('[data-testid=mark-verified]')
    expect(await bob.page.$('[data-testid=safety-verified]'), 'a mismatch stored nothing').to.equal(null)

    const right = await scanPicture(bob, await qrPng('match', onCarol.payload))
    expect(right.outcome).to.equal('match')
    await bob.page.waitForSelector('[data-testid=safety-verified]')
    await bob.screenshot('trust', 'qr-verified')
    await bob.reload()
    await bob.page.waitForSelector('[data-testid=safety-verified]')

    // The other way round: the QR the browser draws, read from its pixels, is what `gini verify --payload` takes.
    const pixels = await bob.page.$eval('[data-testid=safety-qr]', (c) => {
      const canvas = c as HTMLCanvasElement
      return { width: canvas.width, height: canvas.height, data: Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data) }
    })
    // jsqr is CommonJS: under NodeNext its function is the module's `default`.
    const decoded = jsQRModule.default(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height)
    expect(decoded?.data).to.equal(onCarol.payload)
    const verify = await gini('Carol', 'verify', 'Bob', '--payload', decoded!.data, '--json')
    expect(verify.code, verify.stderr + verify.lines.join('\n')).to.equal(0)
    expect((await giniJson('Carol', 'contacts'))[0].verified).to.equal(true)
    expect(bob.problems, bob.problems.join('\n')).to.deep.equal([])
  })

  it('the camera scan reads the other side\'s code from the (fake) camera and marks the contact verified', async () => {
    // Chromium's fake camera plays this file; it is read when the capture starts, so the code can be written once paired.
    const video = join(dir, 'camera.y4m')
    await writeFile(video, qrVideo('not yet paired'))
    const cameraBrowser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
      timeout: STEP_MS * 2
    })
    try {
      const { peer: ivy } = await pair('Ivy', 'Jon', cameraBrowser)
      const onJon = await giniJson('Jon', 'safety-number', 'Ivy')
      await writeFile(video, qrVideo(onJon.payload))
      await openContactCard(ivy, 'Jon')
      expect(await ivy.page.$('[data-testid=safety-verified]')).to.equal(null)
      await ivy.page.click('[data-testid=safety-scan-camera]')
      const result = await ivy.page.waitForSelector('[data-testid=safety-scan-result][data-outcome]', { timeout: PAIRING_MS })
      expect(await result.getAttribute('data-outcome'), await result.textContent() ?? '').to.equal('match')
      await ivy.page.waitForSelector('[data-testid=safety-verified]')
      // The camera is released once the code is read.
      expect(await ivy.page.$eval('[data-testid=safety-scan-video]', v => (v as HTMLVideoElement).srcObject)).to.equal(null)
      await ivy.reload()
      await ivy.page.waitForSelector('[data-testid=safety-verified]')
      expect(ivy.problems, ivy.problems.join('\n')).to.deep.equal([])
    } finally {
      await cameraBrowser.close()
    }
  })

  it('a backup downloaded in the browser restores with `gini restore` (same peer id, same contact); a `gini backup` restores in a fresh browser profile, refusing a wrong passphrase and a flipped byte', async () => {
    const { peer: erin, cliId: daveId } = await pair('Erin', 'Dave')
    const erinId = (await giniJson('Dave', 'contacts'))[0].id as string
    await openSettings(erin)
    expect(await erin.page.textContent('[data-testid=my-peer-id]')).to.equal(erinId)
    // The browser answered the persist() request one way or the other, and settings says which.
    await erin.page.waitForSelector('[data-testid=storage-persisted][data-state]')
    expect(await erin.page.getAttribute('[data-testid=storage-persisted]', 'data-state')).to.be.oneOf(['persistent', 'refused'])

    // Two different passphrases: refused, nothing downloaded.
    await erin.page.fill('[data-testid=backup-pass]', PASSPHRASE)
    await erin.page.fill('[data-testid=backup-pass-again]', `${PASSPHRASE}!`)
    await erin.page.click('[data-testid=backup-export]')
    expect(await erin.page.getAttribute('[data-testid=backup-export-status] [data-testid=error]', 'data-code')).to.equal('BAD_PASSPHRASE')

    const fromBrowser = join(dir, 'erin.gini-backup')
    await exportFromBrowser(erin, fromBrowser)
    expect((await readFile(fromBrowser)).subarray(0, 8).toString('latin1')).to.equal('GINIBAK\0')
    const restored = await giniJson('erin-restored', 'restore', fromBrowser)
    expect(restored).to.include({ peerId: erinId, contacts: 1 })
    const restoredContacts = await giniJson('erin-restored', 'contacts')
    expect(restoredContacts.map((c: any) => [c.name, c.id])).to.deep.equal([['Dave', daveId]])

    // The other way: Dave's CLI backup into a browser profile that has never been used.
    const fromCli = join(dir, 'dave.gini-backup')
    expect((await gini('Dave', 'backup', '--out', fromCli)).code).to.equal(0)
    const flipped = join(dir, 'dave-flipped.gini-backup')
    const bytes = await readFile(fromCli)
    bytes[bytes.length - 20] ^= 0x01
    await writeFile(flipped, bytes)

    const fresh = await openPeer('Dave')
    await fresh.page.waitForSelector('[data-testid=profile-name]')
    await fresh.page.click('[data-testid=restore-backup-link]')
    await fresh.page.waitForSelector('[data-testid=backup]')
    const freshId = await fresh.page.textContent('[data-testid=my-peer-id]')
    expect(await importIntoBrowser(fresh, fromCli, 'not the passphrase')).to.equal('BACKUP_WRONG_PASSPHRASE')
    expect(await importIntoBrowser(fresh, flipped, PASSPHRASE)).to.equal('BACKUP_WRONG_PASSPHRASE')
    await fresh.reload()
    await fresh.page.waitForSelector('[data-testid=backup]')
    expect(await fresh.page.textContent('[data-testid=my-peer-id]'), 'refused imports wrote nothing').to.equal(freshId)
    await fresh.page.click('[data-testid=back]')
    await fresh.page.waitForSelector('[data-testid=profile-name]')
    expect(await fresh.page.getAttribute('#app', 'data-view'), 'still no card: first run').to.equal('profile')
    await fresh.page.click('[data-testid=restore-backup-link]')
    await fresh.page.waitForSelector('[data-testid=backup]')

    // A second tab of the profile holds the replaced identity in memory: the restore reopens it too.
    const otherTab = await fresh.context.newPage()
    await otherTab.goto(stack.web.url)
    await otherTab.waitForSelector('body[data-ready="true"] [data-testid=profile-name]')
    expect(await importIntoBrowser(fresh, fromCli, PASSPHRASE)).to.equal(undefined)
    expect((await fresh.contacts()).map(c => c.name)).to.deep.equal(['Erin'])
    await otherTab.waitForSelector('[data-testid=contact-item][data-name="Erin"]')
    await otherTab.close()
    expect(await fresh.page.textContent('[data-testid=my-card] .name')).to.equal('Dave')
    await openSettings(fresh)
    expect(await fresh.page.textContent('[data-testid=my-peer-id]')).to.equal(daveId)
    // A profile with contacts is never replaced.
    expect(await importIntoBrowser(fresh, fromBrowser, PASSPHRASE)).to.equal('PROFILE_IN_USE')
    expect(fresh.problems, fresh.problems.join('\n')).to.deep.equal([])
  })

  it('a nickname, blocking and deleting show in the list, on the card and in the chat, and stay after a reload', async () => {
    const { peer: gus } = await pair('Gus', 'Hana')
    await openContactCard(gus, 'Hana')
    await gus.page.fill('[data-testid=contact-nickname]', 'Aunt H')
    await gus.page.click('[data-testid=contact-rename]')
    await gus.page.waitForFunction(() => document.querySelector('[data-testid=contact-name]')?.textContent === 'Aunt H')
    await gus.page.click('[data-testid=contact-block]')
    await gus.page.waitForSelector('[data-testid=contact-blocked]')
    await gus.page.waitForSelector('[data-testid=contact-unblock]')
    await gus.reload()
    await gus.page.waitForSelector('[data-testid=contact-blocked]')
    expect(await gus.page.textContent('[data-testid=contact-name]')).to.equal('Aunt H')

    await gus.contacts()
    const item = '[data-testid=contact-item][data-name="Hana"]'
    await gus.page.waitForSelector(`${item}[data-blocked="true"] [data-testid=contact-blocked-tag]`)
    expect(await gus.page.textContent(`${item} [data-testid=contact-shown-name]`)).to.equal('Aunt H')
    await gus.screenshot('trust', 'blocked-in-list')
    // The chat names them by the nickname too (peer/core/contact-names.ts displayName).
    await gus.openChat('Hana')
    expect(await gus.page.textContent('[data-testid=chat] .bar h1')).to.equal('Aunt H')
    expect(await gus.page.getAttribute('[data-testid=chat-input]', 'aria-label')).to.equal('Message to Aunt H')

    await openContactCard(gus, 'Hana')
    await gus.page.click('[data-testid=contact-unblock]')
    await gus.page.waitForSelector('[data-testid=contact-block]')
    expect(await gus.page.$('[data-testid=contact-blocked]')).to.equal(null)
    await gus.contacts()
    await gus.page.waitForSelector(`${item}[data-blocked="false"]`)

    // Delete asks first; Cancel keeps the contact.
    await openContactCard(gus, 'Hana')
    await gus.page.click('[data-testid=contact-delete]')
    await gus.page.click('[data-testid=contact-delete-confirm] [data-testid=contact-delete-no]')
    expect(await gus.page.$('[data-testid=contact-delete-confirm]')).to.equal(null)
    await gus.reload()
    await gus.page.waitForSelector('[data-testid=contact-card]')
    await gus.page.click('[data-testid=contact-delete]')
    await gus.page.click('[data-testid=contact-delete-confirm] [data-testid=contact-delete-yes]')
    await gus.page.waitForSelector('[data-testid=contact-list][data-count="0"]')
    await gus.reload()
    await gus.page.waitForSelector('[data-testid=contact-list][data-count="0"]')
    expect(await gus.contacts()).to.deep.equal([])
    expect(gus.problems, gus.problems.join('\n')).to.deep.equal([])
  })
})
