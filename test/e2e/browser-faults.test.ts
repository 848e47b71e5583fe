// The web client when things go wrong: a code that cannot be right never leaves the page, a code
// nobody made, the relay down (and back: retry works), and the other tab closed mid-pairing.
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { createRelay } from '../../relay/index.js'
import { sodium } from '../../protocols/crypto/index.js'
import { launchChromium, startWebStack, withTimeout, WebPeer, STEP_MS, type WebStack } from '../helpers/browser.js'
import { run, runToEnd, GINI, type Proc } from '../helpers/processes.js'
import { startTamperingRelay } from '../helpers/tampering-relay.js'

describe('web client in Chromium: bad input and faults', function () {
  this.timeout(120_000)
  let stack: WebStack
  let browser: Browser
  let dir: string
  const peers: WebPeer[] = []
  const procs: Proc[] = []

  const open = async (name: string): Promise<WebPeer> => {
    const peer = await WebPeer.open(browser, name, stack.web.url)
    peers.push(peer)
    await peer.createProfile(name)
    return peer
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-browser-faults-'))
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
  afterEach(function () {
    if (this.currentTest?.state === 'failed') for (const p of peers) if (p.problems.length > 0) console.log(`${p.name}:`, p.problems.join('\n'))
  })

  it('typed input × lower case, spaces, O for 0 → normalized; impossible characters → refused with no request sent', async () => {
    const erin = await open('Erin')
    await erin.openEnterCode()
    const hint = async (typed: string): Promise<string> => {
      await erin.page.fill('[data-testid=code-input]', typed)
      return (await erin.page.textContent('[data-testid=code-hint]'))!
    }
    expect(await hint('wz2e cd95')).to.equal('Reads as WZ2E-CD95')
    expect(await hint('oooo-1111')).to.equal('Reads as 0000-1111')
    expect(await hint('5h7m')).to.equal('4 of 8 characters')
    expect(await hint('5H7U')).to.match(/'U' is not used/)

    // From here on, nothing may leave the page for a refused code: no HTTP request, no WebSocket.
    let phase = 'refused codes'
    const sent: string[] = []
    erin.page.on('request', r => { sent.push(`${phase}: request ${r.url()}`) })
    erin.page.on('websocket', ws => { sent.push(`${phase}: websocket ${ws.url()}`) })
    for (const bad of ['ABCD-EFG!', '5H7M-8GQU', '5H7M-8G']) {
      await erin.submitCode(bad)
      const error = await erin.page.waitForSelector('[data-testid=code-error] [data-testid=error]')
      expect(await error.getAttribute('data-code')).to.equal('INVALID_FLASH_CODE')
      expect(await error.textContent()).to.include('Nothing was sent')
    }
    await erin.screenshot('faults', 'bad-code-refused')
    expect(await erin.page.$('[data-testid=pairing-status]')).to.equal(null)
    // A well-formed code does go out: its dial is the marker a stray one of the refused codes would
    // have preceded, and it shows that the listeners above see the page's traffic at all.
    phase = 'well-formed code'
    await erin.submitCode('0000-0000')
    expect((await erin.pairingOutcome()).errorCode).to.equal('NO_MATCHING_FLASH_CODE')
    expect(sent.filter(s => s.startsWith('refused codes'))).to.deep.equal([])
    expect(sent.some(s => s.startsWith('well-formed code: websocket')), sent.join('\n')).to.equal(true)
  })

  it('a well-formed code nobody made → "No matching Flash Code", with a way to fix the code', async () => {
    const erin = await open('Erin')
    await erin.openEnterCode()
    await erin.submitCode('0000-0000')
    const outcome = await erin.pairingOutcome()
    expect(outcome).to.include({ stage: 'error', errorCode: 'NO_MATCHING_FLASH_CODE', text: 'No matching Flash Code' })
    expect(await erin.page.$('[data-testid=pairing-edit]')).to.not.equal(null)
    await erin.screenshot('faults', 'no-matching-code')
  })

  it('relay down → a visible "Relay unreachable" with retry; relay back → retry shows a code', async () => {
    // A relay with a stable identity (data dir) on a known port, then stopped: the page keeps its address.
    const relayDir = join(dir, 'relay')
    const down = await createRelay({ dataDir: relayDir, listen: ['/ip4/127.0.0.1/tcp/0/ws'] })
    const addr = down.multiaddrs[0].toString()
    const port = addr.split('/')[4]
    await down.stop()

    const frank = await open('Frank')
    await frank.page.click('[data-testid=open-settings]')
    await frank.page.fill('[data-testid=settings-relay]', addr)
    await frank.page.click('[data-testid=settings-save]')
    await frank.page.click('[data-testid=new-secure-contact]')
    await frank.page.click('[data-testid=show-code]')
    const outcome = await frank.pairingOutcome(STEP_MS)
    expect(outcome).to.include({ stage: 'error', errorCode: 'RELAY_UNREACHABLE', text: 'Relay unreachable' })
    await frank.screenshot('faults', 'relay-unreachable')

    const up = await createRelay({ dataDir: relayDir, listen: [`/ip4/127.0.0.1/tcp/${port}/ws`] })
    try {
      await frank.page.click('[data-testid=pairing-retry]')
      await frank.page.waitForSelector('[data-testid=flash-code][data-code]')
      expect((await frank.pairingStatus()).stage).to.equal('waiting')
      await frank.page.click('[data-testid=pairing-cancel]')
    } finally {
      await up.stop()
    }
  })

  it('a relay that swaps a key (hijacked GSS) → both tabs show "Incorrect MFC" and store nothing', async () => {
    const hijacked = await startTamperingRelay({
      listen: ['/ip4/127.0.0.1/tcp/0/ws'],
      tamper: (from, msg) => from === 'creator' && msg.tempKey != null
        ? { tempKey: { share: sodium.crypto_core_ristretto255_random() as Uint8Array<ArrayBuffer> } }
        : msg
    })
    try {
      const [kim, leo] = [await open('Kim'), await open('Leo')]
      for (const p of [kim, leo]) {
        await p.page.click('[data-testid=open-settings]')
        await p.page.fill('[data-testid=settings-relay]', hijacked.multiaddrs[0].toString())
        await p.page.click('[data-testid=settings-save]')
      }
      const code = await kim.showCode()
      await leo.openEnterCode()
      await leo.submitCode(code)
      const [k, l] = await Promise.all([kim.pairingOutcome(), leo.pairingOutcome()])
      for (const outcome of [k, l]) expect(outcome).to.include({ stage: 'error', errorCode: 'INCORRECT_MFC', text: 'Incorrect MFC' })
      await leo.screenshot('faults', 'incorrect-mfc')
      expect(await kim.contacts()).to.deep.equal([])
      expect(await leo.contacts()).to.deep.equal([])
    } finally {
      await hijacked.stop()
    }
  })

  it('the creator\'s tab closes after the other side matched → the joiner shows "Your contact left", no spinner', async () => {
    const gina = await open('Gina')
    const hank = await open('Hank')
    const code = await gina.showCode()
    // Pause Gina's JavaScript (her socket to the relay stays open) so Hank is certainly
    // mid-pairing when she leaves: he is matched and waits for her half of the code check.
    const cdp = await gina.context.newCDPSession(gina.page)
    await cdp.send('Debugger.enable')
    await cdp.send('Debugger.pause')

    await hank.openEnterCode()
    await hank.submitCode(code)
    await hank.page.waitForSelector('[data-testid=pairing-status][data-stage="verifying"]')
    await hank.screenshot('faults', 'mid-pairing')

    await gina.close()
    const outcome = await hank.pairingOutcome()
    expect(outcome).to.include({ stage: 'error', errorCode: 'PEER_LEFT', text: 'Your contact left' })
    expect(await hank.page.textContent('[data-testid=error]')).to.equal('The other side left.')
    expect(await hank.page.$('[data-testid=pairing-retry]')).to.equal(null)
    await hank.screenshot('faults', 'contact-left')
  })

  it('the creator vanishes while the browser connects to it (after both verified) → "Your contact left"', async () => {
    const ivan = join(dir, 'ivan')
    expect((await runToEnd(GINI, ['--data', ivan, 'init', '--name', 'Ivan', '--relay', stack.relayTcp])).code).to.equal(0)
    const invite = run(GINI, ['--data', ivan, 'invite', '--json'])
    procs.push(invite)
    const shown = await invite.waitFor(o => o.event === 'flash-code')
    // Stop the CLI the moment it has sent its half of the offer/answer: the browser is then
    // dialing a peer that no longer answers; then the process dies (its sockets close).
    const stopped = new Promise<void>(resolve => {
      invite.child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').includes('"for":"connection"')) { invite.child.kill('SIGSTOP'); resolve() }
      })
    })
    const jane = await open('Jane')
    await jane.openEnterCode()
    await jane.submitCode(shown.code)
    await withTimeout(stopped, STEP_MS, 'the CLI reaching "waiting for connection"')
    invite.child.kill('SIGKILL')
    const outcome = await jane.pairingOutcome()
    expect(outcome).to.include({ stage: 'error', errorCode: 'PEER_LEFT', text: 'Your contact left' })
    await jane.screenshot('faults', 'creator-vanished-while-connecting')
  })
})
