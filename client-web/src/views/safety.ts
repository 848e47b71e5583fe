// The safety number on a contact's card (docs/protocol.md §18): 60 digits both contacts see when
// each holds the other's real keys, compared in person or on a call, then marked verified. Also
// the number's QR payload, drawn for the other side to scan, and a scanner for theirs (camera or a
// picture): a scanned number is checked by the same markVerified the button calls.
import { toCanvas } from 'qrcode/lib/browser.js'
import { formatSafetyNumber, parseSafetyQrPayload, safetyQrPayload } from '../../../protocols/crypto/index.js'
import { displayName } from '../../../peer/core/contact-names.js'
import type { ContactRecord } from '../../../peer/core/storage.js'
import type { App } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { NotAPictureError, readQrFromFile, scanCamera } from '../qr-scan.js'

const NOT_SAFETY = 'This is not a GiniConnect safety number'

export function safetyNumberPart (app: App, contact: ContactRecord): HTMLElement {
  const number = app.node.safetyNumber(contact)
  const payload = safetyQrPayload(number)
  const groups = formatSafetyNumber(number).split(' ')
  const name = displayName(contact)
  const status = h('div', { class: 'safety-status', testid: 'safety-status' })
  let verified = contact.verified != null
  const showStatus = (shown: boolean, problem?: string): void => {
    replaceChildren(status,
      shown
        ? h('p', { class: 'safety-verified', testid: 'safety-verified' }, '✓ Verified: you compared these numbers with this contact.')
        : h('button', {
          type: 'button',
          testid: 'mark-verified',
          onclick: async () => {
            try {
              await app.node.markVerified(contact.id, number)
              verified = true
              showStatus(true)
            } catch (err) {
              showStatus(false, (err as Error).message)
            }
          }
        }, 'The numbers match: mark verified'),
      problem != null ? h('p', { class: 'hint', role: 'alert' }, problem) : null)
  }
  showStatus(verified)

  const qr = h('canvas', { class: 'safety-qr', testid: 'safety-qr', 'data-payload': payload, role: 'img', 'aria-label': 'Your safety number with this contact as a QR code' })
  toCanvas(qr, payload, { margin: 4, width: 220, errorCorrectionLevel: 'M' }).catch(() => { qr.remove() })

  // One outcome at a time: match, mismatch, not a safety number, no code in the picture, or a problem.
  const result = h('div', { class: 'slot', testid: 'safety-scan-result', role: 'status' })
  const showResult = (outcome: string, cls: string, ...text: string[]): void => {
    result.dataset.outcome = outcome
    replaceChildren(result, h('p', { class: `scan-result ${cls}`, role: outcome === 'match' ? 'status' : 'alert' }, h('strong', {}, text[0]), ...text.slice(1).map(t => ` ${t}`)))
  }
  const check = async (text: string): Promise<void> => {
    const digits = parseSafetyQrPayload(text)
    if (digits instanceof Error) {
      const why = digits.message.startsWith('this is not') ? [] : [`(${digits.message}).`]
      showResult('not-safety', 'bad', `${NOT_SAFETY}.`, ...why, 'Scan the QR code on their contact card for you in GiniConnect.')
      return
    }
    try {
      await app.node.markVerified(contact.id, digits)
      verified = true
      showStatus(true)
      showResult('match', 'ok', '✓ The scanned number matches.', `${name} is verified.`)
    } catch (err) {
      if ((err as Error).name !== 'SafetyNumberMismatchError') {
        showResult('error', 'bad', 'Could not mark verified.', (err as Error).message)
        return
      }
      showStatus(verified)
      showResult('mismatch', 'bad', '✗ The safety numbers do not match.',
        `${name} was not marked verified${verified ? ' again (the earlier verification stays)' : ''}.`,
        'Someone may stand between you, or one of you paired again with a new key: do not trust this contact until you have found out why (pair again in person if in doubt).')
    }
  }

  const file = h('input', { type: 'file', accept: 'image/*', id: `safety-qr-file-${contact.id}`, class: 'visually-hidden', testid: 'safety-qr-file' })
  file.addEventListener('change', () => {
    const chosen = file.files?.[0]
    file.value = ''
    if (chosen == null) return
    void (async () => {
      try {
        const text = await readQrFromFile(chosen)
        if (text == null) showResult('no-qr', 'bad', 'No QR code found in this picture.', 'Choose a sharper picture with the whole code in it.')
        else await check(text)
      } catch (err) {
        showResult(err instanceof NotAPictureError ? 'not-picture' : 'error', 'bad', (err as Error).message)
      }
    })()
  })

  const video = h('video', { class: 'scan-video', testid: 'safety-scan-video', hidden: true, muted: true, playsinline: true })
  let camera: { stop: () => void } | undefined
  const stopCamera = (): void => {
    camera?.stop()
    camera = undefined
    video.hidden = true
    scan.textContent = 'Scan their code'
  }
  const scan: HTMLButtonElement = h('button', {
    type: 'button',
    testid: 'safety-scan-camera',
    onclick: async () => {
      if (camera != null) { stopCamera(); return }
      replaceChildren(result)
      delete result.dataset.outcome
      video.hidden = false
      scan.textContent = 'Stop scanning'
      try {
        camera = await scanCamera(video, async (text) => {
          await check(text)
          stopCamera()
          return true
        })
      } catch (err) {
        stopCamera()
        const refused = (err as Error).name === 'NotAllowedError'
        showResult('no-camera', 'bad', refused ? 'The camera was not allowed.' : 'No camera.',
          refused ? 'Allow the camera for this page, or choose a picture of the code.' : (err as Error).message)
      }
    }
  }, 'Scan their code')

  return h('section', { class: 'safety', testid: 'safety' },
    h('h3', {}, 'Safety number'),
    h('p', { class: 'safety-number', testid: 'safety-number', 'data-number': number },
      ...[0, 4, 8].map(i => h('span', { class: 'safety-row' }, groups.slice(i, i + 4).join(' ')))),
    h('p', { class: 'hint' }, `Compare it with the one ${name} sees on their contact card for you, in person or on a call. If every digit is the same, nobody stands between you.`),
    status,
    h('div', { class: 'safety-qr-box' },
      qr,
      h('p', { class: 'hint' }, `Or scan each other’s code: ${name} scans this one, you scan the one on their card for you.`)),
    h('div', { class: 'actions scan-actions' },
      scan,
      h('label', { class: 'button-like', for: `safety-qr-file-${contact.id}` }, 'Choose a picture of their code'),
      file),
    video,
    result)
}
