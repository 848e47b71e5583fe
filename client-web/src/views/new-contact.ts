// New Secure Contact: show a fresh code (creator) or enter or scan one (joiner), then follow the
// pairing to the contact card or to an error in plain words. Leaving the view cancels a running
// pairing. A scanned QR is read like typed input (docs/protocol.md §4.4): one that is no Flash Code
// is refused in the same words as a mistyped code.
import { ExpiredError } from '../../../protocols/common/index.js'
import type { ContactRecord } from '../../../peer/core/storage.js'
import type { App, View } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { checkCode, type CodeCheck } from '../code-input.js'
import { NotAPictureError, readQrFromFile, scanCamera } from '../qr-scan.js'
import { describeError, NO_RELAY } from '../words.js'
import { errorBox, topBar } from './parts.js'
import { pairingPanel, type PairingPanel } from './pairing-panel.js'

/** After the code's time is up the relay answers EXPIRED at once; this only guards against a silent one. */
const EXPIRY_GRACE_MS = 5_000

export function newContactView (app: App): View {
  const body = h('div', { class: 'flow' })
  let running: { controller: AbortController, panel: PairingPanel, cancelled: boolean, expired: boolean } | undefined

  const stop = (): void => {
    if (running == null) return
    running.cancelled = true
    running.controller.abort()
    running.panel.dispose()
    running = undefined
  }

  const button = (label: string, testid: string, onclick: () => void, cls = ''): HTMLButtonElement =>
    h('button', { type: 'button', class: cls, testid, onclick }, label)

  const choose = (): void => {
    stop()
    replaceChildren(body,
      h('p', { class: 'intro' }, 'One of you shows a code, the other enters it. Read the code aloud, or send it by another messenger: whoever has it can pair with you for 3 minutes.'),
      h('div', { class: 'choices' },
        button('Show my code', 'show-code', () => { void pair('creator') }, 'primary big'),
        button('Enter a code', 'enter-code', () => { enterCode() }, 'big'))
    )
  }

  const enterCode = (prefill = ''): void => {
    stop()
    const input = h('input', {
      id: 'code-input',
      testid: 'code-input',
      name: 'code',
      value: prefill,
      placeholder: 'XXXX-XXXX',
      autocomplete: 'off',
      autocapitalize: 'characters',
      autocorrect: 'off',
      spellcheck: 'false',
      inputmode: 'text',
      maxlength: 32,
      'aria-describedby': 'code-hint'
    })
    const hint = h('p', { id: 'code-hint', class: 'hint', testid: 'code-hint', 'aria-live': 'polite' }, ' ')
    const problem = h('div', { class: 'slot', testid: 'code-error' })
    const showHint = (): void => {
      const c = checkCode(input.value)
      hint.className = c.state === 'bad' ? 'hint bad' : c.state === 'ok' ? 'hint ok' : 'hint'
      input.setAttribute('aria-invalid', String(c.state === 'bad'))
      hint.textContent = c.state === 'empty'
        ? 'Case, spaces and dashes do not matter.'
        : c.state === 'partial'
          ? `${c.typed} of ${c.of} characters`
          : c.state === 'ok' ? `Reads as ${c.formatted}` : c.reason
      if (c.state !== 'bad') replaceChildren(problem)
    }
    // docs/protocol.md §4.2: a code that cannot be right is refused here; nothing is sent.
    const refuse = (c: Exclude<CodeCheck, { state: 'ok' }>): void => {
      const reason = c.state === 'bad' ? c.reason : c.state === 'partial' ? `Flash Codes have 8 or 10 characters; this has ${c.typed}.` : 'Type the code your contact reads out.'
      replaceChildren(problem, errorBox({ code: 'INVALID_FLASH_CODE', title: 'Not a Flash Code', detail: `${reason} Nothing was sent.`, retryable: false }))
    }
    const trouble = (code: string, title: string, detail: string): void => {
      replaceChildren(problem, errorBox({ code, title, detail, retryable: true }))
    }

    // A scanned text goes through the same check as a typed one; a code starts the pairing at once.
    const video = h('video', { class: 'scan-video', testid: 'code-scan-video', hidden: true, muted: true, playsinline: true })
    let camera: { stop: () => void } | undefined
    const stopCamera = (): void => {
      camera?.stop()
      camera = undefined
      video.hidden = true
      scan.textContent = 'Scan a code'
    }
    const scanned = (text: string): void => {
      stopCamera()
      const c = checkCode(text)
      if (c.state === 'ok') {
        input.value = c.formatted
        void pair('joiner', c.fc)
        return
      }
      refuse(c)
    }
    const scan: HTMLButtonElement = button('Scan a code', 'scan-code', () => {
      if (camera != null) { stopCamera(); return }
      replaceChildren(problem)
      video.hidden = false
      scan.textContent = 'Stop scanning'
      scanCamera(video, (text) => { scanned(text); return true })
        .then((started) => { camera = started })
        .catch((err: Error) => {
          stopCamera()
          if (err.name === 'NotAllowedError') trouble('NO_CAMERA', 'The camera was not allowed.', 'Allow the camera for this page, or choose a picture of the code.')
          else trouble('NO_CAMERA', 'No camera.', err.message)
        })
    })
    const file = h('input', { type: 'file', accept: 'image/*', id: 'code-qr-file', class: 'visually-hidden', testid: 'code-qr-file' })
    file.addEventListener('change', () => {
      const chosen = file.files?.[0]
      file.value = ''
      if (chosen == null) return
      readQrFromFile(chosen).then((text) => {
        if (text == null) trouble('NO_QR', 'No QR code found in this picture.', 'Choose a sharper picture with the whole code in it.')
        else scanned(text)
      }, (err: Error) => {
        trouble(err instanceof NotAPictureError ? 'NOT_A_PICTURE' : 'UNSPECIFIED', 'Could not read the picture.', err.message)
      })
    })
    input.addEventListener('input', showHint)
    input.addEventListener('blur', () => {
      const c = checkCode(input.value)
      if (c.state === 'ok') input.value = c.formatted
    })
    showHint()
    const form = h('form', { class: 'card form', novalidate: true },
      h('label', { for: 'code-input' }, 'Flash Code from your contact'),
      input,
      hint,
      problem,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', testid: 'submit-code' }, 'Connect'),
        button('Back', 'pairing-back', choose)),
      h('div', { class: 'actions scan-actions' },
        scan,
        h('label', { class: 'button-like', for: 'code-qr-file' }, 'Choose a picture of a code'),
        file),
      video
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const c = checkCode(input.value)
      if (c.state !== 'ok') {
        refuse(c)
        input.focus()
        return
      }
      stopCamera()
      void pair('joiner', c.fc)
    })
    replaceChildren(body, form)
    queueMicrotask(() => { input.focus() })
  }

  const pair = async (role: 'creator' | 'joiner', fc?: string): Promise<void> => {
    stop()
    const relay = app.relay().addr
    if (relay == null) {
      replaceChildren(body, errorBox(NO_RELAY, [button('Open Settings', 'open-settings', () => { app.go({ name: 'settings' }) }, 'primary')]))
      return
    }
    const controller = new AbortController()
    const panel = pairingPanel(role, button('Cancel', 'pairing-cancel', choose))
    const run = { controller, panel, cancelled: false, expired: false }
    running = run
    panel.onExpired = () => {
      run.expired = true
      setTimeout(() => { if (running === run) controller.abort(new ExpiredError()) }, EXPIRY_GRACE_MS)
    }
    replaceChildren(body, panel.el)
    const opts = { relay, signal: controller.signal, onProgress: panel.update }
    let contact: ContactRecord
    try {
      contact = role === 'creator' ? await app.node.invite(opts) : await app.node.accept(fc!, opts)
    } catch (err) {
      if (run.cancelled) return
      if (running === run) running = undefined
      const shown = describeError(run.expired ? new ExpiredError() : err)
      const again = role === 'creator'
        ? button(shown.retryable ? 'Try again' : 'Make a new code', 'pairing-retry', () => { void pair('creator') }, 'primary')
        : button('Try again', 'pairing-retry', () => { void pair('joiner', fc) }, 'primary')
      const retry = role === 'creator' || shown.retryable ? [again] : []
      // A code nobody made is most likely mistyped: offer it back for correction. After a match the
      // code is used up (left, expired, wrong): the joiner needs a new one from the other side.
      const fix = role === 'joiner' && !shown.retryable
        ? [shown.code === 'NO_MATCHING_FLASH_CODE'
            ? button('Enter the code again', 'pairing-edit', () => { enterCode(fc) }, 'primary')
            : button('Enter a new code', 'pairing-edit', () => { enterCode() }, 'primary')]
        : []
      panel.fail(shown, [...retry, ...fix, button('Back', 'pairing-back', choose)])
      return
    }
    if (running === run) running = undefined
    panel.succeed(contact, [
      button('Open card', 'open-contact', () => { app.go({ name: 'contact', id: contact.id }) }),
      button('Done', 'pairing-done', () => { app.go({ name: 'home' }) }, 'primary')
    ])
  }

  choose()
  const el = h('section', { class: 'view' }, topBar(app, 'New Secure Contact', { name: 'home' }), body)
  return { el, dispose: stop }
}
