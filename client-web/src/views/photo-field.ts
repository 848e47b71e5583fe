// A photo picker for a card (the own card, a manual contact): JPEG, PNG or WebP of at most
// PROFILE_PHOTO_MAX_BYTES, checked before it is used, with a preview and a way to remove it.
import { PROFILE_PHOTO_MAX_BYTES, photoDataUri, type ProfilePhoto, type PhotoMediaType } from '../../../protocols/contact/index.js'
import { h, replaceChildren } from '../dom.js'
import { errorBox } from './parts.js'
import { describeError } from '../words.js'

const PHOTO_TYPES: readonly PhotoMediaType[] = ['image/jpeg', 'image/png', 'image/webp']

export interface PhotoField {
  input: HTMLInputElement
  preview: HTMLElement
  /** The chosen photo, if any. */
  value: () => ProfilePhoto | undefined
}

/** `id` is the input's id and test id (`<id>-remove` the remove button's); problems go into `problem`. */
export function photoField (id: string, alt: string, problem: HTMLElement, initial?: ProfilePhoto): PhotoField {
  const input = h('input', { id, testid: id, name: 'photo', type: 'file', accept: PHOTO_TYPES.join(',') })
  const preview = h('div', { class: 'photo-preview' })
  let photo = initial
  const show = (): void => {
    if (photo == null) {
      replaceChildren(preview)
      return
    }
    const remove = h('button', { type: 'button', testid: `${id}-remove` }, 'Remove photo')
    remove.addEventListener('click', () => {
      photo = undefined
      input.value = ''
      show()
    })
    replaceChildren(preview, h('img', { class: 'avatar large photo', src: photoDataUri(photo), alt }), remove)
  }
  show()
  input.addEventListener('change', () => {
    void (async () => {
      replaceChildren(problem)
      const file = input.files?.[0]
      if (file == null) return
      const mediaType = PHOTO_TYPES.find((t) => t === file.type)
      if (mediaType == null) {
        input.value = ''
        replaceChildren(problem, errorBox({ code: 'BAD_PHOTO', title: 'That photo cannot be used', detail: 'Choose a JPEG, PNG or WebP image.', retryable: false }))
        return
      }
      if (file.size > PROFILE_PHOTO_MAX_BYTES) {
        input.value = ''
        replaceChildren(problem, errorBox({ code: 'PHOTO_TOO_LARGE', title: 'That photo is too large', detail: `Photo too large: at most ${PROFILE_PHOTO_MAX_BYTES / 1024} KiB. Choose a smaller image.`, retryable: false }))
        return
      }
      try {
        photo = { mediaType, data: new Uint8Array(await file.arrayBuffer()) }
      } catch (err) {
        input.value = ''
        replaceChildren(problem, errorBox(describeError(err)))
        return
      }
      show()
    })()
  })
  return { input, preview, value: () => photo }
}
