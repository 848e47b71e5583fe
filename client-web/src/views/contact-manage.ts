// The local edits of a contact (docs/protocol.md §19), as `gini contact rename/block/unblock/delete`
// does them (peer/cli/contacts.ts): a nickname only this device knows, blocking (streams refused,
// never dialled) and deletion (record and secrets; chat history stays), which asks first.
import { displayName } from '../../../peer/core/contact-names.js'
import type { ContactRecord } from '../../../peer/core/storage.js'
import type { App } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { errorBox } from './parts.js'
import { describeError } from '../words.js'

/** As `gini contact rename` allows. */
export const NICKNAME_MAX_CHARS = 64

export function contactManagePart (app: App, contact: ContactRecord): HTMLElement {
  const route = { name: 'contact' as const, id: contact.id }
  const problem = h('div', { class: 'slot' })
  const fail = (err: unknown): void => { replaceChildren(problem, errorBox(describeError(err))) }

  const nickname = h('input', {
    id: 'contact-nickname',
    testid: 'contact-nickname',
    autocomplete: 'off',
    maxlength: NICKNAME_MAX_CHARS,
    placeholder: contact.name,
    value: contact.nickname ?? ''
  })
  const rename = h('form', { class: 'row-form', novalidate: true },
    nickname,
    h('button', { type: 'submit', testid: 'contact-rename' }, 'Save'))
  rename.addEventListener('submit', (event) => {
    event.preventDefault()
    void (async () => {
      replaceChildren(problem)
      const nick = nickname.value.trim()
      if ([...nick].length > NICKNAME_MAX_CHARS) {
        replaceChildren(problem, errorBox({ code: 'NICKNAME_TOO_LONG', title: 'That nickname is too long', detail: `A nickname is at most ${NICKNAME_MAX_CHARS} characters.`, retryable: false }))
        return
      }
      try {
        await app.node.renameContact(contact.id, nick)
        app.go(route)
      } catch (err) { fail(err) }
    })()
  })

  const blocked = contact.blocked === true
  const block = h('button', {
    type: 'button',
    class: blocked ? '' : 'danger',
    testid: blocked ? 'contact-unblock' : 'contact-block',
    onclick: async () => {
      replaceChildren(problem)
      try {
        await app.node.setContactBlocked(contact.id, !blocked)
        app.go(route)
      } catch (err) { fail(err) }
    }
  }, blocked ? 'Unblock' : 'Block')

  const confirmSlot = h('div', { class: 'slot' })
  const askDelete = h('button', {
    type: 'button',
    class: 'danger',
    testid: 'contact-delete',
    onclick: () => {
      askDelete.disabled = true
      replaceChildren(confirmSlot, h('div', { class: 'confirm', role: 'alertdialog', testid: 'contact-delete-confirm', 'aria-label': 'Delete this contact?' },
        h('p', {}, h('strong', {}, `Delete ${displayName(contact)}?`), ' Your messages with them stay on this device, but this cannot be undone: pairing again is the only way back.'),
        h('div', { class: 'actions' },
          h('button', {
            type: 'button',
            class: 'primary danger',
            testid: 'contact-delete-yes',
            onclick: async () => {
              try {
                await app.node.deleteContact(contact.id)
                app.go({ name: 'home' })
              } catch (err) { fail(err) }
            }
          }, 'Delete'),
          h('button', { type: 'button', testid: 'contact-delete-no', onclick: () => { replaceChildren(confirmSlot); askDelete.disabled = false } }, 'Cancel'))))
    }
  }, 'Delete contact')

  return h('section', { class: 'manage', testid: 'contact-manage' },
    h('h3', {}, 'On this device'),
    h('label', { for: 'contact-nickname' }, 'Nickname ', h('span', { class: 'optional' }, '(only you see it; empty for their own name)')),
    rename,
    h('p', { class: 'hint' }, blocked
      ? 'Blocked: their messages, files and connections are refused and they are not dialled.'
      : 'Blocking refuses their messages, files and connections, and stops dialling them. You can unblock later.'),
    h('div', { class: 'actions' }, block, askDelete),
    confirmSlot,
    problem)
}
