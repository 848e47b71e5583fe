// The safety number on a contact's card (docs/protocol.md §18): 60 digits both contacts see when
// each holds the other's real keys, compared in person or on a call, then marked verified.
import { formatSafetyNumber } from '../../../protocols/crypto/index.js'
import type { ContactRecord } from '../../../peer/core/storage.js'
import type { App } from '../app.js'
import { h, replaceChildren } from '../dom.js'

export function safetyNumberPart (app: App, contact: ContactRecord): HTMLElement {
  const number = app.node.safetyNumber(contact)
  const groups = formatSafetyNumber(number).split(' ')
  const status = h('div', { class: 'safety-status', testid: 'safety-status' })
  const showStatus = (verified: boolean, problem?: string): void => {
    replaceChildren(status,
      verified
        ? h('p', { class: 'safety-verified', testid: 'safety-verified' }, '✓ Verified: you compared these numbers with this contact.')
        : h('button', {
          type: 'button',
          testid: 'mark-verified',
          onclick: async () => {
            try {
              await app.node.markVerified(contact.id, number)
              showStatus(true)
            } catch (err) {
              showStatus(false, (err as Error).message)
            }
          }
        }, 'The numbers match: mark verified'),
      problem != null ? h('p', { class: 'hint', role: 'alert' }, problem) : null)
  }
  showStatus(contact.verified != null)
  return h('section', { class: 'safety', testid: 'safety' },
    h('h3', {}, 'Safety number'),
    h('p', { class: 'safety-number', testid: 'safety-number', 'data-number': number },
      ...[0, 4, 8].map(i => h('span', { class: 'safety-row' }, groups.slice(i, i + 4).join(' ')))),
    h('p', { class: 'hint' }, `Compare it with the one ${contact.name} sees on their contact card for you, in person or on a call. If every digit is the same, nobody stands between you.`),
    status)
}
