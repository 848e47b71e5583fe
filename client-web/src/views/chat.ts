// One conversation (docs/protocol.md §15): every message in the order both sides show (§15.5), ours
// on the right with a delivery mark (⏳ queued in the outbox, ✓ acknowledged by the contact), edits,
// deletions and reactions, and the input. Sending goes through the daemon's ChatService, which stores
// first and writes when the contact is online (§15.6); the view redraws from storage on each chat event.
// Files with this contact (§17) sit below the messages, with the file picker above the input (files.ts).
import { contentProblem, showConversation, type ShownMessage } from '../../../protocols/chat/index.js'
import { ChatInputError } from '../../../peer/core/chat/chat-service.js'
import { displayName } from '../../../peer/core/contact-names.js'
import type { App, View } from '../app.js'
import { h, replaceChildren } from '../dom.js'
import { markRead } from '../unread.js'
import { topBar, statusDot, errorBox } from './parts.js'
import { filesPanel } from './files.js'

/** Another tab of this profile may write the store; this also catches what it received. */
const REFRESH_MS = 3_000

/** The reactions the menu offers: §15.4 short codes, shown as their emoji. */
export const REACTIONS: ReadonlyArray<[string, string]> = [
  [':thumbsup:', '👍'], [':heart:', '❤️'], [':joy:', '😂'], [':open_mouth:', '😮'], [':cry:', '😢']
]
const EMOJI = new Map(REACTIONS)

export async function chatView (app: App, id: string): Promise<View> {
  const contact = await app.node.findContact(id)
  if (contact == null) {
    return {
      el: h('section', { class: 'view' }, topBar(app, 'Chat', { name: 'home' }),
        errorBox({ code: 'NO_CONTACT', title: 'No such contact', detail: 'It may have been paired in another profile.', retryable: false }))
    }
  }
  // Their local nickname when it has one (docs/protocol.md §19), as the contact list shows it.
  const name = displayName(contact)
  const store = await app.node.messages()
  const list = h('ol', { class: 'messages', testid: 'messages', 'aria-label': `Conversation with ${name}`, 'aria-live': 'polite' })
  const problem = h('div', { class: 'slot', testid: 'chat-error', role: 'alert' })
  const editing = h('div', { class: 'slot editing', testid: 'chat-editing' })
  const input = h('textarea', {
    class: 'chat-input', testid: 'chat-input', rows: 1, placeholder: 'Message', 'aria-label': `Message to ${name}`, autocomplete: 'off'
  })
  const send = h('button', { type: 'submit', class: 'primary chat-send', testid: 'chat-send', 'aria-label': 'Send' }, 'Send')
  const state = h('span', { class: 'chat-state' })
  let editTarget: ShownMessage | undefined
  let menuOpen: string | undefined
  let shown = ''
  let disposed = false

  const showState = async (): Promise<void> => {
    const c = await app.node.findContact(id)
    if (c != null) replaceChildren(state, statusDot(c.state), c.state)
  }

  const render = async (): Promise<void> => {
    const envelopes = await store.list(id)
    if (disposed) return
    markRead(app.config.profile, id, envelopes)
    const messages = showConversation(envelopes)
    const key = JSON.stringify([messages, menuOpen])
    if (key === shown) return
    shown = key
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40
    list.dataset.count = String(messages.length)
    if (messages.length === 0) {
      replaceChildren(list, h('li', { class: 'empty' }, `No messages yet. Say hello to ${name}.`))
    } else {
      replaceChildren(list, ...messages.map(messageItem))
    }
    if (atBottom || list.dataset.scrolled !== 'true') list.scrollTop = list.scrollHeight
  }

  const messageItem = (m: ShownMessage): HTMLElement => {
    const out = m.author === 'me'
    const mark = out
      ? h('span', { class: 'mark', testid: 'delivery', title: m.delivered ? 'Delivered' : 'Queued: goes out when they are online' }, m.delivered ? '✓' : '⏳')
      : null
    // The word too: the hourglass is an emoji, and not every system has a font for it.
    const queued = out && !m.delivered ? h('span', { class: 'queued' }, 'queued') : null
    const reactions = (['me', 'them'] as const).flatMap(a => m.reactions[a] != null ? [[a, m.reactions[a]!] as const] : [])
    const item = h('li', {
      class: `msg ${out ? 'out' : 'in'}${m.deleted ? ' deleted' : ''}`,
      testid: 'message',
      'data-id': m.id,
      'data-direction': out ? 'out' : 'in',
      'data-delivered': String(m.delivered),
      'data-edited': String(m.edited),
      'data-deleted': String(m.deleted)
    },
    h('div', { class: 'bubble' },
      m.deleted
        ? h('span', { class: 'text gone', testid: 'message-text' }, 'Message deleted')
        : h('span', { class: 'text', testid: 'message-text' }, m.content),
      h('span', { class: 'meta' },
        m.edited && !m.deleted ? h('span', { class: 'edited', testid: 'edited' }, 'edited') : null,
        h('time', { datetime: new Date(m.sentAtMs).toISOString(), title: new Date(m.sentAtMs).toLocaleString() },
          new Date(m.sentAtMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
        queued, mark),
      m.deleted
        ? null
        : h('button', {
          type: 'button',
          class: 'more',
          testid: 'message-menu',
          'aria-label': 'Message actions',
          'aria-expanded': String(menuOpen === m.id),
          onclick: () => { menuOpen = menuOpen === m.id ? undefined : m.id; void render() }
        }, '⋯')
    ),
    reactions.length > 0
      ? h('div', { class: 'reactions', testid: 'reactions' }, ...reactions.map(([a, code]) =>
        h('span', { class: `reaction ${a}`, 'data-author': a, 'data-code': code, title: a === 'me' ? 'Your reaction' : `${name}'s reaction` }, EMOJI.get(code) ?? code)))
      : null,
    menuOpen === m.id ? menu(m) : null
    )
    return item
  }

  const menu = (m: ShownMessage): HTMLElement => {
    const mine = m.reactions.me
    return h('div', { class: 'menu', testid: 'message-actions', role: 'menu' },
      h('div', { class: 'react-row' }, ...REACTIONS.map(([code, emoji]) => h('button', {
        type: 'button',
        class: `react${mine === code ? ' chosen' : ''}`,
        testid: 'react',
        'data-code': code,
        role: 'menuitem',
        'aria-label': mine === code ? `Remove ${code}` : `React ${code}`,
        onclick: () => { menuOpen = undefined; void submit('REACT', mine === code ? '' : code, m.id) }
      }, emoji))),
      m.author === 'me'
        ? h('div', { class: 'menu-actions' },
          h('button', { type: 'button', testid: 'edit', role: 'menuitem', onclick: () => { startEdit(m) } }, 'Edit'),
          h('button', {
            type: 'button',
            class: 'danger',
            testid: 'delete',
            role: 'menuitem',
            onclick: () => { menuOpen = undefined; void submit('DELETE', '', m.id) }
          }, 'Delete'))
        : null)
  }

  const startEdit = (m: ShownMessage): void => {
    menuOpen = undefined
    editTarget = m
    input.value = m.content
    replaceChildren(editing, 'Editing your message. ',
      h('button', { type: 'button', class: 'link', testid: 'edit-cancel', onclick: () => { stopEdit(); input.value = '' } }, 'Cancel'))
    send.textContent = 'Save'
    void render()
    input.focus()
  }

  const stopEdit = (): void => {
    editTarget = undefined
    replaceChildren(editing)
    send.textContent = 'Send'
  }

  const showProblem = (detail: string): void => {
    replaceChildren(problem, errorBox({ code: 'NOT_SENT', title: 'Not sent', detail, retryable: false }))
  }

  /** Checked by the ChatService before anything is stored: on an error nothing is sent. */
  const submit = async (type: 'MESSAGE' | 'EDIT' | 'DELETE' | 'REACT', content: string, target?: string): Promise<boolean> => {
    replaceChildren(problem)
    const bad = contentProblem(type, content)
    if (bad != null) { showProblem(plainWords(bad)); return false }
    const daemon = app.presence.running
    if (daemon == null) {
      showProblem(app.presence.status === 'other-tab'
        ? 'This profile is online in your other tab: write from there.'
        : 'You are offline (no relay reached yet). Try again once the contact list says Online.')
      return false
    }
    try {
      await daemon.chat.send(id, type, content, target)
    } catch (err) {
      const text = err instanceof ChatInputError ? err.message.replace(/^Not sent: /, '') : 'Something went wrong while storing the message.'
      showProblem(plainWords(text))
      return false
    }
    await render()
    return true
  }

  const form = h('form', { class: 'composer', novalidate: true }, input, send)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = input.value
    const target = editTarget
    void (async () => {
      const ok = target != null ? await submit('EDIT', text, target.id) : await submit('MESSAGE', text)
      if (!ok) return
      if (target != null) stopEdit()
      input.value = ''
      input.focus()
    })()
  })
  // Enter sends; Shift+Enter is a new line (and so is Enter while composing with an IME).
  input.addEventListener('keydown', (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      form.requestSubmit()
    }
    if (event.key === 'Escape' && editTarget != null) { stopEdit(); input.value = '' }
  })
  input.addEventListener('input', () => { if (problem.childElementCount > 0) replaceChildren(problem) })
  list.addEventListener('scroll', () => { list.dataset.scrolled = 'true' })

  const files = filesPanel(app, id, name)
  const unsubscribe = app.presence.onChat((e) => { if (e.contact === id) void render() })
  const unwatch = app.presence.onChange(() => { void showState() })
  const timer = setInterval(() => { void render(); void showState() }, REFRESH_MS)
  await render()
  await showState()

  const el = h('section', { class: 'view chat', testid: 'chat', 'data-id': id },
    topBar(app, name, { name: 'home' }),
    h('div', { class: 'chat-head' }, state,
      h('a', { href: `#/contact/${encodeURIComponent(id)}`, testid: 'open-card' }, 'Contact card')),
    list,
    files.list,
    h('div', { class: 'composer-wrap' }, problem, files.el, editing, form))
  queueMicrotask(() => { list.scrollTop = list.scrollHeight })
  return {
    el,
    dispose: () => { disposed = true; clearInterval(timer); unsubscribe(); unwatch(); files.dispose?.() }
  }
}

/** The core's reasons cite a section (for the log); the person reading them does not need that. */
function plainWords (text: string): string {
  const s = text.replace(/\s*\(§[0-9.]+\)/g, '').replace(/\.$/, '')
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}. Nothing was sent.`
}
