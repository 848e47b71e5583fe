// Small pieces shared by the views: the top bar, the reachability dot, an error box.
import type { ReachabilityState } from '../../../peer/core/storage.js'
import type { App, Route } from '../app.js'
import { h } from '../dom.js'
import type { ShownError } from '../words.js'

export function topBar (app: App, title: string, back?: Route): HTMLElement {
  return h('header', { class: 'bar' },
    back != null
      ? h('button', { class: 'back', type: 'button', 'aria-label': 'Back', testid: 'back', onclick: () => { app.go(back) } }, '‹')
      : h('span', { class: 'logo', 'aria-hidden': 'true' }, 'G'),
    h('h1', {}, title),
    back == null
      ? h('button', { class: 'icon', type: 'button', 'aria-label': 'Settings', testid: 'open-settings', onclick: () => { app.go({ name: 'settings' }) } }, '⚙')
      : h('span', { class: 'spacer' })
  )
}

export const STATE_LABELS: Record<ReachabilityState, string> = {
  online: 'online',
  offline: 'offline',
  unreachable: 'unreachable',
  expired: 'expired'
}

/** Green online, grey offline, dark orange unreachable, hollow for expired (docs/protocol.md §9.5). */
export function statusDot (state: ReachabilityState): HTMLElement {
  return h('span', { class: `dot dot-${state}`, testid: 'contact-status', 'data-state': state, title: STATE_LABELS[state], role: 'img', 'aria-label': STATE_LABELS[state] })
}

export function errorBox (err: ShownError, actions: HTMLElement[] = []): HTMLElement {
  return h('div', { class: 'error', role: 'alert', testid: 'error', 'data-code': err.code },
    h('strong', {}, err.title),
    h('p', {}, err.detail),
    actions.length > 0 ? h('div', { class: 'actions' }, ...actions) : null
  )
}

export function initials (name: string): string {
  const parts = name.trim().split(/\s+/).filter(p => p !== '')
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts
  return letters.map(p => Array.from(p)[0] ?? '').join('').toUpperCase() || '?'
}
