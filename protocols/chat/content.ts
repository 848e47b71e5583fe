// What a person may send (docs/protocol.md §15.2, §15.4), apart from the wire code: the CLI checks a
// text with it before going online or asking the daemon, without loading the rest of the protocol.
import { CHAT_CONTENT_MAX_BYTES, CHAT_REACTION_PATTERN } from './constants.js'

export type ChatKind = 'MESSAGE' | 'EDIT' | 'DELETE' | 'REACT'

const encoder = new TextEncoder()

/** Why a text cannot be sent, or undefined when it can (§15.2, §15.4): checked before anything is stored. */
export function contentProblem (type: ChatKind, content: string): string | undefined {
  const bytes = encoder.encode(content).length
  if (bytes > CHAT_CONTENT_MAX_BYTES) return `the message is ${bytes} bytes; at most ${CHAT_CONTENT_MAX_BYTES} fit (§15.2)`
  if ((type === 'MESSAGE' || type === 'EDIT') && content.trim() === '') return 'the message is empty'
  if (type === 'REACT' && content !== '' && !CHAT_REACTION_PATTERN.test(content)) return 'a reaction is a short code such as :thumbsup:'
  if (type === 'DELETE' && content !== '') return 'a deletion carries no text'
  return undefined
}
