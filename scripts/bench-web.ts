// `npm run bench:web`: the web client in headless Chromium (Debian's, via playwright-core) against
// an in-process relay on loopback. Measures the client's bundle size (gzip), its first-load time,
// and the time from "submit code" to the contact shown, browser↔browser and browser↔CLI.
// A benchmark, not a test: numbers go to BENCHMARKS.md (section bench:web), nothing asserts a speed.
import { parseArgs } from 'node:util'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { tmpdir, cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { createRelay } from '../relay/index.js'
import { buildWeb } from './build-web.js'
import { serveWeb } from './serve-web.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'no-write': { type: 'boolean', default: false }
  }
})
const RUNS = Math.max(1, Math.min(100, Number(values.runs)))
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
const VIEWPORT = { width: 375, height: 740 }
/** Bounds one step (page load, one pairing); a sample past it counts as failed. */
const STEP_LIMIT_MS = 45_000
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const GINI = join(ROOT, 'bin', 'gini.js')

function pct (xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}
const ms = (x: number): string => Number.isNaN(x) ? '–' : x >= 100 ? String(Math.round(x)) : x.toFixed(1)
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`

// ---- bundle ---------------------------------------------------------------------------------------

const dir = await mkdtemp(join(tmpdir(), 'gini-bench-web-'))
const webDir = await buildWeb({ quiet: true, outDir: join(dir, 'web') })
const bundle = { raw: 0, gzip: 0, jsRaw: 0, jsGzip: 0, files: 0 }
for (const name of [...(await readdir(join(webDir, 'assets'))).map(n => join('assets', n)), 'index.html']) {
  const body = await readFile(join(webDir, name))
  const gz = gzipSync(body).length
  bundle.raw += (await stat(join(webDir, name))).size
  bundle.gzip += gz
  bundle.files++
  if (name.endsWith('.js')) { bundle.jsRaw += body.length; bundle.jsGzip += gz }
}
console.log(`bundle: ${bundle.files} files, ${kb(bundle.raw)} (gzip ${kb(bundle.gzip)}); JavaScript ${kb(bundle.jsRaw)} (gzip ${kb(bundle.jsGzip)})`)

const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'], rateLimit: false })
const addrs = relay.multiaddrs.map(String)
const relayWs = addrs.find(a => a.includes('/ws/'))!
const relayTcp = addrs.find(a => !a.includes('/ws'))!
const web = await serveWeb({ config: { relay: relayWs }, dir: webDir })
const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
const chromiumVersion = browser.version()

async function openPage (name: string): Promise<{ page: Page, close: () => Promise<void>, readyMs: number, loadMs: number }> {
  const context = await browser.newContext({ viewport: VIEWPORT })
  const page = await context.newPage()
  page.setDefaultTimeout(STEP_LIMIT_MS)
  await page.goto(web.url)
  await page.waitForSelector('body[data-ready="true"]')
  const { readyMs, loadMs } = await page.evaluate(() => ({
    readyMs: performance.getEntriesByName('gini-ready')[0]?.startTime ?? NaN,
    loadMs: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.loadEventEnd ?? NaN
  }))
  if (name !== '') {
    await page.fill('[data-testid=profile-name]', name)
    await page.click('[data-testid=profile-save]')
    await page.waitForSelector('[data-testid=contact-list]')
  }
  return { page, close: async () => { await context.close() }, readyMs, loadMs }
}

/** Records in the page (its own clock): the click on submit-code, and when the contact is shown. */
async function armTimer (page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as any
    w.__bench = {}
    document.querySelector('[data-testid=submit-code]')?.addEventListener('click', () => { w.__bench.submit = Date.now() }, { capture: true })
    new MutationObserver(() => {
      const s = document.querySelector<HTMLElement>('[data-testid=pairing-status]')
      if (s?.dataset.stage === 'done' && w.__bench.done == null) { w.__bench.done = Date.now(); w.__bench.path = s.dataset.path }
      if (s?.dataset.stage === 'error' && w.__bench.error == null) w.__bench.error = s.dataset.errorCode
    }).observe(document.body, { subtree: true, attributes: true, childList: true, attributeFilter: ['data-stage'] })
  })
}

async function doneAt (page: Page): Promise<{ submit?: number, done: number, path: string }> {
  await page.waitForSelector('[data-testid=pairing-status][data-stage="done"], [data-testid=pairing-status][data-stage="error"]', { timeout: STEP_LIMIT_MS })
  const b = await page.evaluate(() => (window as any).__bench)
  if (b.error != null || b.done == null) throw new Error(`pairing failed: ${String(b.error)}`)
  return b
}

function runProc (args: string[]): { done: Promise<number | null>, lines: string[], kill: () => void, onLine: (fn: (obj: any) => void) => void } {
  const child = spawn(process.execPath, [GINI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  const fns: Array<(obj: any) => void> = []
  let buf = ''
  child.stdout.on('data', (c: Buffer) => {
    buf += c.toString('utf8')
    const parts = buf.split('\n')
    buf = parts.pop()!
    for (const l of parts) {
      if (l === '') continue
      lines.push(l)
      try { const obj = JSON.parse(l); for (const fn of fns) fn(obj) } catch {}
    }
  })
  child.stderr.resume()
  return {
    done: new Promise(resolve => child.once('exit', resolve)),
    lines,
    kill: () => { if (child.exitCode == null) child.kill('SIGKILL') },
    onLine: (fn) => { fns.push(fn) }
  }
}

async function withLimit<T> (p: Promise<T>, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([p, new Promise<never>((_resolve, reject) => { t = setTimeout(() => { reject(new Error(`${what}: over ${STEP_LIMIT_MS} ms`)) }, STEP_LIMIT_MS) })])
  } finally { clearTimeout(t) }
}

// ---- first load -----------------------------------------------------------------------------------

const ready: number[] = []
const load: number[] = []
for (let i = 0; i < RUNS; i++) {
  const p = await openPage('')
  ready.push(p.readyMs)
  load.push(p.loadMs)
  await p.close()
}
console.log(`first load (fresh context, cold cache): ready p50 ${ms(pct(ready, 50))} ms, load event p50 ${ms(pct(load, 50))} ms`)

// ---- browser ↔ browser ----------------------------------------------------------------------------

interface PairSample { joiner: number, creator: number, path: string }
const b2b: PairSample[] = []
let b2bFailed = 0
for (let i = 0; i < RUNS; i++) {
  const alice = await openPage('Alice')
  const bob = await openPage('Bob')
  try {
    await alice.page.click('[data-testid=new-secure-contact]')
    await alice.page.click('[data-testid=show-code]')
    await armTimer(alice.page)
    const code = await alice.page.getAttribute('[data-testid=flash-code][data-code]', 'data-code')
    await bob.page.click('[data-testid=new-secure-contact]')
    await bob.page.click('[data-testid=enter-code]')
    await bob.page.fill('[data-testid=code-input]', code!)
    await armTimer(bob.page)
    await bob.page.click('[data-testid=submit-code]')
    const [j, c] = await Promise.all([doneAt(bob.page), doneAt(alice.page)])
    b2b.push({ joiner: j.done - j.submit!, creator: c.done - j.submit!, path: j.path })
    console.log(`browser↔browser ${i + 1}/${RUNS}: joiner shows the contact after ${j.done - j.submit!} ms, creator after ${c.done - j.submit!} ms (${j.path})`)
  } catch (err) {
    b2bFailed++
    console.log(`browser↔browser ${i + 1}/${RUNS}: failed (${(err as Error).message})`)
  } finally {
    await alice.close()
    await bob.close()
  }
}

// ---- browser ↔ CLI --------------------------------------------------------------------------------

const cliData = join(dir, 'cli')
const init = runProc(['--data', cliData, 'init', '--name', 'Carol', '--relay', relayTcp])
await withLimit(init.done, 'gini init')

// (a) the CLI shows the code, the browser submits it.
const cliInvite: PairSample[] = []
let cliInviteFailed = 0
for (let i = 0; i < RUNS; i++) {
  const dave = await openPage('Dave')
  const invite = runProc(['--data', cliData, 'invite', '--json'])
  try {
    let cliAddedAt = 0
    invite.onLine((o) => { if (o.event === 'contact-added') cliAddedAt = Date.now() })
    const code = await withLimit(new Promise<string>(resolve => { invite.onLine((o) => { if (o.event === 'flash-code') resolve(o.code) }) }), 'gini invite')
    await dave.page.click('[data-testid=new-secure-contact]')
    await dave.page.click('[data-testid=enter-code]')
    await dave.page.fill('[data-testid=code-input]', code)
    await armTimer(dave.page)
    await dave.page.click('[data-testid=submit-code]')
    const j = await doneAt(dave.page)
    if (await withLimit(invite.done, 'gini invite exit') !== 0) throw new Error('gini invite failed')
    cliInvite.push({ joiner: j.done - j.submit!, creator: cliAddedAt - j.submit!, path: j.path })
    console.log(`CLI code → browser ${i + 1}/${RUNS}: browser shows the contact after ${j.done - j.submit!} ms, CLI after ${cliAddedAt - j.submit!} ms (${j.path})`)
  } catch (err) {
    cliInviteFailed++
    console.log(`CLI code → browser ${i + 1}/${RUNS}: failed (${(err as Error).message})`)
  } finally {
    invite.kill()
    await dave.close()
  }
}

// (b) the browser shows the code, `gini accept` is started with it ("submit" = the process starts).
const cliAccept: PairSample[] = []
let cliAcceptFailed = 0
for (let i = 0; i < RUNS; i++) {
  const erin = await openPage('Erin')
  try {
    await erin.page.click('[data-testid=new-secure-contact]')
    await erin.page.click('[data-testid=show-code]')
    await armTimer(erin.page)
    const code = await erin.page.getAttribute('[data-testid=flash-code][data-code]', 'data-code')
    const submit = Date.now()
    const accept = runProc(['--data', cliData, 'accept', code!, '--json'])
    let cliAddedAt = 0
    accept.onLine((o) => { if (o.event === 'contact-added') cliAddedAt = Date.now() })
    const c = await doneAt(erin.page)
    if (await withLimit(accept.done, 'gini accept exit') !== 0) throw new Error('gini accept failed')
    const connected = accept.lines.map(l => { try { return JSON.parse(l) } catch { return {} } }).find(o => o.event === 'connected')
    cliAccept.push({ joiner: cliAddedAt - submit, creator: c.done - submit, path: connected?.path ?? '?' })
    console.log(`browser code → CLI ${i + 1}/${RUNS}: CLI shows the contact after ${cliAddedAt - submit} ms, browser after ${c.done - submit} ms (${String(connected?.path)})`)
  } catch (err) {
    cliAcceptFailed++
    console.log(`browser code → CLI ${i + 1}/${RUNS}: failed (${(err as Error).message})`)
  } finally {
    await erin.close()
  }
}

await browser.close()
await web.close()
await relay.stop()
await rm(dir, { recursive: true, force: true })

// ---- report ---------------------------------------------------------------------------------------

const row = (label: string, xs: PairSample[], failed: number, first: keyof PairSample, second: keyof PairSample): string => {
  const a = xs.map(s => s[first] as number)
  const b = xs.map(s => s[second] as number)
  const direct = xs.filter(s => s.path === 'direct').length
  return `| ${label} | ${ms(pct(a, 50))} | ${ms(pct(a, 90))} | ${ms(pct(b, 50))} | ${xs.length}/${xs.length + failed} | ${direct}/${xs.length} |`
}
const cpu = cpus()[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
const date = new Date().toISOString().slice(0, 10)
const section = `Measured ${date} on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB (load average ${loadavg().map(l => l.toFixed(1)).join(' ')} at the end), Node ${process.version}, headless Chromium ${chromiumVersion}, ${RUNS} runs each, command \`npm run bench:web -- --runs ${RUNS}\`. Relay in-process on loopback (rate limits off), ICE servers none, fresh browser contexts (own IndexedDB) for every run, phone viewport.

| web client | value |
|---|---|
| bundle (\`vite build\`, ${bundle.files} files) | ${kb(bundle.raw)}, **${kb(bundle.gzip)} gzip** (JavaScript ${kb(bundle.jsRaw)}, ${kb(bundle.jsGzip)} gzip) |
| first load, fresh context: navigation → first view usable (p50 / p90) | **${ms(pct(ready, 50))} ms** / ${ms(pct(ready, 90))} ms |
| first load: \`load\` event (p50) | ${ms(pct(load, 50))} ms |

| "submit code" → contact shown (ms) | p50 | p90 | other side, p50 | ok | direct WebRTC |
|---|---|---|---|---|---|
${row('browser ↔ browser (joiner tab; other side = creator tab)', b2b, b2bFailed, 'joiner', 'creator')}
${row('CLI shows the code, browser submits it (browser; other side = CLI)', cliInvite, cliInviteFailed, 'joiner', 'creator')}
${row('browser shows the code, `gini accept` starts (CLI; other side = browser)', cliAccept, cliAcceptFailed, 'joiner', 'creator')}

"Contact shown" is the page's own clock at the moment the pairing status turns to "Added … to your contacts" (a MutationObserver), from the click on *Connect*. For the CLI joiner, "submit" is the spawn of \`gini accept\` and "shown" its \`contact-added\` line, so that row includes a Node process start. First-load time includes fetching the bundle over loopback, libsodium's WebAssembly start, opening IndexedDB and, on a first visit, creating the identity.`
console.log('\n' + section)

if (values['no-write'] !== true) {
  const file = join(ROOT, 'BENCHMARKS.md')
  const begin = '<!-- bench:web begin -->'
  const end = '<!-- bench:web end -->'
  let text = ''
  try { text = await readFile(file, 'utf8') } catch {}
  const block = `${begin}\n${section}\n${end}`
  text = text.includes(begin)
    ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), () => block)
    : `${text.trimEnd()}\n\n## Web client in Chromium (\`npm run bench:web\`)\n\n${block}\n`
  await writeFile(file, text.trimStart())
  console.log(`\nwritten to ${file}`)
}
process.exit(0)
