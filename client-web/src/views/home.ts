// The contact list: one row per contact with its reachability dot, and the way to a new contact.
// Re-read from storage every few seconds, so a state change written by another tab (or, later,
// a reconnection scheduler) shows without a reload.
import type { ContactRecord } from '../../../peer/core/storage.js'
import type { App, View } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { topBar, statusDot, STATE_LABELS, initials } from './parts.js'
import { unreadCount } from '../unread.js'
import { displayName } from '../../../peer/core/contact-names.js'
import type { ManualContactRecord } from '../../../peer/core/manual-contacts.js'
import { listManualContacts, manualContactRow } from './manual-contact.js'

const REFRESH_MS = 3_000

export function homeView (app: App): View {
  const list = h('ul', { class: 'contacts', testid: 'contact-list', 'aria-label': 'Contacts' })
  let shown = ''

  const render = (contacts: ContactRecord[], unread: Map<string, number>, manual: ManualContactRecord[]): void => {
    // Only touch the DOM when something changed (keeps focus and scroll position).
    const key = JSON.stringify([contacts.map(c => [c.id, c.name, c.nickname, c.blocked, c.state, app.presence.restoreOf(c.id), unread.get(c.id)]), manual.map(m => [m.id, m.vcard.length])])
    if (key === shown) return
    shown = key
    list.dataset.count = String(contacts.length)
    list.dataset.manualCount = String(manual.length)
    if (contacts.length === 0 && manual.length === 0) {
      replaceChildren(list, h('li', { class: 'empty' }, 'No contacts yet. Tap ', h('b', {}, 'New Secure Contact'), ' and pair with someone next to you or on the phone.'))
      return
    }
    replaceChildren(list, ...contacts.map(c => {
      const n = unread.get(c.id) ?? 0
      const shownName = displayName(c)
      const blocked = c.blocked === true
      // data-name stays the card's name (what tests and other tabs match on); the nickname shows.
      return h('li', { class: 'row' },
        h('a', { class: blocked ? 'contact blocked' : 'contact', href: `#/contact/${encodeURIComponent(c.id)}`, testid: 'contact-item', 'data-id': c.id, 'data-name': c.name, 'data-nickname': c.nickname, 'data-blocked': String(blocked), 'data-unread': n },
          h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(shownName)),
          h('span', { class: 'who' },
            h('span', { class: 'name' }, h('span', { class: 'shown-name', testid: 'contact-shown-name' }, shownName),
              blocked ? h('span', { class: 'tag-blocked', testid: 'contact-blocked-tag' }, 'Blocked') : null),
            h('span', { class: 'sub' }, blocked ? `blocked · ${STATE_LABELS[c.state]}` : STATE_LABELS[c.state]),
            app.presence.restoreOf(c.id) === 'keeps-failing' ? h('span', { class: 'restore-note' }, 'Restore keeps failing: pair again') : null),
          n > 0 ? h('span', { class: 'unread', testid: 'unread-count', 'aria-label': `${n} unread` }, n > 99 ? '99+' : n) : null,
          statusDot(c.state)
        ),
        h('a', { class: 'chat-open', href: `#/chat/${encodeURIComponent(c.id)}`, testid: 'open-chat', 'data-id': c.id, 'aria-label': `Chat with ${shownName}` }, 'Chat')
      )
    }), ...manual.map(manualContactRow))
  }
  const refresh = async (): Promise<void> => {
    const contacts = await app.node.contacts()
    const store = await app.node.messages()
    const unread = new Map<string, number>()
    for (const c of contacts) unread.set(c.id, unreadCount(app.config.profile, c.id, await store.list(c.id)))
    render(contacts, unread, await listManualContacts(app))
  }
  void refresh()
  const timer = setInterval(() => { void refresh() }, REFRESH_MS)

  const online = h('p', { class: 'presence', testid: 'relay-status', role: 'status' })
  const showPresence = (): void => {
    const status = app.presence.status
    online.dataset.status = status
    const retry = h('button', { type: 'button', class: 'link', testid: 'relay-retry', onclick: () => { app.goOnline() } }, 'Retry now')
    const settings = h('a', { href: '#/settings' }, 'Settings')
    switch (status) {
      case 'connecting': replaceChildren(online, 'Going online…'); break
      case 'connected': replaceChildren(online, 'Online: your contacts can reach you.'); break
      case 'unreachable': replaceChildren(online, 'Offline: cannot reach the relay. Retrying… ', retry); break
      case 'other-tab': replaceChildren(online, 'Online in your other tab.'); break
      case 'off': replaceChildren(online, app.relay().addr == null ? 'Offline: no relay set. ' : 'Offline. ', app.relay().addr == null ? settings : retry)
    }
  }
  showPresence()
  const unsubscribe = app.presence.onChange(() => { showPresence(); void refresh() })

  const el = h('section', { class: 'view' },
    topBar(app, 'GiniConnect'),
    online,
    h('a', { class: 'me', href: '#/profile', testid: 'my-card' },
      h('span', { class: 'avatar mine', 'aria-hidden': 'true' }, initials(app.me?.fn ?? '')),
      h('span', { class: 'who' }, h('span', { class: 'name' }, app.me?.fn ?? ''), h('span', { class: 'sub' }, 'My card'))
    ),
    h('button', { type: 'button', class: 'primary big', testid: 'new-secure-contact', onclick: () => { app.go({ name: 'new-contact' }) } }, '+ New Secure Contact'),
    h('button', { type: 'button', class: 'link add-manual', testid: 'add-manual-contact', onclick: () => { app.go({ name: 'new-manual' }) } }, 'Add a contact by hand (not secure)'),
    h('h2', {}, 'Contacts'),
    list,
    h('p', { class: 'legend' },
      statusLegend('online'), statusLegend('offline'), statusLegend('unreachable'), statusLegend('expired'))
  )
  return { el, dispose: () => { clearInterval(timer); unsubscribe() } }
}

function statusLegend (state: 'online' | 'offline' | 'unreachable' | 'expired'): HTMLElement {
  return h('span', {}, h('span', { class: `dot dot-${state}`, 'aria-hidden': 'true' }), STATE_LABELS[state])
}
