// Manual contacts (docs/protocol.md §19, peer/core/manual-contacts.ts, as `gini contact add
// --manual`): a card typed in by hand and kept in this profile's IndexedDB. Nobody proved it, it is
// never synced, and nothing is ever sent to it: no chat, no files, no safety number; only shown and deleted.
import { buildManualVCard, manualContactView as fieldsOf, newManualContactId, type ManualContactRecord } from '../../../peer/core/manual-contacts.js'
import { parseVCard, photoDataUri } from '../../../protocols/contact/index.js'
import type { App, View } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { errorBox, initials, topBar } from './parts.js'
import { photoField } from './photo-field.js'
import { describeError } from '../words.js'

export const MANUAL_MARK = 'Not secure · not synced'

/** This profile's manual contacts, by name. */
export async function listManualContacts (app: App): Promise<ManualContactRecord[]> {
  const all = await app.storage.listManualContacts?.() ?? []
  return all.map(r => ({ r, name: fieldsOf(r).name })).sort((a, b) => a.name.localeCompare(b.name)).map(x => x.r)
}

/** One row of the home list: marked, and without the chat link or status dot of a paired contact. */
export function manualContactRow (r: ManualContactRecord): HTMLElement {
  const name = fieldsOf(r).name
  return h('li', { class: 'row manual' },
    h('a', { class: 'contact manual', href: `#/manual/${encodeURIComponent(r.id)}`, testid: 'manual-contact-item', 'data-id': r.id, 'data-name': name },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(name)),
      h('span', { class: 'who' },
        h('span', { class: 'name' }, h('span', { class: 'shown-name' }, name)),
        h('span', { class: 'sub' }, h('span', { class: 'tag-manual', testid: 'manual-contact-tag' }, MANUAL_MARK), ' entered by hand'))))
}

function textInput (id: string, attrs: Record<string, string | number> = {}): HTMLInputElement {
  return h('input', { id, testid: id, autocomplete: 'off', maxlength: 500, ...attrs })
}

export function newManualContactView (app: App): View {
  const name = textInput('manual-name', { maxlength: 200 })
  const email = textInput('manual-email', { type: 'email', maxlength: 200 })
  const phone = textInput('manual-phone', { type: 'tel', maxlength: 50 })
  const address = textInput('manual-address')
  const payment = textInput('manual-payment', { placeholder: 'IBAN or payto: URI' })
  const problem = h('div', { class: 'slot' })
  const photo = photoField('manual-photo', 'Their photo', problem)
  const save = h('button', { type: 'submit', class: 'primary', testid: 'manual-save' }, 'Add contact')
  const optional = (): HTMLElement => h('span', { class: 'optional' }, '(optional)')
  const form = h('form', { class: 'card form', novalidate: true },
    h('label', { for: 'manual-name' }, 'Name'), name,
    h('label', { for: 'manual-photo' }, 'Picture ', optional()), photo.input, photo.preview,
    h('label', { for: 'manual-address' }, 'Address ', optional()), address,
    h('label', { for: 'manual-payment' }, 'Payment address ', optional()), payment,
    h('label', { for: 'manual-email' }, 'Email ', optional()), email,
    h('label', { for: 'manual-phone' }, 'Phone ', optional()), phone,
    problem, save)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void (async () => {
      replaceChildren(problem)
      if (name.value.trim() === '') {
        replaceChildren(problem, errorBox({ code: 'NO_NAME', title: 'The name is missing', detail: 'Enter the name this contact goes by.', retryable: false }))
        name.focus()
        return
      }
      if (app.storage.putManualContact == null) {
        replaceChildren(problem, errorBox({ code: 'UNSUPPORTED', title: 'Not available here', detail: 'This storage cannot keep contacts entered by hand.', retryable: false }))
        return
      }
      let vcard: string
      try {
        vcard = buildManualVCard({ name: name.value, email: email.value, tel: phone.value, address: address.value, payment: payment.value, photo: photo.value() }, Date.now())
      } catch (err) {
        replaceChildren(problem, errorBox({ code: 'BAD_CARD', title: 'That cannot be saved', detail: `${(err as Error).message}. Nothing was saved.`, retryable: false }))
        return
      }
      save.disabled = true
      try {
        const id = newManualContactId()
        await app.storage.putManualContact({ id, vcard })
        app.go({ name: 'manual', id })
      } catch (err) {
        replaceChildren(problem, errorBox(describeError(err)))
      } finally {
        save.disabled = false
      }
    })()
  })
  const el = h('section', { class: 'view' },
    topBar(app, 'Add a contact by hand', { name: 'home' }),
    h('p', { class: 'intro' }, 'For someone you do not pair with: their card stays on this device only. It is not secure (nobody proves it is theirs) and not synced, and you cannot chat or send files with it. To talk, use New Secure Contact instead.'),
    form)
  queueMicrotask(() => { name.focus() })
  return { el }
}

export async function manualContactDetailView (app: App, id: string): Promise<View> {
  const record = (await app.storage.listManualContacts?.() ?? []).find(r => r.id === id)
  if (record == null) {
    return {
      el: h('section', { class: 'view' }, topBar(app, 'Contact', { name: 'home' }),
        errorBox({ code: 'NO_CONTACT', title: 'No such contact', detail: 'It may have been deleted, or entered in another profile.', retryable: false }))
    }
  }
  const f = fieldsOf(record)
  const picture = parseVCard(record.vcard).photo
  const rows: Array<[string, string]> = []
  if (f.address != null) rows.push(['Address', f.address])
  if (f.payment != null) rows.push(['Payment address', f.payment])
  if (f.email != null) rows.push(['Email', f.email])
  if (f.tel != null) rows.push(['Phone', f.tel])

  const problem = h('div', { class: 'slot' })
  const confirmSlot = h('div', { class: 'slot' })
  const askDelete = h('button', {
    type: 'button',
    class: 'danger',
    testid: 'manual-delete',
    onclick: () => {
      askDelete.disabled = true
      replaceChildren(confirmSlot, h('div', { class: 'confirm', role: 'alertdialog', testid: 'manual-delete-confirm', 'aria-label': 'Delete this contact?' },
        h('p', {}, h('strong', {}, `Delete ${f.name}?`), ' The card you typed in is removed from this device.'),
        h('div', { class: 'actions' },
          h('button', {
            type: 'button',
            class: 'primary danger',
            testid: 'manual-delete-yes',
            onclick: async () => {
              try {
                await app.storage.deleteManualContact?.(record.id)
                app.go({ name: 'home' })
              } catch (err) { replaceChildren(problem, errorBox(describeError(err))) }
            }
          }, 'Delete'),
          h('button', { type: 'button', testid: 'manual-delete-no', onclick: () => { replaceChildren(confirmSlot); askDelete.disabled = false } }, 'Cancel'))))
    }
  }, 'Delete contact')

  const el = h('section', { class: 'view' },
    topBar(app, 'Contact', { name: 'home' }),
    h('div', { class: 'card vcard manual', testid: 'manual-contact-card', 'data-id': record.id },
      picture != null
        ? h('img', { class: 'avatar large photo', testid: 'manual-contact-photo', src: photoDataUri(picture), alt: `Photo of ${f.name}` })
        : h('span', { class: 'avatar large', 'aria-hidden': 'true' }, initials(f.name)),
      h('h2', { testid: 'manual-contact-name' }, f.name),
      h('p', { class: 'manual-note', role: 'note', testid: 'manual-contact-mark' }, h('strong', {}, `${MANUAL_MARK}. `),
        'You entered this card by hand: nobody proved it belongs to them, it stays on this device, and nothing is ever sent to it (no messages, no files). Pair with them to talk securely.'),
      h('dl', {}, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      h('div', { class: 'actions' }, askDelete),
      confirmSlot,
      problem,
      h('details', {}, h('summary', {}, 'vCard'), h('pre', { testid: 'manual-contact-vcard' }, record.vcard))))
  return { el }
}
