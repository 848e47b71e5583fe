// One chat envelope (docs/protocol.md §15.2, §15.4): the checks a receiver applies before storing
// anything, and the plain record both ends and both storages use (ids as lowercase hex).
import { ProtocolViolationError } from '../common/index.js'
import { fromHex, toHex } from '../crypto/index.js'
import { CHAT_ID_BYTES } from './constants.js'
import { contentProblem, type ChatKind } from './content.js'
import { ChatType, type ChatEnvelope } from './pb/chat.js'

export type { ChatKind }

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
