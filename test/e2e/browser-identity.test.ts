// The web client's identity and manual contacts, in real Chromium with real IndexedDB: the 24
// recovery words of docs/protocol.md §20.2 shown in Settings recreate the same peer id in a fresh
// browser profile (and in `gini restore --mnemonic`); a wrong word or checksum is refused by name;
// a contact entered by hand (§19) is listed marked, has no chat, and can be deleted.
import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { launchChromium, startWebStack, WebPeer, PHONE_VIEWPORT, type WebStack } from '../helpers/browser.js'
import { run, GINI } from '../helpers/processes.js'
import { MnemonicError, mnemonicToBytes } from '../../protocols/crypto/index.js'

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

/** `words` with the last word replaced so that every word is on the list but the checksum fails. */
function badChecksum (words: string[]): string[] {
  for (const candidate of ['abandon', 'ability', 'able', 'about', 'above', 'absent', 'absorb', 'abstract', 'absurd', 'abuse']) {
    const tried = [...words.slice(0, 23), candidate]
    try {
      mnemonicToBytes(tried)
    } catch (err) {
      if (err instanceof MnemonicError && err.position == null) return tried
    }
  }
  throw new Error('no failing checksum among 10 candidates')
}

describe('web client in Chromium: recovery words and manual contacts', function () {
  this.timeout(180_000)
  let stack: WebStack
  let browser: Browser
  let dir: string
  const peers: WebPeer[] = []
  let words: string[] = []
  let peerId = ''
  let restored: WebPeer

  const peerIdIn = async (peer: WebPeer): Promise<string> => {
    await peer.page.goto(peer.page.url().replace(/#.*$/, '') + '#/settings')
    return (await peer.page.textContent('[data-testid=my-peer-id]')) ?? ''
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-browser-identity-'))
    stack = await startWebStack()
    browser = await launchChromium()
  })
  after(async () => {
    for (const p of peers) await p.close()
    await browser?.close()
    await stack?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  it('Settings shows the 24 words only behind the button and a warning; `gini restore --mnemonic` makes the same peer id of them', async () => {
    const alice = await WebPeer.open(browser, 'Alice', stack.web.url)
    peers.push(alice)
    await alice.createProfile('Alice')
    peerId = await peerIdIn(alice)
    expect(peerId).to.match(/^12D3KooW/)
    expect(await alice.page.$('[data-testid=recovery-word]')).to.equal(null)
    await alice.page.click('[data-testid=show-recovery-words]')
    await alice.page.waitForSelector('[data-testid=recovery-words-shown][data-kind=root]')
    words = await alice.page.$$eval('[data-testid=recovery-words] [data-testid=recovery-word]', els => els.map(e => e.textContent ?? ''))
    expect(words).to.have.length(24)
    expect(await alice.page.textContent('[data-testid=recovery-words-shown]')).to.include('Anyone who reads these words can become you')
    await alice.screenshot('identity', 'recovery-words')
    await alice.page.click('[data-testid=hide-recovery-words]')
    expect(await alice.page.$('[data-testid=recovery-word]')).to.equal(null)

    const cli = join(dir, 'cli')
    const restore = run(GINI, ['--data', cli, 'restore', '--mnemonic', '--json'], { GINI_MNEMONIC: words.join(' ') })
    expect(await restore.waitFor(o => o.peerId != null)).to.include({ peerId, recovery: 'root' })
    expect(await restore.exited).to.equal(0)
    expect(alice.problems, alice.problems.join('\n')).to.deep.equal([])
  })

  it('a fresh browser profile: a misspelt word and a failed checksum are refused by name, nothing changes; the right words → the same peer id', async () => {
    restored = await WebPeer.open(browser, 'Restored', stack.web.url)
    peers.push(restored)
    const page = restored.page
    const fresh = await peerIdIn(restored) // the identity a new profile makes on first open
    expect(fresh).to.match(/^12D3KooW/).and.not.equal(peerId)
    await page.click('[data-testid=restore-words-link]')
    await page.waitForSelector('[data-testid=recover-words]')

    const misspelt = [...words]
    misspelt[4] = 'xyzzy'
    await page.fill('[data-testid=recover-words]', misspelt.join(' '))
    await page.click('[data-testid=recover-submit]')
    await page.waitForSelector('[data-testid=recover-status] [data-testid=error][data-code=BAD_RECOVERY_WORD]')
    const wordError = await page.textContent('[data-testid=recover-status]')
    expect(wordError).to.include('Word 5').and.to.include('Nothing was changed').and.not.include('xyzzy')
    await restored.screenshot('identity', 'wrong-word')

    await page.fill('[data-testid=recover-words]', badChecksum(words).join(' '))
    await page.click('[data-testid=recover-submit]')
    await page.waitForSelector('[data-testid=recover-status] [data-testid=error][data-code=BAD_RECOVERY_CHECKSUM]')
    expect(await page.textContent('[data-testid=recover-status]')).to.include('checksum')
    expect(await peerIdIn(restored)).to.equal(fresh)
    await page.click('[data-testid=restore-words-link]')
    await page.waitForSelector('[data-testid=recover-words]')

    // Numbered, with commas and capitals, as someone might copy them from paper.
    await page.fill('[data-testid=recover-words]', words.map((w, i) => `${i + 1}. ${i % 3 === 0 ? w.toUpperCase() : w},`).join('\n'))
    await Promise.all([page.waitForEvent('load'), page.click('[data-testid=recover-submit]')])
    await page.waitForSelector('body[data-ready="true"]')
    await restored.createProfile('Alice')
    expect(await peerIdIn(restored)).to.equal(peerId)
    await restored.screenshot('identity', 'restored-peer-id')
    expect(restored.problems, restored.problems.join('\n')).to.deep.equal([])
  })

  it('a contact added by hand is listed marked "Not secure · not synced", has no chat, survives a reload, goes into the backup `gini restore` opens, and can be deleted', async () => {
    const page = restored.page
    await restored.contacts()
    await page.click('[data-testid=add-manual-contact]')
    await page.fill('[data-testid=manual-name]', 'Dora Shop')
    await page.setInputFiles('[data-testid=manual-photo]', { name: 'dora.png', mimeType: 'image/png', buffer: PNG })
    await page.waitForSelector('[data-testid=manual-photo-remove]')
    await page.fill('[data-testid=manual-address]', '1 Market Street, Springfield')
    await page.fill('[data-testid=manual-payment]', 'payto://iban/DE75512108001245126199')
    await page.click('[data-testid=manual-save]')
    await page.waitForSelector('[data-testid=manual-contact-card]')
    expect(await page.textContent('[data-testid=manual-contact-name]')).to.equal('Dora Shop')
    expect(await page.textContent('[data-testid=manual-contact-mark]')).to.include('Not secure · not synced')
    expect(await page.textContent('[data-testid=manual-contact-card]')).to.include('1 Market Street, Springfield').and.to.include('payto://iban/DE75512108001245126199')
    expect(await page.$('[data-testid=manual-contact-photo]')).to.not.equal(null)
    expect(await page.$('[data-testid=open-chat]')).to.equal(null)
    expect(await page.$('[data-testid=chat-input]')).to.equal(null)
    await restored.screenshot('identity', 'manual-contact-card')

    await restored.reload()
    await restored.contacts()
    const item = '[data-testid=manual-contact-item][data-name="Dora Shop"]'
    await page.waitForSelector(item)
    expect(await page.textContent(`${item} [data-testid=manual-contact-tag]`)).to.equal('Not secure · not synced')
    expect(await page.$$('[data-testid=open-chat]')).to.have.length(0)
    expect(await restored.contacts()).to.deep.equal([]) // not among the paired contacts
    await restored.screenshot('identity', 'manual-contact-listed')

    // A chat route for its id is no chat either.
    const id = (await page.getAttribute(item, 'data-id'))!
    expect(id).to.match(/^m[0-9a-f]{20}$/)
    await page.goto(page.url().replace(/#.*$/, '') + `#/chat/${id}`)
    await page.waitForSelector('[data-testid=error]')
    expect(await page.$('[data-testid=chat-input]')).to.equal(null)

    // The browser's backup carries it (§19, §20.1): `gini restore` of that file lists it as manual.
    await page.goto(page.url().replace(/#.*$/, '') + '#/settings')
    await page.fill('[data-testid=backup-pass]', 'correct horse battery staple')
    await page.fill('[data-testid=backup-pass-again]', 'correct horse battery staple')
    const download = page.waitForEvent('download', { timeout: 60_000 })
    await page.click('[data-testid=backup-export]')
    const file = join(dir, 'with-manual.gini-backup')
    await (await download).saveAs(file)
    const env = { GINI_PASSPHRASE: 'correct horse battery staple' }
    const fromBackup = run(GINI, ['--data', join(dir, 'from-backup'), 'restore', file, '--json'], env)
    expect(await fromBackup.waitFor(o => o.peerId != null, 60_000)).to.include({ peerId, contacts: 0 })
    expect(await fromBackup.exited).to.equal(0)
    const listed = run(GINI, ['--data', join(dir, 'from-backup'), 'contacts', '--json'])
    expect(await listed.waitFor(o => Array.isArray(o))).to.deep.equal([{
      kind: 'manual', id, name: 'Dora Shop', email: null, tel: null, address: '1 Market Street, Springfield', payment: 'payto://iban/DE75512108001245126199', photo: true
    }])
    expect(await listed.exited).to.equal(0)

    await page.goto(page.url().replace(/#.*$/, '') + `#/manual/${id}`)
    await page.click('[data-testid=manual-delete]')
    await page.click('[data-testid=manual-delete-yes]')
    await page.waitForSelector('[data-testid=contact-list][data-manual-count="0"]')
    expect(await page.$(item)).to.equal(null)
    expect(restored.problems, restored.problems.join('\n')).to.deep.equal([])
  })

  it('a profile database of version 1 (before manual contacts) opens: its card is kept and a contact can be added by hand', async () => {
    // The page's origin without the app (config.json), so version 1 is written before the app opens it.
    const context = await browser.newContext({ viewport: PHONE_VIEWPORT })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', err => { problems.push(err.message) })
    await page.goto(`${stack.web.url.replace(/\/$/, '')}/config.json`)
    await page.evaluate(async () => await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open('giniconnect-old', 1)
      req.onupgradeneeded = () => {
        const db = req.result
        db.createObjectStore('identity')
        db.createObjectStore('profile')
        db.createObjectStore('contacts', { keyPath: 'id' })
        db.createObjectStore('nodeState')
      }
      req.onerror = () => { reject(req.error) }
      req.onsuccess = () => {
        const tx = req.result.transaction('profile', 'readwrite')
        tx.objectStore('profile').put({ vcard: 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Old Timer\r\nEND:VCARD\r\n' }, 'self')
        tx.oncomplete = () => { req.result.close(); resolve() }
        tx.onerror = () => { reject(tx.error) }
      }
    }))
    await page.goto(`${stack.web.url.replace(/\/$/, '')}/?profile=old`)
    await page.waitForSelector('body[data-ready="true"]')
    expect(await page.textContent('[data-testid=my-card]')).to.include('Old Timer')
    await page.click('[data-testid=add-manual-contact]')
    await page.fill('[data-testid=manual-name]', 'Eve Plumber')
    await page.click('[data-testid=manual-save]')
    await page.waitForSelector('[data-testid=manual-contact-mark]')
    await page.goto(`${stack.web.url.replace(/\/$/, '')}/?profile=old#/`)
    await page.waitForSelector('[data-testid=manual-contact-item][data-name="Eve Plumber"]')
    const version = await page.evaluate(async () => await new Promise<number>((resolve) => {
      const req = indexedDB.open('giniconnect-old')
      req.onsuccess = () => { resolve(req.result.version); req.result.close() }
    }))
    expect(version).to.equal(2)
    expect(problems, problems.join('\n')).to.deep.equal([])
    await context.close()
  })
})
