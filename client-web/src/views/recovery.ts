// The identity's recovery words (docs/protocol.md §20.2, peer/core/identity.ts, as `gini key
// --mnemonic` and `gini restore --mnemonic`): shown in Settings only on request, behind a warning;
// and, on first run, the identity recreated from them (same peer id and permanent key).
import { MnemonicError, ready, splitMnemonic } from '../../../protocols/crypto/index.js'
import { identityFromMnemonic, identityMnemonic } from '../../../peer/core/identity.js'
import { peerIdOf } from '../../../peer/core/backup.js'
import type { App, View } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { errorBox, topBar } from './parts.js'
import { announceRestored } from './backup.js'
import type { ShownError } from '../words.js'

const WARNING = 'Anyone who reads these words can become you: take over your identity and talk to your contacts as you. Write them on paper and keep them offline; never type them into a website or a message, and never show them to anyone.'

function wordList (words: string[], testid: string, start = 1): HTMLElement {
  return h('ol', { class: 'recovery-words', testid, start },
    ...words.map((w, i) => h('li', {}, h('span', { class: 'n', 'aria-hidden': 'true' }, `${start + i}.`), h('span', { testid: 'recovery-word' }, w))))
}

/** Settings: the words behind a button and a warning, hidden again on request. */
export function recoveryWordsPart (app: App): HTMLElement {
  const slot = h('div', { class: 'slot' })
  const show = h('button', { type: 'button', testid: 'show-recovery-words' }, 'Show recovery words')
  const hide = (): void => { replaceChildren(slot); show.hidden = false }
  show.addEventListener('click', () => {
    void (async () => {
      const record = await app.storage.loadIdentity()
      if (record == null) { replaceChildren(slot, errorBox({ code: 'NO_IDENTITY', title: 'No identity yet', detail: 'Reload the page.', retryable: true })); return }
      const m = identityMnemonic(record)
      show.hidden = true
      const hideButton = h('button', { type: 'button', testid: 'hide-recovery-words', onclick: hide }, 'Hide the words')
      replaceChildren(slot, h('div', { class: 'card warning', testid: 'recovery-words-shown', 'data-kind': m.kind },
        h('p', {}, h('strong', {}, 'Keep these words secret. '), WARNING),
        ...(m.kind === 'root'
          ? [wordList(m.words, 'recovery-words')]
          : [h('p', {}, 'This identity was made before recovery words, so it has two lists, one per key; keep both, in this order.'),
              h('h3', {}, 'Peer key'), wordList(m.peerKeyWords, 'recovery-words'),
              h('h3', {}, 'Permanent key'), wordList(m.ppkWords, 'recovery-words-ppk', 25)]),
        h('p', { class: 'hint' }, 'They bring back your peer id and permanent key only: contacts come back from a backup file, or by pairing again.'),
        hideButton))
    })()
  })
  return h('section', { class: 'settings-section', testid: 'recovery' },
    h('h2', {}, 'Recovery words'),
    h('p', { class: 'hint' }, 'Your identity can be recreated from 24 words, in this browser or with `gini restore --mnemonic`. Show them only where nobody can see your screen.'),
    show,
    slot)
}

/** The words did not decode: which one, or that the checksum failed; nothing was changed. */
function wordsError (err: unknown, words: string[]): ShownError {
  if (err instanceof MnemonicError) {
    if (err.position != null) {
      // Named by position only, as `gini restore --mnemonic` does: the words stay out of messages.
      return { code: 'BAD_RECOVERY_WORD', title: `Word ${err.position} is not a recovery word`, detail: `Word ${err.position} of the ${words.length} is not on the list of recovery words: check its spelling. Nothing was changed.`, retryable: false }
    }
    if (/checksum/.test(err.message)) {
      return { code: 'BAD_RECOVERY_CHECKSUM', title: 'These words do not fit together', detail: 'Every word is on the list, but the checksum does not match: a word is wrong or two are swapped. Nothing was changed.', retryable: false }
    }
    return { code: 'BAD_RECOVERY_WORDS', title: 'Not a recovery phrase', detail: `${err.message[0].toUpperCase()}${err.message.slice(1)}. Nothing was changed.`, retryable: false }
  }
  return { code: 'FAILED', title: 'Something went wrong', detail: err instanceof Error ? err.message : String(err), retryable: true }
}

/** First run (or a profile without contacts): recreate the identity from its words, then reopen. */
export function recoverView (app: App): View {
  const input = h('textarea', { id: 'recover-words', testid: 'recover-words', rows: 6, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', placeholder: 'word1 word2 … word24' })
  const note = h('div', { class: 'slot', testid: 'recover-status' })
  const submit = h('button', { type: 'submit', class: 'primary', testid: 'recover-submit' }, 'Restore my identity')
  const form = h('form', { class: 'card form', novalidate: true },
    h('label', { for: 'recover-words' }, 'Your 24 recovery words, in order'),
    input,
    h('p', { class: 'hint' }, 'Spaces, commas, numbers and capitals do not matter. An identity made before recovery words has 48 (peer key first).'),
    note, submit)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void (async () => {
      const words = splitMnemonic(input.value)
      submit.disabled = true
      let stoppedPresence = false
      try {
        await ready()
        let record
        try {
          record = await identityFromMnemonic(words, Date.now())
        } catch (err) {
          replaceChildren(note, errorBox(wordsError(err, words)))
          return
        }
        const peerId = peerIdOf(record)
        if (peerId === app.node.peerId.toString()) {
          replaceChildren(note, h('p', { class: 'hint ok', testid: 'recover-done', 'data-peer-id': peerId }, `This profile already is ${peerId}. Nothing was changed.`))
          return
        }
        // Only the identity this profile made on first open may be replaced: it is known to nobody.
        const contacts = (await app.node.contacts()).length
        if (contacts > 0) {
          replaceChildren(note, errorBox({ code: 'PROFILE_IN_USE', title: 'This profile is in use', detail: `This browser profile ("${app.config.profile}") already has ${contacts} contact${contacts === 1 ? '' : 's'}; restoring would cut them off. Nothing was changed. Restore into a new profile: open this page with ?profile=<new name>.`, retryable: false }))
          return
        }
        // The running node speaks with the old identity: offline before the record changes.
        stoppedPresence = true
        await app.presence.stop()
        await app.storage.saveIdentity(record)
        input.value = ''
        replaceChildren(note, h('p', { class: 'hint ok', testid: 'recover-done', 'data-peer-id': peerId }, `Restored identity ${peerId}. Reopening…`))
        announceRestored(app.config.dbName)
        location.hash = app.me == null ? '#/profile' : '#/'
        location.reload()
      } catch (err) {
        replaceChildren(note, errorBox(wordsError(err, words)))
        if (stoppedPresence) app.goOnline()
      } finally {
        submit.disabled = false
      }
    })()
  })
  const el = h('section', { class: 'view' },
    topBar(app, 'Restore from recovery words', { name: app.me == null ? 'profile' : 'settings' }),
    h('p', { class: 'intro' }, 'Type the 24 words you wrote down: this browser becomes the same identity (the same peer id) again. Your card and contacts are not in the words: set your card next, and restore contacts from a backup file or pair again.'),
    form)
  queueMicrotask(() => { input.focus() })
  return { el }
}
