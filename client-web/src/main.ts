// Boot: read the page's configuration, open this profile's IndexedDB, open the GiniNode (the same
// core the CLI runs) with the browser's libp2p, and hand over to the app shell.
import { GiniNode } from '../../peer/core/gini-node.js'
import { createPeerNode } from '../../peer/adapters/peer-libp2p.browser.js'
import { IndexedDbStorage } from '../../peer/adapters/indexeddb-storage.js'
import { App } from './app.js'
import { loadConfig } from './config.js'
import { h, replaceChildren } from './dom.js'
import { errorBox } from './views/parts.js'
import { reloadWhenRestoredElsewhere } from './views/backup.js'

async function main (): Promise<void> {
  const root = document.getElementById('app')!
  try {
    const config = await loadConfig()
    const storage = await IndexedDbStorage.open(config.dbName, () => { location.reload() })
    // Two tabs of one profile opening for the first time would each create an identity; the lock
    // makes the second one load what the first saved.
    const node = await withLock(`giniconnect-open:${config.dbName}`, async () =>
      await GiniNode.open({ storage, createPeerNode, webrtc: { iceServers: config.iceServers } }))
    const primary = await holdTabLock(config.dbName)
    if (!primary) showSameProfileBanner(config.profile)
    const app = new App(root, node, config, primary, storage, await storage.openFileTransfers())
    reloadWhenRestoredElsewhere(config.dbName)
    await app.start()
    // For automation and `npm run bench:web` (first-load time): the first view is usable now.
    performance.mark('gini-ready')
    document.body.dataset.ready = 'true'
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    replaceChildren(root, errorBox({ code: 'START_FAILED', title: 'GiniConnect could not start', detail: message, retryable: true },
      [h('button', { type: 'button', class: 'primary', onclick: () => { location.reload() } }, 'Reload')]))
    document.body.dataset.ready = 'error'
  }
}

async function withLock<T> (name: string, fn: () => Promise<T>): Promise<T> {
  if (navigator.locks == null) return await fn()
  return await navigator.locks.request(name, fn)
}

/**
 * One profile is one person: a second tab of it shares the identity and contacts, so only the
 * first tab goes online (one identity, one daemon). Resolves true in the tab that holds the lock
 * (held until the tab closes).
 */
async function holdTabLock (dbName: string): Promise<boolean> {
  if (navigator.locks == null) return true
  return await new Promise<boolean>(resolve => {
    void navigator.locks.request(`giniconnect-tab:${dbName}`, { ifAvailable: true }, async (lock) => {
      resolve(lock != null)
      if (lock != null) await new Promise<void>(() => {})
    })
  })
}

/** Pairing two tabs of one profile would pair a person with themself: say so, and how to get a second person. */
function showSameProfileBanner (profile: string): void {
  const other = profile === 'default' ? 'bob' : 'default'
  const url = new URL(location.href)
  if (other === 'default') url.searchParams.delete('profile')
  else url.searchParams.set('profile', other)
  url.hash = ''
  document.body.prepend(h('div', { class: 'banner', role: 'note', testid: 'same-profile' },
    'This profile is open in another tab, which keeps you online: both tabs are the same person. To pair two people on one computer, open ',
    h('a', { href: url.toString(), target: '_blank' }, url.toString()), '.'))
}

void main()
