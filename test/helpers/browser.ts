// Browser test helpers: Debian's Chromium driven by playwright-core (never a downloaded browser),
// the web client built once into a temp dir and served with a /config.json that points at a real
// in-process relay, and a small page object that uses only the UI's data-testids.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import QRCode from 'qrcode'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRelay, type Relay, type RelayOptions } from '../../relay/index.js'
import { buildWeb } from '../../scripts/build-web.js'
import { serveWeb, type WebServer } from '../../scripts/serve-web.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'
]
/** Phone-sized, like the UI is designed for (README "Web client": usable from 375 px wide). */
export const PHONE_VIEWPORT = { width: 375, height: 740 }
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'browser')
/** `npm start` without its `tsc` step (the suite has just compiled it). */
export const START = join(ROOT, 'dist', 'scripts', 'start.js')
/** Vite builds the client in ~1–2 s here; this bounds a cold or loaded machine. */
export const WEB_BUILD_TIMEOUT_MS = 90_000
/** One UI step (a click's effect, a page load) on loopback. */
export const STEP_MS = 15_000
/** A whole pairing on loopback takes ~1–2 s; the core's own deadlines are longer. */
export const PAIRING_MS = 45_000

export async function launchChromium (): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH`)
  }
  return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: STEP_MS * 2 })
}

/**
 * A one-frame Y4M video (what Chromium's fake camera plays, in a loop) showing `text` as a QR code,
 * black modules on white, 8 px per module with the 4-module quiet zone.
 */
export function qrVideo (text: string): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const side = 400
  const px = 8
  const offset = Math.floor((side - (modules.size + 8) * px) / 2) + 4 * px
  const y = Buffer.alloc(side * side, 255)
  for (let r = 0; r < modules.size; r++) {
    for (let c = 0; c < modules.size; c++) {
      if (modules.get(r, c) === 0) continue
      for (let dy = 0; dy < px; dy++) y.fill(0, (offset + r * px + dy) * side + offset + c * px, (offset + r * px + dy) * side + offset + (c + 1) * px)
    }
  }
  const chroma = Buffer.alloc((side / 2) * (side / 2) * 2, 128)
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${side} H${side} F5:1 Ip A1:1 C420jpeg\n`, 'latin1'), Buffer.from('FRAME\n', 'latin1'), y, chroma])
}

export interface WebStack {
  relay: Relay
  /** The relay's /ws address (what the page uses). */
  relayWs: string
  /** The relay's TCP address (what CLI peers use). */
  relayTcp: string
  web: WebServer
  stop(): Promise<void>
}

/** Builds the client (bounded), starts a relay on loopback TCP + WS and serves the page for it. */
export async function startWebStack (relayOptions: RelayOptions = {}): Promise<WebStack> {
  const outDir = await mkdtemp(join(tmpdir(), 'gini-web-'))
  await withTimeout(buildWeb({ quiet: true, outDir }), WEB_BUILD_TIMEOUT_MS, 'vite build of client-web')
  const relay = await createRelay({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'], ...relayOptions })
  const addrs = relay.multiaddrs.map(ma => ma.toString())
  const relayWs = addrs.find(a => a.includes('/ws/'))!
  const relayTcp = addrs.find(a => !a.includes('/ws'))!
  const web = await serveWeb({ config: { relay: relayWs }, dir: outDir })
  return {
    relay,
    relayWs,
    relayTcp,
    web,
    stop: async () => {
      await web.close()
      await relay.stop()
      await rm(outDir, { recursive: true, force: true })
    }
  }
}

export async function withTimeout<T> (p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([p, new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => { reject(new Error(`${what} did not finish within ${ms} ms`)) }, ms)
    })])
  } finally {
    clearTimeout(timer)
  }
}

/** One person in one browser context (own IndexedDB), seen through the UI's data-testids. */
export class WebPeer {
  readonly context: BrowserContext
  page: Page
  readonly name: string
  /** Browser console errors and uncaught exceptions, for failure messages. */
  readonly problems: string[] = []
  private shots = 0

  private constructor (name: string, context: BrowserContext, page: Page) {
    this.name = name
    this.context = context
    this.page = page
    this.watch(page)
  }

  private watch (page: Page): void {
    page.setDefaultTimeout(STEP_MS)
    page.on('pageerror', err => { this.problems.push(`pageerror: ${err.message}`) })
    page.on('console', msg => { if (msg.type() === 'error') this.problems.push(`console: ${msg.text()}`) })
  }

  /** Closes the tab but keeps the browser profile (IndexedDB, localStorage): the person goes offline. */
  async closeTab (): Promise<void> {
    await this.page.close()
  }

  /** A new tab of the same profile, at `url`. */
  async openTab (url: string): Promise<void> {
    this.page = await this.context.newPage()
    this.watch(this.page)
    await this.load(url)
  }

  static async open (browser: Browser, name: string, url: string): Promise<WebPeer> {
    const context = await browser.newContext({ viewport: PHONE_VIEWPORT, deviceScaleFactor: 1 })
    const peer = new WebPeer(name, context, await context.newPage())
    await peer.load(url)
    return peer
  }

  async load (url: string): Promise<void> {
    await this.page.goto(url)
    await this.page.waitForSelector('body[data-ready="true"]')
  }

  async reload (): Promise<void> {
    await this.page.reload()
    await this.page.waitForSelector('body[data-ready="true"]')
  }

  /** First run: the profile form, then the (empty) contact list. */
  async createProfile (name: string, email?: string): Promise<void> {
    await this.page.fill('[data-testid=profile-name]', name)
    if (email != null) await this.page.fill('[data-testid=profile-email]', email)
    await this.page.click('[data-testid=profile-save]')
    await this.page.waitForSelector('[data-testid=contact-list]')
  }

  /** New Secure Contact → Show my code; resolves with the code as displayed (XXXX-XXXX). */
  async showCode (): Promise<string> {
    await this.page.click('[data-testid=new-secure-contact]')
    await this.page.click('[data-testid=show-code]')
    const el = await this.page.waitForSelector('[data-testid=flash-code][data-code]')
    return (await el.getAttribute('data-code'))!
  }

  async openEnterCode (): Promise<void> {
    await this.page.click('[data-testid=new-secure-contact]')
    await this.page.click('[data-testid=enter-code]')
    await this.page.waitForSelector('[data-testid=code-input]')
  }

  async submitCode (typed: string): Promise<void> {
    await this.page.fill('[data-testid=code-input]', typed)
    await this.page.click('[data-testid=submit-code]')
  }

  /** Waits for the pairing to end (done or error) and returns its status. */
  async pairingOutcome (ms = PAIRING_MS): Promise<PairingStatus> {
    await this.page.waitForSelector('[data-testid=pairing-status][data-stage="done"], [data-testid=pairing-status][data-stage="error"]', { timeout: ms })
    return await this.pairingStatus()
  }

  async pairingStatus (): Promise<PairingStatus> {
    return await this.page.$eval('[data-testid=pairing-status]', (el) => {
      const d = (el as HTMLElement).dataset
      return { stage: d.stage ?? '', text: el.textContent ?? '', path: d.path, direct: d.direct, errorCode: d.errorCode }
    })
  }

  /** Back to the contact list; returns the names shown with their reachability state. */
  async contacts (): Promise<Array<{ name: string, state: string }>> {
    if (await this.page.$('[data-testid=contact-list]') == null) await this.page.goto(this.page.url().replace(/#.*$/, '') + '#/')
    await this.page.waitForSelector('[data-testid=contact-list]')
    return await this.page.$$eval('[data-testid=contact-item]', items => items.map(item => ({
      name: (item as HTMLElement).dataset.name ?? '',
      state: (item.querySelector('[data-testid=contact-status]') as HTMLElement | null)?.dataset.state ?? ''
    })))
  }

  /** Waits (bounded) until the contact list shows `name` with reachability `state`. */
  async waitForContactState (name: string, state: string, ms = PAIRING_MS): Promise<void> {
    await this.contacts()
    await this.page.waitForSelector(`[data-testid=contact-item][data-name="${name}"] [data-testid=contact-status][data-state="${state}"]`, { timeout: ms })
  }

  /** The contact list's unread badge for `name` (0 when none is shown). */
  async unreadCount (name: string): Promise<number> {
    await this.contacts()
    const badge = await this.page.$(`[data-testid=contact-item][data-name="${name}"] [data-testid=unread-count]`)
    return badge == null ? 0 : Number(await badge.textContent())
  }

  /** From the contact list, the chat with `name`. */
  async openChat (name: string): Promise<void> {
    await this.contacts()
    const id = await this.page.getAttribute(`[data-testid=contact-item][data-name="${name}"]`, 'data-id')
    await this.page.click(`[data-testid=open-chat][data-id="${id!}"]`)
    await this.page.waitForSelector('[data-testid=chat] [data-testid=chat-input]')
  }

  /** Types `text` into the open chat and presses Enter. */
  async sendChat (text: string): Promise<void> {
    await this.page.fill('[data-testid=chat-input]', text)
    await this.page.press('[data-testid=chat-input]', 'Enter')
  }

  /** The open chat's messages as shown, in order. */
  async chatMessages (): Promise<ShownChatMessage[]> {
    return await this.page.$$eval('[data-testid=message]', items => items.map(item => {
      const d = (item as HTMLElement).dataset
      return {
        id: d.id ?? '',
        direction: d.direction ?? '',
        delivered: d.delivered === 'true',
        edited: d.edited === 'true',
        deleted: d.deleted === 'true',
        text: item.querySelector('[data-testid=message-text]')?.textContent ?? '',
        reactions: Array.from(item.querySelectorAll('[data-testid=reactions] [data-code]')).map(r => `${(r as HTMLElement).dataset.author ?? ''}${(r as HTMLElement).dataset.code ?? ''}`)
      }
    }))
  }

  /** Waits (bounded) until the open chat shows a message matching `selector` (e.g. `[data-delivered="true"]`). */
  async waitForMessage (selector: string, ms = PAIRING_MS): Promise<void> {
    await this.page.waitForSelector(`[data-testid=message]${selector}`, { timeout: ms })
  }

  /** test-results/browser/<test>-<nn>-<person>-<step>.png */
  async screenshot (test: string, step: string): Promise<void> {
    await mkdir(SCREENSHOT_DIR, { recursive: true })
    const n = String(++this.shots).padStart(2, '0')
    await this.page.screenshot({ path: join(SCREENSHOT_DIR, `${test}-${this.name.toLowerCase()}-${n}-${step}.png`), fullPage: true })
  }

  async close (): Promise<void> {
    await this.context.close().catch(() => {})
  }
}

export interface ShownChatMessage {
  id: string
  direction: string
  delivered: boolean
  edited: boolean
  deleted: boolean
  text: string
  /** `<author><code>`, e.g. `them:thumbsup:`. */
  reactions: string[]
}

export interface PairingStatus {
  stage: string
  text: string
  path?: string
  direct?: string
  errorCode?: string
}
