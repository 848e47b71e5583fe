// One chat envelope (docs/protocol.md §15.2, §15.4): the checks a receiver applies before storing
// anything, and the plain record both ends and both storages use (ids as lowercase hex).
import { ProtocolViolationError } from '../common/index.js'
import { fromHex, toHex } from '../crypto/index.js'
import { CHAT_CONTENT_MAX_BYTES, CHAT_ID_BYTES, CHAT_REACTION_PATTERN } from './constants.js'
import { ChatType, type ChatEnvelope } from './pb/chat.js'

export type ChatKind = 'MESSAGE' | 'EDIT' | 'DELETE' | 'REACT'

/** An envelope as stored and shown: wire fields with hex ids and plain numbers. */
export interface EnvelopeRecord {
  /** 32 hex characters (16 bytes). */
  id: string
  type: ChatKind
  content: string
  /** EDIT, DELETE, REACT: the id of the MESSAGE they refer to. */
  target?: string
  sentAtMs: number
  seq: number
}

const KIND_OF: Partial<Record<ChatType, ChatKind>> = {
  [ChatType.MESSAGE]: 'MESSAGE',
  [ChatType.EDIT]: 'EDIT',
  [ChatType.DELETE]: 'DELETE',
  [ChatType.REACT]: 'REACT'
}

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

/** §15.4 well-formedness; anything else is PROTOCOL_VIOLATION for the stream (nothing stored). */
export function envelopeFromWire (env: ChatEnvelope): EnvelopeRecord {
  const type = KIND_OF[env.type]
  if (type == null || env.id.length !== CHAT_ID_BYTES) throw new ProtocolViolationError()
  const needsTarget = type !== 'MESSAGE'
  if (needsTarget ? env.target.length !== CHAT_ID_BYTES : env.target.length !== 0) throw new ProtocolViolationError()
  if (contentProblem(type, env.content) != null) throw new ProtocolViolationError()
  if (env.seq < 1n || env.seq > BigInt(Number.MAX_SAFE_INTEGER) || env.sentAtMs > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtocolViolationError()
  const record: EnvelopeRecord = { id: toHex(env.id), type, content: env.content, sentAtMs: Number(env.sentAtMs), seq: Number(env.seq) }
  if (needsTarget) record.target = toHex(env.target)
  return record
}

export function envelopeToWire (r: EnvelopeRecord): ChatEnvelope {
  return {
    id: new Uint8Array(fromHex(r.id)),
    type: ChatType[r.type],
    content: r.content,
    target: r.target != null ? new Uint8Array(fromHex(r.target)) : new Uint8Array(0),
    sentAtMs: BigInt(r.sentAtMs),
    seq: BigInt(r.seq)
  }
}
