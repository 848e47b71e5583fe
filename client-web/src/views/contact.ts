// A contact's card: the vCard they sent when pairing (verified, §7), their reachability, the
// details a careful user may want to compare (peer id, safety number) and the local edits (§19).
import { mailtoUri, parseVCard, photoDataUri, type ParsedVCard } from '../../../protocols/contact/index.js'
import { describeReachability } from '../../../peer/core/daemon/reachability.js'
import type { App, View } from '../app.js'
import { h } from '../dom.js'
import { topBar, statusDot, initials, errorBox } from './parts.js'
import { safetyNumberPart } from './safety.js'
import { contactManagePart } from './contact-manage.js'
import { keyChangeText } from '../../../peer/core/pairing/describe.js'
import type { ContactRecord } from '../../../peer/core/storage.js'

export async function contactView (app: App, id: string): Promise<View> {
  const contact = await app.node.findContact(id)
  if (contact == null) {
    return {
      el: h('section', { class: 'view' }, topBar(app, 'Contact', { name: 'home' }),
        errorBox({ code: 'NO_CONTACT', title: 'No such contact', detail: 'It may have been paired in another profile.', retryable: false }))
    }
  }
  let card: ParsedVCard | undefined
  try {
    card = parseVCard(contact.vcard)
  } catch {
    card = undefined
  }
  const rows: Array<[string, HTMLElement | string]> = []
  if (card?.email != null) rows.push(['Email', h('a', { href: mailtoUri(card.email) }, card.email)])
  if (card?.phone != null) rows.push(['Phone', h('a', { href: `tel:${card.phone.replace(/[^0-9+]/g, '')}` }, card.phone)])
  rows.push(['Status', h('span', { class: 'state', title: describeReachability(contact.state, app.presence.restoreOf(contact.id)) },
    statusDot(contact.state), describeReachability(contact.state, app.presence.restoreOf(contact.id)))])
  rows.push(['Paired', new Date(contact.pairedAtMs).toLocaleString()])
  rows.push(['Last seen', new Date(contact.lastSeenMs).toLocaleString()])
  rows.push(['Peer id', h('code', { class: 'peer-id' }, contact.id)])

  const el = h('section', { class: 'view' },
    topBar(app, 'Contact', { name: 'home' }),
    h('div', { class: 'card vcard', testid: 'contact-card', 'data-id': contact.id },
      card?.photo != null
        ? h('img', { class: 'avatar large photo', testid: 'contact-photo', src: photoDataUri(card.photo), alt: `Photo of ${card.fn}` })
        : h('span', { class: 'avatar large', 'aria-hidden': 'true' }, initials(contact.name)),
      h('h2', { testid: 'contact-name' }, contact.nickname ?? card?.fn ?? contact.name),
      contact.nickname != null ? h('p', { class: 'hint', testid: 'contact-card-name' }, `Their card says: ${card?.fn ?? contact.name}`) : null,
      contact.blocked === true ? h('p', { class: 'blocked-note', testid: 'contact-blocked' }, 'Blocked') : null,
      contact.keyChange != null ? keyChangePart(app, contact) : null,
      h('button', { type: 'button', class: 'primary big', testid: 'open-chat', onclick: () => { app.go({ name: 'chat', id: contact.id }) } }, 'Message'),
      h('dl', {}, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      safetyNumberPart(app, contact),
      contactManagePart(app, contact),
      h('details', {}, h('summary', {}, 'vCard as received'), h('pre', { testid: 'contact-vcard' }, contact.vcard))
    )
  )
  return { el }
}

/** docs/protocol.md §18.1: a re-pairing brought a new permanent key; nothing changes until the user answers. */
function keyChangePart (app: App, contact: ContactRecord): HTMLElement {
  const problem = h('p', { class: 'hint', role: 'alert' })
  const answer = (accept: boolean) => async (): Promise<void> => {
    try {
      await (accept ? app.node.acceptKeyChange(contact.id) : app.node.rejectKeyChange(contact.id))
      app.go({ name: 'contact', id: contact.id })
    } catch (err) {
      problem.textContent = (err as Error).message
    }
  }
  return h('div', { class: 'card warning', role: 'alert', testid: 'key-change-warning' },
    h('p', {}, keyChangeText(contact)),
    h('button', { type: 'button', testid: 'key-change-accept', onclick: answer(true) }, 'Accept the new key'),
    h('button', { type: 'button', testid: 'key-change-reject', onclick: answer(false) }, 'Keep the old key'),
    problem)
}
