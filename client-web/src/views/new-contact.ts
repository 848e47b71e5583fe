// New Secure Contact: show a fresh code (creator) or enter one (joiner), then follow the pairing to
// the contact card or to an error in plain words. Leaving the view cancels a running pairing.
import { ExpiredError } from '../../../protocols/common/index.js'
import type { ContactRecord } from '../../../peer/core/storage.js'
import type { App, View } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { checkCode } from '../code-input.js'
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
        button('Back', 'pairing-back', choose))
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const c = checkCode(input.value)
      if (c.state !== 'ok') {
        // docs/protocol.md §4.2: a code that cannot be right is refused here; nothing is sent.
        const reason = c.state === 'bad' ? c.reason : c.state === 'partial' ? `Flash Codes have 8 or 10 characters; this has ${c.typed}.` : 'Type the code your contact reads out.'
        replaceChildren(problem, errorBox({ code: 'INVALID_FLASH_CODE', title: 'Not a Flash Code', detail: `${reason} Nothing was sent.`, retryable: false }))
        input.focus()
        return
      }
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
