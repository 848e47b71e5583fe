// The app shell: one GiniNode, the relay choice, and hash routes (so a reload stays on the view,
// and the phone's back button works). Each view is a function returning its element and a cleanup.
import type { GiniNode } from '../../peer/core/gini-node.js'
import type { GiniStorage } from '../../peer/core/storage.js'
import type { IndexedDbFileTransferStorage } from '../../peer/adapters/indexeddb-file-transfer-storage.js'
import type { ParsedVCard } from '../../protocols/contact/index.js'
import { RelaySetting, type ClientConfig } from './config.js'
import { Presence } from './presence.js'
import { replaceChildren } from './dom.js'
import { homeView } from './views/home.js'
import { profileView } from './views/profile.js'
import { newContactView } from './views/new-contact.js'
import { contactView } from './views/contact.js'
import { chatView } from './views/chat.js'
import { settingsView } from './views/settings.js'
import { recoverView } from './views/recovery.js'
import { manualContactDetailView, newManualContactView } from './views/manual-contact.js'

export interface View {
  el: HTMLElement
  dispose?: () => void
}

export type Route =
  | { name: 'home' }
  | { name: 'profile' }
  | { name: 'new-contact' }
  | { name: 'contact', id: string }
  | { name: 'chat', id: string }
  | { name: 'settings' }
  | { name: 'recover' }
  | { name: 'new-manual' }
  | { name: 'manual', id: string }

export interface RelayChoice {
  addr?: string
  source: 'settings' | 'server' | 'none'
}

export class App {
  readonly root: HTMLElement
  readonly node: GiniNode
  /** The node's storage, for backup export and import (views/backup.ts). */
  readonly storage: GiniStorage
  readonly config: ClientConfig
  readonly relaySetting: RelaySetting
  readonly presence: Presence
  /** File transfers' records, received chunks and offered files (docs/protocol.md §17). */
  readonly files: IndexedDbFileTransferStorage
  me?: ParsedVCard
  private current?: View

  /** `primary`: this tab is the one of its profile that goes online (see main.ts). */
  constructor (root: HTMLElement, node: GiniNode, config: ClientConfig, primary: boolean, storage: GiniStorage, files: IndexedDbFileTransferStorage) {
    this.root = root
    this.node = node
    this.storage = storage
    this.config = config
    this.files = files
    this.relaySetting = new RelaySetting(config.profile)
    this.presence = new Presence(node, primary, config.mailbox, config.files)
  }

  async start (): Promise<void> {
    this.me = await this.node.profile()
    addEventListener('hashchange', () => { void this.render() })
    // Closing the tab drops the sockets anyway; stopping first marks online contacts as seen now.
    addEventListener('pagehide', () => { void this.presence.stop() })
    await this.render()
    this.goOnline()
  }

  /** Goes online (or moves) once there is a card and a relay; call after either changes. */
  goOnline (): void {
    const relay = this.relay().addr
    if (this.me == null) return
    if (relay == null) void this.presence.stop()
    else this.presence.start(relay)
  }

  /** Settings win over the page's config.json. */
  relay (): RelayChoice {
    const chosen = this.relaySetting.get()
    if (chosen != null) return { addr: chosen, source: 'settings' }
    if (this.config.served.relay != null) return { addr: this.config.served.relay, source: 'server' }
    return { source: 'none' }
  }

  go (route: Route): void {
    const hash = routeToHash(route)
    if (location.hash === hash) void this.render()
    else location.hash = hash
  }

  private async render (): Promise<void> {
    let route = hashToRoute(location.hash)
    // First run: nothing works without the user's own card.
    if (this.me == null && route.name !== 'settings' && route.name !== 'recover') route = { name: 'profile' }
    const view = await this.build(route)
    this.current?.dispose?.()
    this.current = view
    replaceChildren(this.root, view.el)
    this.root.dataset.view = route.name
    scrollTo(0, 0)
  }

  private async build (route: Route): Promise<View> {
    switch (route.name) {
      case 'home': return homeView(this)
      case 'profile': return profileView(this)
      case 'new-contact': return newContactView(this)
      case 'contact': return await contactView(this, route.id)
      case 'chat': return await chatView(this, route.id)
      case 'settings': return settingsView(this)
      case 'recover': return recoverView(this)
      case 'new-manual': return newManualContactView(this)
      case 'manual': return await manualContactDetailView(this, route.id)
    }
  }
}

export function routeToHash (route: Route): string {
  switch (route.name) {
    case 'home': return '#/'
    case 'contact': return `#/contact/${encodeURIComponent(route.id)}`
    case 'chat': return `#/chat/${encodeURIComponent(route.id)}`
    case 'manual': return `#/manual/${encodeURIComponent(route.id)}`
    default: return `#/${route.name}`
  }
}

function hashToRoute (hash: string): Route {
  const path = hash.replace(/^#\/?/, '')
  if (path.startsWith('contact/')) return { name: 'contact', id: decodeURIComponent(path.slice('contact/'.length)) }
  if (path.startsWith('chat/')) return { name: 'chat', id: decodeURIComponent(path.slice('chat/'.length)) }
  if (path.startsWith('manual/')) return { name: 'manual', id: decodeURIComponent(path.slice('manual/'.length)) }
  if (path === 'profile' || path === 'new-contact' || path === 'settings' || path === 'recover' || path === 'new-manual') return { name: path }
  return { name: 'home' }
}
