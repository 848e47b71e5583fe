// Settings: the relay this profile pairs through (overrides the page's config.json), backup and
// restore, and whether the browser keeps this profile's storage (views/backup.ts).
import { multiaddr } from '@multiformats/multiaddr'
import type { App, View } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { topBar, errorBox } from './parts.js'
import { backupPart, storagePart } from './backup.js'
import { recoveryWordsPart } from './recovery.js'

export function settingsView (app: App): View {
  const current = app.relay()
  const input = h('input', {
    id: 'settings-relay',
    testid: 'settings-relay',
    autocomplete: 'off',
    spellcheck: 'false',
    autocapitalize: 'off',
    placeholder: '/ip4/127.0.0.1/tcp/4002/ws/p2p/12D3KooW…',
    value: app.relaySetting.get() ?? ''
  })
  const note = h('div', { class: 'slot' })
  const source = current.source === 'settings'
    ? 'set here'
    : current.source === 'server' ? 'from this page’s server' : 'none yet'

  const form = h('form', { class: 'card form', novalidate: true },
    h('label', { for: 'settings-relay' }, 'Relay address'),
    input,
    h('p', { class: 'hint' }, 'A multiaddr of a GiniConnect relay that browsers can reach (/ws on localhost, /tls/ws or /wss otherwise). Leave empty to use the page’s default.'),
    h('p', { class: 'hint' }, 'In use: ', h('code', { testid: 'relay-in-use' }, current.addr ?? '—'), ` (${source})`),
    note,
    h('button', { type: 'submit', class: 'primary', testid: 'settings-save' }, 'Save')
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const value = input.value.trim()
    if (value !== '') {
      try {
        const ma = multiaddr(value)
        if (!ma.toString().includes('/p2p/')) throw new Error('no peer id')
      } catch {
        replaceChildren(note, errorBox({ code: 'BAD_RELAY', title: 'Not a relay address', detail: 'Use the full multiaddr the relay printed, ending in /p2p/<peer id>.', retryable: false }))
        return
      }
    }
    const before = app.relay().addr
    app.relaySetting.set(value)
    if (app.relay().addr !== before) app.goOnline()
    app.go({ name: app.me == null ? 'profile' : 'home' })
  })

  const el = h('section', { class: 'view' },
    topBar(app, 'Settings', { name: 'home' }),
    form,
    h('p', { class: 'hint' }, 'Profile: ', h('code', {}, app.config.profile), '. Your identity and contacts stay in this browser (IndexedDB). Open ',
      h('code', {}, '?profile=<name>'), ' for a second person on the same computer.'),
    h('p', { class: 'hint' }, 'Your peer id: ', h('code', { class: 'peer-id', testid: 'my-peer-id' }, app.node.peerId.toString())),
    storagePart(),
    recoveryWordsPart(app),
    backupPart(app),
    h('p', { class: 'hint' }, 'Setting up this browser as an identity you already have? ', h('a', { href: '#/recover', testid: 'restore-words-link' }, 'Restore from recovery words'), ' (only into a profile without contacts).')
  )
  return { el }
}
