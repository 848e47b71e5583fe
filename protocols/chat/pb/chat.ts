/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum ChatType {
  CHAT_TYPE_UNSPECIFIED = 'CHAT_TYPE_UNSPECIFIED',
  MESSAGE = 'MESSAGE',
  EDIT = 'EDIT',
  DELETE = 'DELETE',
  REACT = 'REACT'
}

enum __ChatTypeValues {
  CHAT_TYPE_UNSPECIFIED = 0,
  MESSAGE = 1,
  EDIT = 2,
  DELETE = 3,
  REACT = 4
}

export namespace ChatType {
  export const codec = (): Codec<ChatType> => {
    return enumeration<ChatType>(__ChatTypeValues)
  }
}

export interface ChatEnvelope {
  id: Uint8Array<ArrayBuffer>
  type: ChatType
  content: string
  target: Uint8Array<ArrayBuffer>
  sentAtMs: bigint
  seq: bigint
}

export namespace ChatEnvelope {
  let _codec: Codec<ChatEnvelope>

  export const codec = (): Codec<ChatEnvelope> => {
    if (_codec == null) {
      _codec = message<ChatEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if (obj.type != null && __ChatTypeValues[obj.type] !== 0) {
          w.uint32(16)
          ChatType.codec().encode(obj.type, w)
        }

        if ((obj.content != null && obj.content !== '')) {
          w.uint32(26)
          w.string(obj.content)
        }

        if ((obj.target != null && obj.target.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.target)
        }

        if ((obj.sentAtMs != null && obj.sentAtMs !== 0n)) {
          w.uint32(40)
          w.uint64(obj.sentAtMs)
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(48)
          w.uint64(obj.seq)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          type: ChatType.CHAT_TYPE_UNSPECIFIED,
          content: '',
          target: uint8ArrayAlloc(0),
          sentAtMs: 0n,
          seq: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.type = ChatType.codec().decode(reader)
              break
            }
            case 3: {
              obj.content = reader.string()
              break
            }
            case 4: {
              obj.target = reader.bytes()
              break
            }
            case 5: {
              obj.sentAtMs = reader.uint64()
              break
            }
            case 6: {
              obj.seq = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.type`,
                value: ChatType.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.content`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.target`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.sentAtMs`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ChatEnvelopeIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatEnvelopeTypeFieldEvent {
    field: '$.type'
    value: ChatType
  }

  export interface ChatEnvelopeContentFieldEvent {
    field: '$.content'
    value: string
  }

  export interface ChatEnvelopeTargetFieldEvent {
    field: '$.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatEnvelopeSentAtMsFieldEvent {
    field: '$.sentAtMs'
    value: bigint
  }

  export interface ChatEnvelopeSeqFieldEvent {
    field: '$.seq'
    value: bigint
  }

  export function encode (obj: Partial<ChatEnvelope>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChatEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatEnvelope>): ChatEnvelope {
    return decodeMessage(buf, ChatEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatEnvelope>): Generator<ChatEnvelopeIdFieldEvent | ChatEnvelopeTypeFieldEvent | ChatEnvelopeContentFieldEvent | ChatEnvelopeTargetFieldEvent | ChatEnvelopeSentAtMsFieldEvent | ChatEnvelopeSeqFieldEvent> {
    return streamMessage(buf, ChatEnvelope.codec(), opts)
  }
}

export interface ChatAck {
  ids: Uint8Array<ArrayBuffer>[]
}

export namespace ChatAck {
  let _codec: Codec<ChatAck>

  export const codec = (): Codec<ChatAck> => {
    if (_codec == null) {
      _codec = message<ChatAck>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.ids != null && obj.ids.length > 0) {
          for (const value of obj.ids) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ids: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              obj.ids.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          ids: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              yield {
                field: `${prefix}.ids[]`,
                index: obj.ids,
                value: reader.bytes()
              }

              obj.ids++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ChatAckIdsFieldEvent {
    field: '$.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ChatAck>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChatAck.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatAck>): ChatAck {
    return decodeMessage(buf, ChatAck.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatAck>): Generator<ChatAckIdsFieldEvent> {
    return streamMessage(buf, ChatAck.codec(), opts)
  }
}

export interface ChatMessage {
  envelope?: ChatEnvelope
  ack?: ChatAck
  error?: ErrorFrame
}

export namespace ChatMessage {
  let _codec: Codec<ChatMessage>

  export const codec = (): Codec<ChatMessage> => {
    if (_codec == null) {
      _codec = message<ChatMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.error != null) {
          obj.ack = undefined
          obj.envelope = undefined
        }

        if (obj.ack != null) {
          obj.error = undefined
          obj.envelope = undefined
        }

        if (obj.envelope != null) {
          obj.error = undefined
          obj.ack = undefined
        }

        if (obj.envelope != null) {
          w.uint32(10)
          ChatEnvelope.codec().encode(obj.envelope, w)
        }

        if (obj.ack != null) {
          w.uint32(18)
          ChatAck.codec().encode(obj.ack, w)
        }

        if (obj.error != null) {
          w.uint32(26)
          ErrorFrame.codec().encode(obj.error, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.envelope = ChatEnvelope.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.envelope
              })
              break
            }
            case 2: {
              obj.ack = ChatAck.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ack
              })
              break
            }
            case 3: {
              obj.error = ErrorFrame.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.error
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.error != null) {
          delete obj.ack
          delete obj.envelope
        }

        if (obj.ack != null) {
          delete obj.error
          delete obj.envelope
        }

        if (obj.envelope != null) {
          delete obj.error
          delete obj.ack
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * ChatEnvelope.codec().stream(reader, reader.uint32(), `${prefix}.envelope`, {
                limits: opts.limits?.envelope
              })

              break
            }
            case 2: {
              yield * ChatAck.codec().stream(reader, reader.uint32(), `${prefix}.ack`, {
                limits: opts.limits?.ack
              })

              break
            }
            case 3: {
              yield * ErrorFrame.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                limits: opts.limits?.error
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ChatMessageEnvelopeIdFieldEvent {
    field: '$.envelope.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatMessageEnvelopeTypeFieldEvent {
    field: '$.envelope.type'
    value: ChatType
  }

  export interface ChatMessageEnvelopeContentFieldEvent {
    field: '$.envelope.content'
    value: string
  }

  export interface ChatMessageEnvelopeTargetFieldEvent {
    field: '$.envelope.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatMessageEnvelopeSentAtMsFieldEvent {
    field: '$.envelope.sentAtMs'
    value: bigint
  }

  export interface ChatMessageEnvelopeSeqFieldEvent {
    field: '$.envelope.seq'
    value: bigint
  }

  export interface ChatMessageAckIdsFieldEvent {
    field: '$.ack.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatMessageErrorCodeFieldEvent {
    field: '$.error.code'
    value: ErrorCode
  }

  export interface ChatMessageErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<ChatMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChatMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatMessage>): ChatMessage {
    return decodeMessage(buf, ChatMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatMessage>): Generator<ChatMessageEnvelopeIdFieldEvent | ChatMessageEnvelopeTypeFieldEvent | ChatMessageEnvelopeContentFieldEvent | ChatMessageEnvelopeTargetFieldEvent | ChatMessageEnvelopeSentAtMsFieldEvent | ChatMessageEnvelopeSeqFieldEvent | ChatMessageAckIdsFieldEvent | ChatMessageErrorCodeFieldEvent | ChatMessageErrorMessageFieldEvent> {
    return streamMessage(buf, ChatMessage.codec(), opts)
  }
}

export enum ErrorCode {
  UNSPECIFIED = 'UNSPECIFIED',
  NO_MATCHING_FLASH_CODE = 'NO_MATCHING_FLASH_CODE',
  INCORRECT_MFC = 'INCORRECT_MFC',
  EXPIRED = 'EXPIRED',
  FLASH_CODE_IN_USE = 'FLASH_CODE_IN_USE',
  PROTOCOL_VIOLATION = 'PROTOCOL_VIOLATION',
  RATE_LIMITED = 'RATE_LIMITED',
  PEER_LEFT = 'PEER_LEFT',
  INCORRECT_SHARED_SECRET = 'INCORRECT_SHARED_SECRET',
  UNSUPPORTED_VERSION = 'UNSUPPORTED_VERSION',
  INVALID_CARD = 'INVALID_CARD',
  SESSION_FAILED = 'SESSION_FAILED',
  UNREACHABLE = 'UNREACHABLE',
  RELAY_SHUTTING_DOWN = 'RELAY_SHUTTING_DOWN'
}

enum __ErrorCodeValues {
  UNSPECIFIED = 0,
  NO_MATCHING_FLASH_CODE = 1,
  INCORRECT_MFC = 2,
  EXPIRED = 3,
  FLASH_CODE_IN_USE = 4,
  PROTOCOL_VIOLATION = 5,
  RATE_LIMITED = 6,
  PEER_LEFT = 7,
  INCORRECT_SHARED_SECRET = 8,
  UNSUPPORTED_VERSION = 9,
  INVALID_CARD = 10,
  SESSION_FAILED = 11,
  UNREACHABLE = 12,
  RELAY_SHUTTING_DOWN = 13
}

export namespace ErrorCode {
  export const codec = (): Codec<ErrorCode> => {
    return enumeration<ErrorCode>(__ErrorCodeValues)
  }
}

export interface ErrorFrame {
  code: ErrorCode
  message: string
}

export namespace ErrorFrame {
  let _codec: Codec<ErrorFrame>

  export const codec = (): Codec<ErrorFrame> => {
    if (_codec == null) {
      _codec = message<ErrorFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.code != null && __ErrorCodeValues[obj.code] !== 0) {
          w.uint32(8)
          ErrorCode.codec().encode(obj.code, w)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(18)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          code: ErrorCode.UNSPECIFIED,
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.code = ErrorCode.codec().decode(reader)
              break
            }
            case 2: {
              obj.message = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.code`,
                value: ErrorCode.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ErrorFrameCodeFieldEvent {
    field: '$.code'
    value: ErrorCode
  }

  export interface ErrorFrameMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<ErrorFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ErrorFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ErrorFrame>): ErrorFrame {
    return decodeMessage(buf, ErrorFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ErrorFrame>): Generator<ErrorFrameCodeFieldEvent | ErrorFrameMessageFieldEvent> {
    return streamMessage(buf, ErrorFrame.codec(), opts)
  }
}

export interface Sealed {
  nonce: Uint8Array<ArrayBuffer>
  ciphertext: Uint8Array<ArrayBuffer>
}

export namespace Sealed {
  let _codec: Codec<Sealed>

  export const codec = (): Codec<Sealed> => {
    if (_codec == null) {
      _codec = message<Sealed>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.nonce)
        }

        if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.ciphertext)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          nonce: uint8ArrayAlloc(0),
          ciphertext: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.nonce = reader.bytes()
              break
            }
            case 2: {
              obj.ciphertext = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.ciphertext`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SealedNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SealedCiphertextFieldEvent {
    field: '$.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Sealed>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Sealed.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Sealed>): Sealed {
    return decodeMessage(buf, Sealed.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Sealed>): Generator<SealedNonceFieldEvent | SealedCiphertextFieldEvent> {
    return streamMessage(buf, Sealed.codec(), opts)
  }
}

export interface Done {}

export namespace Done {
  let _codec: Codec<Done>

  export const codec = (): Codec<Done> => {
    if (_codec == null) {
      _codec = message<Done>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<Done>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Done.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Done>): Done {
    return decodeMessage(buf, Done.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Done>): Generator<{}> {
    return streamMessage(buf, Done.codec(), opts)
  }
}

export interface PeerInfo {
  peerId: Uint8Array<ArrayBuffer>
  multiaddrs: Uint8Array<ArrayBuffer>[]
  atMs: bigint
}

export namespace PeerInfo {
  let _codec: Codec<PeerInfo>

  export const codec = (): Codec<PeerInfo> => {
    if (_codec == null) {
      _codec = message<PeerInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.peerId)
        }

        if (obj.multiaddrs != null && obj.multiaddrs.length > 0) {
          for (const value of obj.multiaddrs) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if ((obj.atMs != null && obj.atMs !== 0n)) {
          w.uint32(24)
          w.uint64(obj.atMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peerId: uint8ArrayAlloc(0),
          multiaddrs: [],
          atMs: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peerId = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.multiaddrs != null && obj.multiaddrs.length === opts.limits.multiaddrs) {
                throw new MaxLengthError('Decode error - repeated field "multiaddrs" had too many elements')
              }

              obj.multiaddrs.push(reader.bytes())
              break
            }
            case 3: {
              obj.atMs = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          multiaddrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.multiaddrs != null && obj.multiaddrs === opts.limits.multiaddrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "multiaddrs" had too many elements')
              }

              yield {
                field: `${prefix}.multiaddrs[]`,
                index: obj.multiaddrs,
                value: reader.bytes()
              }

              obj.multiaddrs++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.atMs`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PeerInfoPeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerInfoMultiaddrsFieldEvent {
    field: '$.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerInfoAtMsFieldEvent {
    field: '$.atMs'
    value: bigint
  }

  export function encode (obj: Partial<PeerInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PeerInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerInfo>): PeerInfo {
    return decodeMessage(buf, PeerInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerInfo>): Generator<PeerInfoPeerIdFieldEvent | PeerInfoMultiaddrsFieldEvent | PeerInfoAtMsFieldEvent> {
    return streamMessage(buf, PeerInfo.codec(), opts)
  }
}
