// The user's own card (first run, or "edit my card"): name, optional email and phone → a vCard 4.0
// that contacts receive when pairing.
import type { App, View } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { topBar, errorBox } from './parts.js'
import { describeError } from '../words.js'
import { askPersistentStorage } from './backup.js'
import { PROFILE_PHOTO_MAX_BYTES, photoDataUri, type ProfilePhoto, type PhotoMediaType } from '../../../protocols/contact/index.js'

const PHOTO_TYPES: readonly PhotoMediaType[] = ['image/jpeg', 'image/png', 'image/webp']

export function profileView (app: App): View {
  const firstRun = app.me == null
  const name = h('input', { id: 'profile-name', testid: 'profile-name', name: 'name', autocomplete: 'name', required: true, maxlength: 200, value: app.me?.fn ?? '' })
  const email = h('input', { id: 'profile-email', testid: 'profile-email', name: 'email', type: 'email', autocomplete: 'email', maxlength: 200, value: app.me?.email ?? '' })
  const phone = h('input', { id: 'profile-phone', testid: 'profile-phone', name: 'phone', type: 'tel', autocomplete: 'tel', maxlength: 50, value: app.me?.phone ?? '' })
  const photoInput = h('input', { id: 'profile-photo', testid: 'profile-photo', name: 'photo', type: 'file', accept: PHOTO_TYPES.join(',') })
  const photoPreview = h('div', { class: 'photo-preview' })
  let photo: ProfilePhoto | undefined = app.me?.photo
  const problem = h('div', { class: 'slot' })
  const save = h('button', { type: 'submit', class: 'primary', testid: 'profile-save' }, firstRun ? 'Save and continue' : 'Save')

  const form = h('form', { class: 'card form', novalidate: true },
    h('label', { for: 'profile-name' }, 'Your name'),
    name,
    h('label', { for: 'profile-email' }, 'Email ', h('span', { class: 'optional' }, '(optional)')),
    email,
    h('label', { for: 'profile-phone' }, 'Phone ', h('span', { class: 'optional' }, '(optional)')),
    phone,
    h('label', { for: 'profile-photo' }, 'Photo ', h('span', { class: 'optional' }, `(optional, JPEG, PNG or WebP, at most ${PROFILE_PHOTO_MAX_BYTES / 1024} KiB)`)),
    photoInput,
    photoPreview,
    problem,
    save
  )
  const showPhoto = (): void => {
    if (photo == null) {
      replaceChildren(photoPreview)
      return
    }
    const remove = h('button', { type: 'button', testid: 'profile-photo-remove' }, 'Remove photo')
    remove.addEventListener('click', () => {
      photo = undefined
      photoInput.value = ''
      showPhoto()
    })
    replaceChildren(photoPreview, h('img', { class: 'avatar large photo', src: photoDataUri(photo), alt: 'Your photo' }), remove)
  }
  showPhoto()
  photoInput.addEventListener('change', () => {
    void (async () => {
      replaceChildren(problem)
      const file = photoInput.files?.[0]
      if (file == null) return
      const mediaType = PHOTO_TYPES.find((t) => t === file.type)
      if (mediaType == null) {
        photoInput.value = ''
        replaceChildren(problem, errorBox({ code: 'BAD_PHOTO', title: 'That photo cannot be used', detail: 'Choose a JPEG, PNG or WebP image.', retryable: false }))
        return
      }
      if (file.size > PROFILE_PHOTO_MAX_BYTES) {
        photoInput.value = ''
        replaceChildren(problem, errorBox({ code: 'PHOTO_TOO_LARGE', title: 'That photo is too large', detail: `Photo too large: at most ${PROFILE_PHOTO_MAX_BYTES / 1024} KiB. Choose a smaller image.`, retryable: false }))
        return
      }
      try {
        photo = { mediaType, data: new Uint8Array(await file.arrayBuffer()) }
      } catch (err) {
        photoInput.value = ''
        replaceChildren(problem, errorBox(describeError(err)))
        return
      }
      showPhoto()
    })()
  })
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
        app.me = await app.node.setProfile({ name: name.value, email: email.value, phone: phone.value, photo })
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
    firstRun ? h('p', { class: 'hint' }, 'Have a backup file? ', h('a', { href: '#/settings', testid: 'restore-backup-link' }, 'Restore it in Settings'), ' instead.') : null
  )
  queueMicrotask(() => { name.focus() })
  return { el }
}
