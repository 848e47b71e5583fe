// The user's own card (first run, or "edit my card"): name, optional email and phone → a vCard 4.0
// that contacts receive when pairing.
import type { App, View } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { topBar, errorBox } from './parts.js'
import { describeError } from '../words.js'
import { askPersistentStorage } from './backup.js'
import { PROFILE_PHOTO_MAX_BYTES } from '../../../protocols/contact/index.js'
import { photoField } from './photo-field.js'

export function profileView (app: App): View {
  const firstRun = app.me == null
  const name = h('input', { id: 'profile-name', testid: 'profile-name', name: 'name', autocomplete: 'name', required: true, maxlength: 200, value: app.me?.fn ?? '' })
  const email = h('input', { id: 'profile-email', testid: 'profile-email', name: 'email', type: 'email', autocomplete: 'email', maxlength: 200, value: app.me?.email ?? '' })
  const phone = h('input', { id: 'profile-phone', testid: 'profile-phone', name: 'phone', type: 'tel', autocomplete: 'tel', maxlength: 50, value: app.me?.phone ?? '' })
  const problem = h('div', { class: 'slot' })
  const photo = photoField('profile-photo', 'Your photo', problem, app.me?.photo)
  const save = h('button', { type: 'submit', class: 'primary', testid: 'profile-save' }, firstRun ? 'Save and continue' : 'Save')

  const form = h('form', { class: 'card form', novalidate: true },
    h('label', { for: 'profile-name' }, 'Your name'),
    name,
    h('label', { for: 'profile-email' }, 'Email ', h('span', { class: 'optional' }, '(optional)')),
    email,
    h('label', { for: 'profile-phone' }, 'Phone ', h('span', { class: 'optional' }, '(optional)')),
    phone,
    h('label', { for: 'profile-photo' }, 'Photo ', h('span', { class: 'optional' }, `(optional, JPEG, PNG or WebP, at most ${PROFILE_PHOTO_MAX_BYTES / 1024} KiB)`)),
    photo.input,
    photo.preview,
    problem,
    save
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void (async () => {
      replaceChildren(problem)
      if (name.value.trim() === '') {
        replaceChildren(problem, errorBox({ code: 'NO_NAME', title: 'Your name is missing', detail: 'Enter the name your contacts will see.', retryable: false }))
        name.focus()
        return
      }
      if (email.value.trim() !== '' && !email.checkValidity()) {
        replaceChildren(problem, errorBox({ code: 'BAD_EMAIL', title: 'That email looks wrong', detail: 'Check it, or leave it empty.', retryable: false }))
        email.focus()
        return
      }
      save.disabled = true
      try {
        app.me = await app.node.setProfile({ name: name.value, email: email.value, phone: phone.value, photo: photo.value() })
        if (firstRun) {
          app.goOnline()
          // Ask now that there is something to keep; Settings shows the answer (views/backup.ts).
          void askPersistentStorage().catch(() => {})
        }
        app.go({ name: 'home' })
      } catch (err) {
        replaceChildren(problem, errorBox(describeError(err)))
      } finally {
        save.disabled = false
      }
    })()
  })

  const el = h('section', { class: 'view' },
    topBar(app, firstRun ? 'Welcome' : 'My card', firstRun ? undefined : { name: 'home' }),
    firstRun
      ? h('p', { class: 'intro' }, 'GiniConnect pairs you with people you trust using a short code you read to each other. First, your card: this is what your contacts receive.')
      : h('p', { class: 'intro' }, 'Contacts you pair with from now on receive this card.'),
    form,
    firstRun ? h('p', { class: 'hint' }, 'Have a backup file? ', h('a', { href: '#/settings', testid: 'restore-backup-link' }, 'Restore it in Settings'), ' instead.') : null,
    firstRun ? h('p', { class: 'hint' }, 'Have your 24 recovery words? ', h('a', { href: '#/recover', testid: 'restore-words-link' }, 'Restore from recovery words'), ' to get your identity back.') : null
  )
  queueMicrotask(() => { name.focus() })
  return { el }
}
