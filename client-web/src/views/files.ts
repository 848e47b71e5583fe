// Files in a conversation (docs/protocol.md §17): the file picker and Send, every transfer with this
// contact (offers to accept or decline, a progress bar while chunks move, a download link and the
// SHA-256 once done, failures in words) and offers refused as too large. Transfers run in the
// daemon (peer/core/files/file-transfers.ts) over peer/adapters/indexeddb-file-transfer-storage.ts;
// the view reads the records from there and redraws a row when its event or a chunk says so.
import { FileInputError, type FileEvent, type TransferRecord } from '../../../peer/core/files/file-transfers.js'
import { FileRefusedError } from '../../../protocols/files/index.js'
import { IndexedDbFileTransferStorage, type TransferProgress } from '../../../peer/adapters/indexeddb-file-transfer-storage.js'
import type { App, View } from '../app.js'
import { h, replaceChildren } from '../dom.js'

const MIB = 1024 * 1024
/** Hex characters of the SHA-256 shown (the whole one is in the title and data-sha256). */
const SHORT_HASH_CHARS = 12

export function sizeText (bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`
}

/** A transfer as the view shows it: a stored record, or an offer refused before anything was stored. */
interface Shown {
  id: string
  direction: 'in' | 'out'
  name: string
  size: number
  sha256: string
  state: TransferRecord['state'] | 'refused'
  error?: string
  /** Bytes known to be in (receiver) when drawn. */
  bytes: number
  tabOnly: boolean
}

interface Row { li: HTMLElement, key: string, progress?: HTMLProgressElement, count?: HTMLElement }

export function filesPanel (app: App, contactId: string, contactName: string): View & { list: HTMLElement } {
  const files = app.files
  const list = h('ol', { class: 'files', testid: 'files', 'aria-label': `Files with ${contactName}`, 'aria-live': 'polite' })
  const status = h('div', { class: 'slot file-status', testid: 'file-status', role: 'status' })
  const input = h('input', { type: 'file', class: 'file-input', testid: 'file-input', 'aria-label': `File to send to ${contactName}` })
  const send = h('button', { type: 'button', class: 'file-send', testid: 'file-send' }, 'Send file')
  const rows = new Map<string, Row>()
  const urls = new Map<string, string>()
  /** Offers refused as too large: the engine stores nothing, so only its event tells. */
  const refused = new Map<string, Shown>()
  let disposed = false
  let drawing = Promise.resolve()

  const say = (text: string, kind: 'error' | 'info' = 'error'): void => {
    replaceChildren(status, text === '' ? null : h('p', { class: kind === 'error' ? 'file-problem' : 'hint', testid: kind === 'error' ? 'file-error' : 'file-note', role: kind === 'error' ? 'alert' : undefined }, text))
  }

  const shownOf = (r: TransferRecord): Shown => ({
    id: r.id,
    direction: r.direction,
    name: r.offer.name,
    size: r.offer.size,
    sha256: r.offer.sha256,
    state: r.state,
    error: r.error,
    bytes: r.direction === 'in' ? Math.min(r.offer.size, r.next * r.offer.chunkBytes) : 0,
    tabOnly: r.direction === 'out' && IndexedDbFileTransferStorage.tabOnly(r.source)
  })

  const render = async (): Promise<void> => {
    const records = (await files.list()).filter(r => r.contact === contactId)
    if (disposed) return
    const all = [...records.map(shownOf), ...[...refused.values()].filter(s => !records.some(r => r.id === s.id))]
    const kept = new Set<string>()
    const items: HTMLElement[] = []
    for (const s of all) {
      kept.add(s.id)
      const key = JSON.stringify([s.state, s.error, s.tabOnly])
      let row = rows.get(s.id)
      if (row == null || row.key !== key) {
        row = await draw(s, key)
        if (disposed) return
        rows.set(s.id, row)
      }
      if (row.progress != null && s.bytes > Number(row.progress.value)) setProgress(row, s.bytes, s.size)
      items.push(row.li)
    }
    for (const id of rows.keys()) if (!kept.has(id)) rows.delete(id)
    list.dataset.count = String(items.length)
    replaceChildren(list, ...items)
  }
  const redraw = (): void => { drawing = drawing.then(render).catch(() => {}) }

  const setProgress = (row: Row, bytes: number, size: number): void => {
    if (row.progress == null) return
    row.progress.value = Math.min(bytes, size)
    row.progress.dataset.bytes = String(Math.min(bytes, size))
    if (row.count != null) row.count.textContent = `${sizeText(Math.min(bytes, size))} of ${sizeText(size)}`
  }

  const draw = async (s: Shown, key: string): Promise<Row> => {
    const who = s.direction === 'in' ? `From ${contactName}` : `To ${contactName}`
    const head = h('div', { class: 'file-head' },
      h('span', { class: 'file-name', testid: 'file-name' }, s.name),
      h('span', { class: 'file-size', testid: 'file-size', 'data-bytes': s.size }, sizeText(s.size)))
    const row: Row = { li: h('li'), key }
    const body: HTMLElement[] = []
    switch (s.state) {
      case 'offered':
        if (s.direction === 'in') {
          body.push(h('p', { class: 'hint' }, `${contactName} offers you this file.`),
            h('div', { class: 'file-actions' },
              h('button', { type: 'button', class: 'primary', testid: 'file-accept', onclick: () => { void act('accept', s.id) } }, 'Accept'),
              h('button', { type: 'button', testid: 'file-decline', onclick: () => { void act('decline', s.id) } }, 'Decline')))
        } else {
          body.push(h('p', { class: 'hint' }, `Waiting for ${contactName} to accept it.`))
        }
        break
      case 'progress': {
        const progress = h('progress', { testid: 'file-progress', max: s.size, value: 0, 'aria-label': `${s.name}: ${s.direction === 'in' ? 'received' : 'sent'}` })
        const count = h('span', { class: 'file-count' })
        row.progress = progress
        row.count = count
        body.push(progress, h('p', { class: 'hint' }, s.direction === 'in' ? 'Receiving: ' : 'Sending: ', count))
        setProgress(row, s.bytes, s.size)
        break
      }
      case 'done': {
        const hash = h('code', { class: 'file-sha', testid: 'file-sha256', title: `SHA-256 ${s.sha256}`, 'data-sha256': s.sha256 }, `sha256 ${s.sha256.slice(0, SHORT_HASH_CHARS)}…`)
        const done = h('div', { class: 'file-done', testid: 'file-done' })
        if (s.direction === 'in') {
          const url = await urlOf(s.id)
          replaceChildren(done, url != null
            ? h('a', { href: url, download: s.name, testid: 'file-download', class: 'file-download' }, `Save ${s.name}`)
            : h('span', { class: 'file-problem' }, 'Received, but the file is no longer in this browser.'),
          ' ', hash, h('span', { class: 'hint' }, ' (checked)'))
        } else {
          replaceChildren(done, h('span', {}, `Sent to ${contactName}. `), hash)
        }
        body.push(done)
        break
      }
      case 'failed':
      case 'refused':
        body.push(h('p', { class: 'file-problem', testid: 'file-failed' }, failureWords(s)))
        break
    }
    if (s.tabOnly && (s.state === 'offered' || s.state === 'progress')) {
      body.push(h('p', { class: 'hint', testid: 'file-tab-only' }, 'This file is too large to keep in the browser: keep this tab open until it is received (a reload ends the offer).'))
    }
    row.li = h('li', { class: `file ${s.direction}`, testid: 'file-offer', 'data-id': s.id, 'data-direction': s.direction, 'data-state': s.state },
      h('div', { class: 'file-card' }, h('span', { class: 'file-who' }, who), head, ...body))
    return row
  }

  const urlOf = async (id: string): Promise<string | undefined> => {
    const known = urls.get(id)
    if (known != null) return known
    const blob = await files.blobOf(id)
    if (blob == null) return undefined
    const url = URL.createObjectURL(blob)
    if (disposed) { URL.revokeObjectURL(url); return undefined }
    urls.set(id, url)
    return url
  }

  const daemonOrSay = (): NonNullable<NonNullable<App['presence']['running']>['files']> | undefined => {
    const daemon = app.presence.running
    if (daemon?.files != null) return daemon.files
    say(app.presence.status === 'other-tab'
      ? 'This profile is online in your other tab: send and receive files from there.'
      : 'You are offline (no relay reached yet). Try again once the contact list says Online.')
    return undefined
  }

  const act = async (what: 'accept' | 'decline', id: string): Promise<void> => {
    say('')
    const transfers = daemonOrSay()
    if (transfers == null) return
    try {
      if (what === 'accept') await transfers.accept(id)
      else await transfers.decline(id)
    } catch (err) {
      say(err instanceof FileInputError ? err.message : `Could not ${what} the file.`)
    }
    redraw()
  }

  const offer = async (): Promise<void> => {
    say('')
    const file = input.files?.[0]
    if (file == null) { say('Choose a file first.'); return }
    const transfers = daemonOrSay()
    if (transfers == null) return
    send.disabled = true
    let ref: string | undefined
    try {
      say(`Preparing ${file.name}…`, 'info')
      ref = await files.register(file, file.name)
      await transfers.offer(contactId, ref)
      say('')
      input.value = ''
    } catch (err) {
      // Refused before a record was stored: the copy kept for it is not needed.
      if (ref != null && !(await files.list()).some(r => r.source === ref)) await files.unregister(ref).catch(() => {})
      say(err instanceof FileInputError || err instanceof FileRefusedError
        ? err.message
        : `Not sent: ${err instanceof Error && err.message !== '' ? err.message : 'the offer could not be delivered'}.`)
    } finally {
      send.disabled = false
      redraw()
    }
  }
  send.addEventListener('click', () => { void offer() })
  input.addEventListener('change', () => { say('') })

  const unsubscribe = app.presence.onFile((e: FileEvent) => {
    if (e.contact !== contactId) return
    // An offer refused as too large is never stored: keep it for this view.
    if (e.direction === 'in' && e.state === 'failed' && e.error?.startsWith('Refused:') === true) {
      refused.set(e.id, { id: e.id, direction: 'in', name: e.name, size: e.size, sha256: e.sha256, state: 'refused', error: e.error, bytes: 0, tabOnly: false })
    }
    redraw()
  })
  const unprogress = files.onProgress((p: TransferProgress) => {
    if (p.id == null) {
      if (p.ref != null && send.disabled) say(`Preparing the offer: ${Math.floor(p.bytes / Math.max(1, input.files?.[0]?.size ?? 1) * 100)}% read and hashed…`, 'info')
      return
    }
    const row = rows.get(p.id)
    if (row?.progress != null) setProgress(row, p.bytes, Number(row.progress.max))
  })
  redraw()

  const el = h('div', { class: 'file-bar' }, status, h('div', { class: 'file-pick' }, input, send))
  return {
    el,
    list,
    dispose: () => {
      disposed = true
      unsubscribe()
      unprogress()
      for (const url of urls.values()) URL.revokeObjectURL(url)
    }
  }
}

/** Why a transfer ended without the file, in words a person reads. */
function failureWords (s: Shown): string {
  if (s.state === 'refused') {
    const limit = /larger than (\d+) bytes/.exec(s.error ?? '')
    return limit != null
      ? `Refused: the file is ${sizeText(s.size)}, larger than this browser accepts (at most ${sizeText(Number(limit[1]))}).`
      : `Refused: ${s.error ?? 'the file is too large'}`
  }
  if (s.direction === 'in' && s.error === 'Declined.') return 'You declined this file.'
  const why = (s.error ?? 'the transfer failed').replace(/\s*\(§[0-9.]+\)/g, '')
  return `Failed: ${why.charAt(0).toLowerCase()}${why.slice(1)}`
}
