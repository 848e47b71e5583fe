// Flash Codes as QR codes in the web client (docs/protocol.md §4.4), in real Chromium against a real
// relay and `gini` CLI processes: the invite view's QR and read-out line, read from its pixels and
// accepted by `gini accept`; "Scan a code" reading the QR that `gini invite --qr` draws (from
// Chromium's fake camera) and pairing; a QR that is no Flash Code refused like a mistyped code.
import { expect } from 'chai'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import jsQRModule from 'jsqr'
import QRCode from 'qrcode'
import { chromium, type Browser } from 'playwright-core'
import { qrVideo, startWebStack, WebPeer, PAIRING_MS, CHROMIUM_ARGS, CHROMIUM_PATH, STEP_MS, type WebStack } from '../helpers/browser.js'
import { run, runToEnd, GINI, type Proc } from '../helpers/processes.js'
import { waitForTerminalQr } from '../helpers/terminal-qr.js'
import { flashCodeQrPayload, flashCodeReadOut } from '../../protocols/crypto/index.js'

describe('web client in Chromium: Flash Codes as QR codes (docs/protocol.md §4.4)', function () {
  this.timeout(300_000)
  let stack: WebStack
  let browser: Browser
  let dir: string
  /** What Chromium's fake camera shows; read again each time a capture starts. */
  let camera: string
  const peers: WebPeer[] = []
  const procs: Proc[] = []

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-browser-code-qr-'))
    camera = join(dir, 'camera.y4m')
    await writeFile(camera, qrVideo('nothing to scan yet'))
    stack = await startWebStack()
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera}`],
      timeout: STEP_MS * 2
    })
  })
  after(async () => {
    for (const p of procs) p.kill()
    for (const peer of peers) await peer.close()
    await browser?.close()
    await stack?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const gini = async (who: string, ...args: string[]): Promise<{ code: number | null, lines: string[], stderr: string }> =>
    await runToEnd(GINI, ['--data', join(dir, who), ...args], PAIRING_MS)

  async function initCli (name: string): Promise<void> {
    const res = await gini(name, 'init', '--name', name, '--relay', stack.relayTcp, '--json')
    expect(res.code, res.stderr).to.equal(0)
  }

  async function openPeer (name: string): Promise<WebPeer> {
    const peer = await WebPeer.open(browser, name, stack.web.url)
    peers.push(peer)
    await peer.createProfile(name)
    return peer
  }

  /** The refusal shown under the code field: its error code and words. */
  async function shownRefusal (peer: WebPeer): Promise<{ code: string, text: string }> {
    const el = await peer.page.waitForSelector('[data-testid=code-error] [data-testid=error]')
    return { code: (await el.getAttribute('data-code'))!, text: (await el.textContent())! }
  }

  it('the invite view shows the code, its read-out line and a QR of GINI:FC/<code> that `gini accept` takes', async () => {
    await initCli('Kim')
    const lea = await openPeer('Lea')
    const code = await lea.showCode()
    expect(await lea.page.textContent('[data-testid=flash-code-readout]')).to.equal(flashCodeReadOut(code))
    const payload = flashCodeQrPayload(code)
    await lea.page.waitForSelector(`[data-testid=flash-code-qr][data-payload="${payload}"]`)
    // What a camera would see: the canvas's pixels, decoded.
    const pixels = await lea.page.$eval('[data-testid=flash-code-qr]', (c) => {
      const canvas = c as HTMLCanvasElement
      return { width: canvas.width, height: canvas.height, data: Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data) }
    })
    // jsqr is CommonJS: under NodeNext its function is the module's `default`.
    const decoded = jsQRModule.default(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height)
    expect(decoded?.data).to.equal(payload)
    await lea.screenshot('code-qr', 'invite-view')

    const accept = run(GINI, ['--data', join(dir, 'Kim'), 'accept', decoded!.data, '--json'])
    procs.push(accept)
    await accept.waitFor(o => o.event === 'contact-added', PAIRING_MS)
    expect(await accept.exited).to.equal(0)
    expect(await lea.pairingOutcome(), lea.problems.join('\n')).to.include({ stage: 'done' })
    expect(lea.problems, lea.problems.join('\n')).to.deep.equal([])
  })

  it('Scan a code: a QR that is no Flash Code is refused in the words a mistyped one gets; the QR of `gini invite --qr`, from the camera, pairs', async () => {
    await initCli('Max')
    const ned = await openPeer('Ned')
    await ned.openEnterCode()

    // Typed, then scanned from the camera: the same refusal, and no pairing starts.
    const notCode = 'https://example.org/'
    await ned.submitCode(notCode)
    const typed = await shownRefusal(ned)
    expect(typed.code).to.equal('INVALID_FLASH_CODE')
    await writeFile(camera, qrVideo(notCode))
    await ned.page.click('[data-testid=scan-code]')
    // The click clears the typed refusal; what shows next is the scan's.
    expect(await shownRefusal(ned)).to.deep.equal(typed)
    expect(await ned.page.$eval('[data-testid=code-scan-video]', v => (v as HTMLVideoElement).srcObject), 'the camera is released').to.equal(null)
    expect(await ned.page.$('[data-testid=pairing-status]'), 'nothing was sent').to.equal(null)

    // A picture of a safety number's QR (docs/protocol.md §18) is no Flash Code either.
    const picture = join(dir, 'safety.png')
    const safety = `gini-safety:1:${'0'.repeat(60)}`
    await QRCode.toFile(picture, safety, { type: 'png', margin: 4, width: 300 })
    await ned.submitCode(safety.slice(0, 30))
    const typedSafety = await shownRefusal(ned)
    await ned.page.evaluate(() => { document.querySelector('[data-testid=code-error]')!.replaceChildren() })
    await ned.page.setInputFiles('[data-testid=code-qr-file]', picture)
    expect(await shownRefusal(ned)).to.deep.equal(typedSafety)
    expect(await ned.page.$('[data-testid=pairing-status]')).to.equal(null)

    // The CLI's QR, read back from its terminal characters, shown to the camera.
    const invite = run(GINI, ['--data', join(dir, 'Max'), 'invite', '--qr'])
    procs.push(invite)
    const payload = await waitForTerminalQr(invite)
    expect(payload).to.match(/^GINI:FC\/[0-9A-HJKMNP-TV-Z]{8}$/)
    await writeFile(camera, qrVideo(payload))
    await ned.page.click('[data-testid=scan-code]')
    expect(await ned.pairingOutcome(), ned.problems.join('\n')).to.include({ stage: 'done' })
    expect(await invite.exited, invite.stderr.join('')).to.equal(0)
    expect(invite.lines.join('\n')).to.include('Added Ned to your contacts.')
    await ned.page.click('[data-testid=pairing-done]')
    expect((await ned.contacts()).map(c => c.name)).to.deep.equal(['Max'])
    expect(ned.problems, ned.problems.join('\n')).to.deep.equal([])
  })
})
