// Settings' backup section: the same gini-backup-v1 file as `gini backup` / `gini restore`
// (docs/protocol.md §20.1, peer/core/backup.ts), downloaded from and imported into this browser
// profile; and whether the browser keeps this profile's storage (navigator.storage.persist()).
import { BackupFormatError } from '../../../protocols/crypto/index.js'
import { BackupContentError, exportBackup, importBackup } from '../../../peer/core/backup.js'
import type { App } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { errorBox } from './parts.js'
import type { ShownError } from '../words.js'

/** Lets the browser paint a "working" line before Argon2id blocks the page for a few seconds. */
async function nextPaint (): Promise<void> {
  await new Promise<void>(resolve => { requestAnimationFrame(() => { setTimeout(resolve, 0) }) })
}

/** Import only replaces the identity a fresh profile made on first open: one with contacts is kept. */
class ProfileInUseError extends Error {
  constructor (contacts: number, profile: string) {
    super(`This browser profile ("${profile}") already has ${contacts} contact${contacts === 1 ? '' : 's'}; importing would replace them. Nothing was changed. Import into a new profile: open this page with ?profile=<new name>.`)
    this.name = 'ProfileInUseError'
  }
}

function backupError (err: unknown): ShownError {
  const message = err instanceof Error ? err.message : String(err)
  if (err instanceof BackupFormatError) {
    return /wrong passphrase/.test(message)
      ? { code: 'BACKUP_WRONG_PASSPHRASE', title: 'The backup did not open', detail: 'Wrong passphrase or damaged file. Nothing was changed.', retryable: false }
      : { code: 'BACKUP_NOT_A_BACKUP', title: 'Not a GiniConnect backup', detail: `${message[0].toUpperCase()}${message.slice(1)}. Nothing was changed.`, retryable: false }
  }
  if (err instanceof BackupContentError) return { code: 'BACKUP_INVALID', title: 'The backup is damaged', detail: `${message} Nothing was changed.`, retryable: false }
  if (err instanceof ProfileInUseError) return { code: 'PROFILE_IN_USE', title: 'This profile is in use', detail: message, retryable: false }
  return { code: 'FAILED', title: 'Something went wrong', detail: message, retryable: true }
}

function passwordInput (id: string, autocomplete: string): HTMLInputElement {
  return h('input', { id, testid: id, type: 'password', autocomplete, spellcheck: 'false', autocapitalize: 'off' })
}

function fileName (profile: string): string {
  const day = new Date().toISOString().slice(0, 10)
  return `giniconnect-${profile.replace(/[^A-Za-z0-9_-]/g, '_')}-${day}.gini-backup`
}

export function backupPart (app: App): HTMLElement {
  // Export: the passphrase twice, then a download.
  const pass1 = passwordInput('backup-pass', 'new-password')
  const pass2 = passwordInput('backup-pass-again', 'new-password')
  const exportNote = h('div', { class: 'slot', testid: 'backup-export-status' })
  const exportButton = h('button', { type: 'submit', class: 'primary', testid: 'backup-export' }, 'Download backup')
  const exportForm = h('form', { class: 'card form', novalidate: true },
    h('p', { class: 'hint' }, 'A backup file holds your identity, your card and your contacts with their keys (not your messages), sealed with a passphrase. It opens here or with `gini restore`.'),
    h('label', { for: 'backup-pass' }, 'Passphrase'), pass1,
    h('label', { for: 'backup-pass-again' }, 'The same passphrase again'), pass2,
    exportNote, exportButton)
  exportForm.addEventListener('submit', (event) => {
    event.preventDefault()
    void (async () => {
      const refuse = (title: string, detail: string): void => { replaceChildren(exportNote, errorBox({ code: 'BAD_PASSPHRASE', title, detail, retryable: false })) }
      if (pass1.value === '') { refuse('The passphrase is empty', 'Choose a passphrase: without it the file cannot be opened.'); return }
      if (pass1.value !== pass2.value) { refuse('The two passphrases differ', 'Type the same passphrase twice. Nothing was saved.'); return }
      exportButton.disabled = true
      replaceChildren(exportNote, h('p', { class: 'hint' }, 'Sealing the backup (a few seconds)…'))
      await nextPaint()
      try {
        const { file, peerId, contacts } = await exportBackup(app.storage, pass1.value)
        const url = URL.createObjectURL(new Blob([file as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }))
        const link = h('a', { href: url, download: fileName(app.config.profile), class: 'visually-hidden' }, 'backup')
        document.body.append(link)
        link.click()
        link.remove()
        setTimeout(() => { URL.revokeObjectURL(url) }, 60_000)
        pass1.value = ''
        pass2.value = ''
        replaceChildren(exportNote, h('p', { class: 'hint ok', testid: 'backup-exported', 'data-peer-id': peerId, 'data-contacts': contacts },
          `Backed up identity ${peerId} and ${contacts} contact${contacts === 1 ? '' : 's'}. Keep the file and the passphrase: without the passphrase the file cannot be opened.`))
      } catch (err) {
        replaceChildren(exportNote, errorBox(backupError(err)))
      } finally {
        exportButton.disabled = false
      }
    })()
  })

  // Import: a file and its passphrase, into a profile with no contacts; then the page reopens with it.
  const file = h('input', { id: 'backup-file', testid: 'backup-file', type: 'file', accept: '.gini-backup,application/octet-stream' })
  const pass = passwordInput('restore-pass', 'current-password')
  const importNote = h('div', { class: 'slot', testid: 'backup-import-status' })
  const importButton = h('button', { type: 'submit', class: 'primary', testid: 'backup-import' }, 'Restore from backup')
  const importForm = h('form', { class: 'card form', novalidate: true },
    h('p', { class: 'hint' }, 'Restore an identity and its contacts from a backup file (made here or with `gini backup`). Only into a profile without contacts.'),
    h('label', { for: 'backup-file' }, 'Backup file'), file,
    h('label', { for: 'restore-pass' }, 'Passphrase'), pass,
    importNote, importButton)
  importForm.addEventListener('submit', (event) => {
    event.preventDefault()
    void (async () => {
      const chosen = file.files?.[0]
      if (chosen == null) { replaceChildren(importNote, errorBox({ code: 'NO_FILE', title: 'No file chosen', detail: 'Choose the backup file first.', retryable: false })); return }
      if (pass.value === '') { replaceChildren(importNote, errorBox({ code: 'BAD_PASSPHRASE', title: 'The passphrase is empty', detail: 'Type the passphrase the backup was made with.', retryable: false })); return }
      importButton.disabled = true
      replaceChildren(importNote, h('p', { class: 'hint' }, 'Opening the backup (a few seconds)…'))
      await nextPaint()
      let stoppedPresence = false
      try {
        const existing = (await app.node.contacts()).length
        if (existing > 0) throw new ProfileInUseError(existing, app.config.profile)
        const bytes = new Uint8Array(await chosen.arrayBuffer())
        // The identity this profile made on first open is known to nobody: replacing it loses nothing.
        const result = await importBackup(app.storage, bytes, pass.value, {
          force: true,
          beforeReplace: async (replaced) => {
            if (replaced.contacts > 0) throw new ProfileInUseError(replaced.contacts, app.config.profile)
            // The running node speaks with the old identity: take it offline before the records change.
            stoppedPresence = true
            await app.presence.stop()
          }
        })
        pass.value = ''
        replaceChildren(importNote, h('p', { class: 'hint ok', testid: 'backup-imported', 'data-peer-id': result.peerId, 'data-contacts': result.contacts },
          `Restored identity ${result.peerId} and ${result.contacts} contact${result.contacts === 1 ? '' : 's'}. Reopening…`))
        // The node in memory holds the replaced identity: reopen the page (and the profile's other tabs) with the restored one.
        announceRestored(app.config.dbName)
        location.hash = '#/'
        location.reload()
      } catch (err) {
        replaceChildren(importNote, errorBox(backupError(err)))
        if (stoppedPresence) app.goOnline()
        importButton.disabled = false
      }
    })()
  })

  return h('section', { class: 'settings-section', testid: 'backup' },
    h('h2', {}, 'Backup'),
    exportForm,
    h('h2', {}, 'Restore'),
    importForm)
}

function restoredChannel (dbName: string): BroadcastChannel | undefined {
  return typeof BroadcastChannel === 'function' ? new BroadcastChannel(`giniconnect-restored:${dbName}`) : undefined
}

/** Tells this profile's other tabs that the identity was replaced (they reload). */
export function announceRestored (dbName: string): void {
  restoredChannel(dbName)?.postMessage('restored')
}

/** Other tabs of this profile hold the replaced identity in memory: a restore in one tab reloads them. */
export function reloadWhenRestoredElsewhere (dbName: string): void {
  const channel = restoredChannel(dbName)
  if (channel != null) channel.onmessage = () => { location.reload() }
}

export type StorageState = 'persistent' | 'refused' | 'unsupported'

/** Asks the browser to keep this origin's storage (it may clear it under pressure otherwise). */
export async function askPersistentStorage (): Promise<StorageState> {
  const storage = navigator.storage
  if (storage?.persist == null || storage.persisted == null) return 'unsupported'
  if (await storage.persisted()) return 'persistent'
  return await storage.persist() ? 'persistent' : 'refused'
}

export function storagePart (): HTMLElement {
  const line = h('p', { class: 'hint', testid: 'storage-persisted', role: 'status' }, 'Asking the browser to keep this profile’s storage…')
  void askPersistentStorage().then(state => {
    line.dataset.state = state
    replaceChildren(line, ...(state === 'persistent'
      ? [h('strong', {}, 'Storage is persistent:'), ' the browser will not clear your identity and contacts to free space.']
      : state === 'refused'
        ? [h('strong', {}, 'The browser refused persistent storage:'), ' it may clear your identity and contacts when space runs low (or after a long time unused). Keep a backup file.']
        : [h('strong', {}, 'This browser cannot keep storage persistent:'), ' it may clear your identity and contacts. Keep a backup file.']))
  }, (err: unknown) => {
    line.dataset.state = 'unsupported'
    replaceChildren(line, `Could not ask the browser to keep storage (${err instanceof Error ? err.message : String(err)}). Keep a backup file.`)
  })
  return h('section', { class: 'settings-section' }, h('h2', {}, 'Storage'), line)
}
