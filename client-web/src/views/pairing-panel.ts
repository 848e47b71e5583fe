// The progress panel of one pairing: the code, its read-out line and QR code (docs/protocol.md §4.4)
// and its countdown (creator), the four steps, one
// status line (`pairing-status`, with data-stage / data-path / data-direct for automation), and
// the outcome. It only renders; new-contact.ts drives it.
import { toCanvas } from 'qrcode/lib/browser.js'
import { flashCodeQrPayload, flashCodeReadOut } from '../../../protocols/crypto/index.js'
import type { PairingEvent } from '../../../peer/core/pairing/events.js'
import type { ContactRecord } from '../../../peer/core/storage.js'
import { h, replaceChildren } from '../dom.js'
import { describeEvent, formatRemaining, PAIRING_STEPS, type PairingStep, type ShownError } from '../words.js'
import { initials } from './parts.js'

const COUNTDOWN_TICK_MS = 250
const PATH_LABELS: Record<string, string> = { direct: 'direct WebRTC', turn: 'WebRTC via TURN', relayed: 'through the relay' }

export interface PairingPanel {
  el: HTMLElement
  update(e: PairingEvent): void
  succeed(contact: ContactRecord, actions: HTMLElement[]): void
  fail(err: ShownError, actions: HTMLElement[]): void
  /** Called once when the shown code's time is up (the core reports EXPIRED shortly after). */
  onExpired?: () => void
  dispose(): void
}

export function pairingPanel (role: 'creator' | 'joiner', cancel: HTMLElement): PairingPanel {
  const codeText = h('div', { class: 'flash-code', testid: 'flash-code', 'aria-label': 'Your Flash Code' }, '····-····')
  const countdown = h('p', { class: 'countdown', testid: 'countdown' }, ' ')
  const readOut = h('p', { class: 'read-out', testid: 'flash-code-readout' }, ' ')
  const qr = h('canvas', { class: 'code-qr', testid: 'flash-code-qr', role: 'img', 'aria-label': 'Your Flash Code as a QR code' })
  const codeBox = role === 'creator'
    ? h('div', { class: 'code-box' },
      h('p', { class: 'label' }, 'Your Flash Code'),
      codeText,
      h('p', { class: 'read-out-label' }, 'Say it as'),
      readOut,
      countdown,
      h('p', { class: 'hint' }, 'Read it to your contact, or send it by another messenger. They choose “Enter a code”.'),
      qr,
      h('p', { class: 'hint' }, 'Or they scan this QR code: “Enter a code”, then “Scan a code”.'))
    : null
  // Until the relay granted a code there is nothing to show in the box.
  if (codeBox != null) codeBox.hidden = true
  const steps = PAIRING_STEPS.map(s => h('li', { 'data-step': s.step }, s.label))
  const status = h('p', { class: 'status', testid: 'pairing-status', role: 'status', 'data-stage': 'starting' }, 'Connecting to the relay…')
  const outcome = h('div', { class: 'slot' })
  const actions = h('div', { class: 'actions' }, cancel)
  let timer: ReturnType<typeof setInterval> | undefined
  let finished = false

  const stopCountdown = (): void => {
    if (timer != null) clearInterval(timer)
    timer = undefined
  }
  const setStep = (step: PairingStep | 'done'): void => {
    const at = step === 'done' ? steps.length : PAIRING_STEPS.findIndex(s => s.step === step)
    steps.forEach((li, i) => {
      li.className = i < at ? 'done' : i === at ? 'current' : ''
    })
  }
  setStep('waiting')

  const panel: PairingPanel = {
    el: h('div', { class: 'card pairing', 'data-role': role },
      codeBox,
      h('ol', { class: 'steps', 'aria-label': 'Pairing steps' }, ...steps),
      status,
      outcome,
      actions),

    update (e) {
      if (finished) return
      if (e.event === 'flash-code') {
        if (codeBox != null) codeBox.hidden = false
        codeText.textContent = e.code
        codeText.dataset.code = e.code
        readOut.textContent = flashCodeReadOut(e.code)
        const payload = flashCodeQrPayload(e.code)
        qr.dataset.payload = payload
        toCanvas(qr, payload, { margin: 4, width: 200, errorCorrectionLevel: 'M' }).catch(() => { qr.remove() })
        const tick = (): void => {
          const left = e.expiresAt - Date.now()
          countdown.textContent = left > 0 ? `Valid for ${formatRemaining(left)}` : 'Expired'
          if (left <= 0) {
            codeText.classList.add('expired')
            qr.hidden = true
            stopCountdown()
            panel.onExpired?.()
          }
        }
        tick()
        timer = setInterval(tick, COUNTDOWN_TICK_MS)
        return
      }
      if (e.event === 'matched') {
        // The code did its job; its countdown no longer matters to the user.
        stopCountdown()
        countdown.textContent = 'Code accepted'
      }
      if (e.event === 'connected') {
        status.dataset.path = e.path
        status.dataset.direct = String(e.direct)
      }
      const said = describeEvent(e)
      if (said == null) return
      status.textContent = said.text
      status.dataset.stage = said.step
      setStep(said.step)
    },

    succeed (contact, buttons) {
      finished = true
      stopCountdown()
      codeBox?.classList.add('used')
      status.dataset.stage = 'done'
      status.textContent = `Added ${contact.name} to your contacts.`
      setStep('done')
      replaceChildren(outcome, h('div', { class: 'added', testid: 'pairing-contact', 'data-id': contact.id },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(contact.name)),
        h('span', { class: 'name' }, contact.name),
        status.dataset.path != null ? h('span', { class: `path path-${status.dataset.path}` }, PATH_LABELS[status.dataset.path] ?? status.dataset.path) : null
      ))
      replaceChildren(actions, ...buttons)
    },

    fail (err, buttons) {
      finished = true
      stopCountdown()
      codeBox?.classList.add('used')
      status.dataset.stage = 'error'
      status.dataset.errorCode = err.code
      status.textContent = err.title
      steps.forEach(li => { if (li.className === 'current') li.className = 'failed' })
      status.setAttribute('role', 'alert')
      replaceChildren(outcome, h('p', { class: 'error-detail', testid: 'error', 'data-code': err.code }, err.detail))
      replaceChildren(actions, ...buttons)
    },

    dispose () {
      finished = true
      stopCountdown()
    }
  }
  return panel
}
