// Files in the web client (docs/protocol.md §17) in real Chromium against a `gini daemon` process,
// over a real relay and direct WebRTC: the browser sends a file (the offer outlives a reload) and
// the CLI receives it; `gini send-file` to the browser, accepted in the UI, with progress, and the
// downloaded bytes hashed; an offer over the browser's limit shown as refused; and a reload in the
// middle of a download that resumes from the last recorded chunk. One pairing serves the whole file;
// every step leaves a screenshot in test-results/browser/.
import { expect } from 'chai'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium, startWebStack, WebPeer, PAIRING_MS, withTimeout, type WebStack } from '../helpers/browser.js'
import { run, runToEnd, GINI, type Proc } from '../helpers/processes.js'
import { FILES_CHUNK_BYTES } from '../../protocols/files/index.js'

const MIB = 1024 * 1024
/** The engine records the resume point every 16 chunks (protocols/files/peer.ts). */
const CHECKPOINT_BYTES = 16 * FILES_CHUNK_BYTES
/** A transfer of a few MiB on loopback takes seconds; this bounds a loaded machine. */
const TRANSFER_MS = 120_000

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** Records every value a <progress> of the page takes, from the first script on (test-side, via an init script). */
function recordProgress (): void {
  const seen: number[] = []
  ;(window as any).__progressSeen = seen
  new MutationObserver((records) => {
    for (const r of records) {
      const nodes = r.type === 'attributes' ? [r.target] : Array.from(r.addedNodes)
      for (const n of nodes) {
        const all = n instanceof HTMLProgressElement ? [n] : n instanceof Element ? Array.from(n.querySelectorAll('progress')) : []
        for (const p of all) seen.push(Number(p.getAttribute('value') ?? '0'))
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] })
}

describe('web client in Chromium: files with a `gini` CLI daemon', function () {
  this.timeout(300_000)
  let stack: WebStack
  let browser: Browser
  let dir: string
  let carol: string
  let daemon: Proc
  let alice: WebPeer
  /** Carol's contact id for Alice. */
  let aliceId: string
  const procs: Proc[] = []

  const gini = async (...args: string[]): Promise<{ code: number | null, lines: string[], stderr: string }> =>
    await runToEnd(GINI, ['--data', carol, ...args], TRANSFER_MS)
  const json = (lines: string[]): any[] => lines.map(l => JSON.parse(l))
  /** The first JSON event of Carol's daemon at or after line `from` that matches (polled, bounded by `ms`). */
  const daemonEvent = async (from: number, pred: (o: any) => boolean, ms = PAIRING_MS): Promise<any> => {
    const until = Date.now() + ms
    for (let seen = from; Date.now() < until; await new Promise(resolve => setTimeout(resolve, 100))) {
      for (; seen < daemon.lines.length; seen++) {
        let o: any
        try { o = JSON.parse(daemon.lines[seen]) } catch { continue }
        if (pred(o)) return o
      }
      if (daemon.child.exitCode != null) break
    }
    throw new Error(`no such daemon event within ${ms} ms; stderr: ${daemon.stderr.join('')}`)
  }
  const directSession = async (from: number): Promise<void> => {
    await daemonEvent(from, o => o.event === 'session' && o.id === aliceId && o.direct === true)
  }
  const offerRow = (id: string): string => `[data-testid=file-offer][data-id="${id}"]`

  before(async () => {
    stack = await startWebStack()
    browser = await launchChromium()
    dir = await mkdtemp(join(tmpdir(), 'gini-browser-files-'))
    carol = join(dir, 'carol')
    expect((await gini('init', '--name', 'Carol', '--relay', stack.relayTcp)).code).to.equal(0)
    daemon = run(GINI, ['--data', carol, 'daemon', '--json'])
    procs.push(daemon)
    await daemon.waitFor(o => o.event === 'listening' && o.addrs.length > 0, PAIRING_MS)

    alice = await WebPeer.open(browser, 'Alice', stack.web.url)
    await alice.context.addInitScript(recordProgress) // every later load
    await alice.page.evaluate(recordProgress) // this one
    await alice.createProfile('Alice Example')
    const code = await alice.showCode()
    const accept = await gini('accept', code, '--json')
    expect(accept.code, accept.stderr + accept.lines.join('\n')).to.equal(0)
    expect((await alice.pairingOutcome()).stage, alice.problems.join('\n')).to.equal('done')
    await alice.page.click('[data-testid=pairing-done]')
    aliceId = (await daemon.waitFor(o => o.event === 'contact-state' && o.name === 'Alice Example', PAIRING_MS)).id
    await alice.waitForContactState('Carol', 'online')
    await directSession(0)
    await alice.openChat('Carol')
  })
  after(async () => {
    daemon?.child.kill('SIGCONT') // in case a failed test left it paused
    await alice?.close()
    for (const p of procs) p.kill()
    await browser?.close()
    await stack?.stop()
    if (dir != null) await rm(dir, { recursive: true, force: true })
  })
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && alice?.problems.length > 0) console.log('Alice:', alice.problems.join('\n'))
  })

  it('browser → CLI: picked and sent in the chat, the offer survives a reload, `gini files accept` saves it; sha256 matches', async () => {
    const bytes = randomBytes(3 * MIB + 12_345)
    await alice.page.setInputFiles('[data-testid=file-input]', { name: 'report.bin', mimeType: 'application/octet-stream', buffer: bytes })
    await alice.page.click('[data-testid=file-send]')
    const offered = await daemonEvent(0, o => o.event === 'file' && o.direction === 'in' && o.state === 'offered' && o.name === 'report.bin', TRANSFER_MS)
    expect(offered).to.include({ contact: aliceId, size: bytes.length, sha256: sha256(bytes) })
    await alice.page.waitForSelector(`${offerRow(offered.id)}[data-direction="out"][data-state="offered"]`)
    expect(await alice.page.$(`${offerRow(offered.id)} [data-testid=file-tab-only]`)).to.equal(null) // kept in IndexedDB
    await alice.screenshot('files', 'offered')

    // The picked file was copied into IndexedDB: after a reload it can still be served.
    const mark = daemon.lines.length
    await alice.reload()
    await alice.page.waitForSelector(`${offerRow(offered.id)}[data-state="offered"]`)
    await directSession(mark)

    const accepted = await gini('files', 'accept', offered.id, '--json')
    expect(accepted.code, accepted.stderr + accepted.lines.join('\n')).to.equal(0)
    const done = json(accepted.lines).find(e => e.event === 'file' && e.state === 'done')
    expect(sha256(await readFile(done.path))).to.equal(sha256(bytes))
    await alice.page.waitForSelector(`${offerRow(offered.id)}[data-state="done"] [data-testid=file-done]`, { timeout: PAIRING_MS })
    expect(await alice.page.getAttribute(`${offerRow(offered.id)} [data-testid=file-sha256]`, 'data-sha256')).to.equal(sha256(bytes))
    await alice.screenshot('files', 'sent')
  })

  it('CLI `gini send-file` → browser: the offer shows name and size, Accept, the progress bar moves, the downloaded bytes match', async () => {
    const bytes = randomBytes(9 * MIB + 777)
    const path = join(dir, 'holiday photos.zip')
    await writeFile(path, bytes)
    const send = run(GINI, ['--data', carol, 'send-file', aliceId, path, '--json'])
    procs.push(send)
    const row = '[data-testid=file-offer][data-direction="in"]'
    await alice.page.waitForSelector(`${row}[data-state="offered"]`, { timeout: PAIRING_MS })
    expect(await alice.page.textContent(`${row} [data-testid=file-name]`)).to.equal('holiday photos.zip')
    expect(await alice.page.getAttribute(`${row} [data-testid=file-size]`, 'data-bytes')).to.equal(String(bytes.length))
    expect(await alice.page.textContent(`${row} [data-testid=file-size]`)).to.equal('9.0 MiB')
    await alice.screenshot('files', 'incoming-offer')
    await alice.page.evaluate(() => { (window as any).__progressSeen.length = 0 })

    await alice.page.click(`${row} [data-testid=file-accept]`)
    await alice.page.waitForSelector(`${row}[data-state="done"] [data-testid=file-done]`, { timeout: TRANSFER_MS })
    const seen: number[] = await alice.page.evaluate(() => (window as any).__progressSeen)
    expect(seen.some(v => v > 0 && v < bytes.length), `progress values seen: ${seen.join(',')}`).to.equal(true)
    expect(await alice.page.getAttribute(`${row} [data-testid=file-sha256]`, 'data-sha256')).to.equal(sha256(bytes))
    expect(await alice.page.textContent(`${row} [data-testid=file-sha256]`)).to.equal(`sha256 ${sha256(bytes).slice(0, 12)}…`)
    await alice.screenshot('files', 'received')

    // The link is the assembled Blob under the offered name: download it and hash what arrived.
    const [download] = await Promise.all([alice.page.waitForEvent('download'), alice.page.click(`${row} [data-testid=file-download]`)])
    expect(download.suggestedFilename()).to.equal('holiday photos.zip')
    expect(sha256(await readFile(await download.path()))).to.equal(sha256(bytes))
    expect(await send.exited).to.equal(0)
  })

  it('an offer over the browser\'s size limit is refused, with the reason on both sides', async () => {
    stack.web.setConfig({ relay: stack.relayWs, files: { maxBytes: MIB } })
    const mark = daemon.lines.length
    await alice.reload()
    await directSession(mark)
    const path = join(dir, 'too big.bin')
    await writeFile(path, randomBytes(2 * MIB))
    const send = await gini('send-file', aliceId, path, '--json')
    expect(send.code).to.not.equal(0)
    expect(send.stderr + send.lines.join('\n')).to.include(`larger than the receiver accepts (at most ${MIB} bytes)`)
    const row = '[data-testid=file-offer][data-direction="in"][data-state="refused"]'
    await alice.page.waitForSelector(row, { timeout: PAIRING_MS })
    expect(await alice.page.textContent(`${row} [data-testid=file-name]`)).to.equal('too big.bin')
    expect(await alice.page.textContent(`${row} [data-testid=file-failed]`)).to.equal('Refused: the file is 2.0 MiB, larger than this browser accepts (at most 1.0 MiB).')
    expect(await alice.page.$(`${row} [data-testid=file-accept]`)).to.equal(null)
    await alice.screenshot('files', 'refused')
    stack.web.setConfig({ relay: stack.relayWs })
  })

  it('Decline in the UI: nothing is pulled, the CLI says the contact declined, the browser shows it declined', async () => {
    const path = join(dir, 'unwanted.txt')
    await writeFile(path, 'not for you\n')
    const send = run(GINI, ['--data', carol, 'send-file', aliceId, path, '--json'])
    procs.push(send)
    const row = '[data-testid=file-offer][data-direction="in"][data-state="offered"]'
    await alice.page.waitForSelector(row, { timeout: PAIRING_MS })
    const id = (await alice.page.getAttribute(row, 'data-id'))!
    await alice.page.click(`${offerRow(id)} [data-testid=file-decline]`)
    await alice.page.waitForSelector(`${offerRow(id)}[data-state="failed"] [data-testid=file-failed]`)
    expect(await alice.page.textContent(`${offerRow(id)} [data-testid=file-failed]`)).to.equal('You declined this file.')
    expect(await send.exited).to.not.equal(0)
    expect(send.stderr.join('') + send.lines.join('\n')).to.include('The contact declined the file')
    const onCarol = json((await gini('files', '--json')).lines)[0]
    expect(onCarol.find((t: any) => t.id === id)).to.include({ state: 'failed', direction: 'out' })
  })

  it('a reload in the middle of a download resumes from the last recorded chunk, and the file matches', async () => {
    let mark = daemon.lines.length
    await alice.reload()
    await directSession(mark)
    const bytes = randomBytes(48 * MIB)
    const path = join(dir, 'big.bin')
    await writeFile(path, bytes)
    const send = run(GINI, ['--data', carol, 'send-file', aliceId, path, '--json'])
    procs.push(send)
    const row = '[data-testid=file-offer][data-direction="in"]:not([data-state="done"]):not([data-state="refused"])'
    await alice.page.waitForSelector(`${row}[data-state="offered"]`, { timeout: PAIRING_MS })
    const id = (await alice.page.getAttribute(`${row}[data-state="offered"]`, 'data-id'))!
    // Past the first recorded resume point, the sending daemon is paused (a fault: SIGSTOP), so the
    // download cannot finish before the reload however fast or loaded the machine is.
    const paused = new Promise<void>(resolve => {
      void alice.page.exposeFunction('__pastCheckpoint', () => { daemon.child.kill('SIGSTOP'); resolve() })
    })
    await alice.page.evaluate(({ row, min }) => {
      const watch = new MutationObserver(() => {
        if (Number(document.querySelector(`${row} [data-testid=file-progress]`)?.getAttribute('value') ?? 0) <= min) return
        watch.disconnect()
        void (window as any).__pastCheckpoint()
      })
      watch.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] })
    }, { row: offerRow(id), min: CHECKPOINT_BYTES + MIB })
    await alice.page.click(`${offerRow(id)} [data-testid=file-accept]`)
    await withTimeout(paused, TRANSFER_MS, 'the download never passed its first resume point')
    const before = Number(await alice.page.getAttribute(`${offerRow(id)} [data-testid=file-progress]`, 'value'))
    expect(before).to.be.below(bytes.length)
    mark = daemon.lines.length
    await alice.reload()
    daemon.child.kill('SIGCONT')

    // Drawn from the stored record: where the download will go on, never back at zero.
    await alice.page.waitForSelector(`${offerRow(id)}[data-state="progress"] [data-testid=file-progress]`)
    const first = Number(await alice.page.getAttribute(`${offerRow(id)} [data-testid=file-progress]`, 'value'))
    expect(first).to.be.at.least(CHECKPOINT_BYTES)
    await alice.screenshot('files', 'after-reload')
    await directSession(mark)
    await alice.page.waitForSelector(`${offerRow(id)}[data-state="done"] [data-testid=file-done]`, { timeout: TRANSFER_MS })
    const seen: number[] = await alice.page.evaluate(() => (window as any).__progressSeen)
    expect(seen.length).to.be.above(0)
    expect(Math.min(...seen), `progress values after the reload: ${seen.join(',')}`).to.be.at.least(first)
    expect(await alice.page.getAttribute(`${offerRow(id)} [data-testid=file-sha256]`, 'data-sha256')).to.equal(sha256(bytes))
    const [download] = await Promise.all([alice.page.waitForEvent('download'), alice.page.click(`${offerRow(id)} [data-testid=file-download]`)])
    expect(sha256(await readFile(await download.path()))).to.equal(sha256(bytes))
    expect(await send.exited).to.equal(0)
    await alice.screenshot('files', 'resumed-done')
  })
})
