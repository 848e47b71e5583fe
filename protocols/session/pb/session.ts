/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SessionHello {
  e: Uint8Array<ArrayBuffer>
  multiaddrs: Uint8Array<ArrayBuffer>[]
  atMs: bigint
  hint?: Uint8Array<ArrayBuffer>
}

export namespace SessionHello {
  let _codec: Codec<SessionHello>

  export const codec = (): Codec<SessionHello> => {
    if (_codec == null) {
      _codec = message<SessionHello>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.e != null && obj.e.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.e)
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

        if (obj.hint != null) {
          w.uint32(34)
          w.bytes(obj.hint)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          e: uint8ArrayAlloc(0),
          multiaddrs: [],
          atMs: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.e = reader.bytes()
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
            case 4: {
              obj.hint = reader.bytes()
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
                field: `${prefix}.e`,
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
            case 4: {
              yield {
                field: `${prefix}.hint`,
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

  export interface SessionHelloEFieldEvent {
    field: '$.e'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionHelloMultiaddrsFieldEvent {
    field: '$.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionHelloAtMsFieldEvent {
    field: '$.atMs'
    value: bigint
  }

  export interface SessionHelloHintFieldEvent {
    field: '$.hint'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SessionHello>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SessionHello.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionHello>): SessionHello {
    return decodeMessage(buf, SessionHello.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionHello>): Generator<SessionHelloEFieldEvent | SessionHelloMultiaddrsFieldEvent | SessionHelloAtMsFieldEvent | SessionHelloHintFieldEvent> {
    return streamMessage(buf, SessionHello.codec(), opts)
  }
}

export interface SessionReply {
  e: Uint8Array<ArrayBuffer>
  confirm: Uint8Array<ArrayBuffer>
  multiaddrs: Uint8Array<ArrayBuffer>[]
}

export namespace SessionReply {
  let _codec: Codec<SessionReply>

  export const codec = (): Codec<SessionReply> => {
    if (_codec == null) {
      _codec = message<SessionReply>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.e != null && obj.e.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.e)
        }

        if ((obj.confirm != null && obj.confirm.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.confirm)
        }

        if (obj.multiaddrs != null && obj.multiaddrs.length > 0) {
          for (const value of obj.multiaddrs) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          e: uint8ArrayAlloc(0),
          confirm: uint8ArrayAlloc(0),
          multiaddrs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.e = reader.bytes()
              break
            }
            case 2: {
              obj.confirm = reader.bytes()
              break
            }
            case 3: {
              if (opts.limits?.multiaddrs != null && obj.multiaddrs.length === opts.limits.multiaddrs) {
                throw new MaxLengthError('Decode error - repeated field "multiaddrs" had too many elements')
              }

              obj.multiaddrs.push(reader.bytes())
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
                field: `${prefix}.e`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.confirm`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
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

  export interface SessionReplyEFieldEvent {
    field: '$.e'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionReplyConfirmFieldEvent {
    field: '$.confirm'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionReplyMultiaddrsFieldEvent {
    field: '$.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SessionReply>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SessionReply.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionReply>): SessionReply {
    return decodeMessage(buf, SessionReply.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionReply>): Generator<SessionReplyEFieldEvent | SessionReplyConfirmFieldEvent | SessionReplyMultiaddrsFieldEvent> {
    return streamMessage(buf, SessionReply.codec(), opts)
  }
}

export interface SessionConfirm {
  confirm: Uint8Array<ArrayBuffer>
}

export namespace SessionConfirm {
  let _codec: Codec<SessionConfirm>

  export const codec = (): Codec<SessionConfirm> => {
    if (_codec == null) {
      _codec = message<SessionConfirm>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.confirm != null && obj.confirm.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.confirm)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          confirm: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.confirm = reader.bytes()
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
                field: `${prefix}.confirm`,
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

  export interface SessionConfirmConfirmFieldEvent {
    field: '$.confirm'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SessionConfirm>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SessionConfirm.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionConfirm>): SessionConfirm {
    return decodeMessage(buf, SessionConfirm.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionConfirm>): Generator<SessionConfirmConfirmFieldEvent> {
    return streamMessage(buf, SessionConfirm.codec(), opts)
  }
}

export interface AddressUpdate {
  multiaddrs: Uint8Array<ArrayBuffer>[]
  seq: bigint
}

export namespace AddressUpdate {
  let _codec: Codec<AddressUpdate>

  export const codec = (): Codec<AddressUpdate> => {
    if (_codec == null) {
      _codec = message<AddressUpdate>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.multiaddrs != null && obj.multiaddrs.length > 0) {
          for (const value of obj.multiaddrs) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(16)
          w.uint64(obj.seq)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          multiaddrs: [],
          seq: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.multiaddrs != null && obj.multiaddrs.length === opts.limits.multiaddrs) {
                throw new MaxLengthError('Decode error - repeated field "multiaddrs" had too many elements')
              }

              obj.multiaddrs.push(reader.bytes())
              break
            }
            case 2: {
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
        const obj = {
          multiaddrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
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
            case 2: {
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

  export interface AddressUpdateMultiaddrsFieldEvent {
    field: '$.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface AddressUpdateSeqFieldEvent {
    field: '$.seq'
    value: bigint
  }

  export function encode (obj: Partial<AddressUpdate>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AddressUpdate.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AddressUpdate>): AddressUpdate {
    return decodeMessage(buf, AddressUpdate.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AddressUpdate>): Generator<AddressUpdateMultiaddrsFieldEvent | AddressUpdateSeqFieldEvent> {
    return streamMessage(buf, AddressUpdate.codec(), opts)
  }
}

export interface CardUpdate {
  seq: bigint
  name: string
  email: string
  photo: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace CardUpdate {
  let _codec: Codec<CardUpdate>

  export const codec = (): Codec<CardUpdate> => {
    if (_codec == null) {
      _codec = message<CardUpdate>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(8)
          w.uint64(obj.seq)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if ((obj.email != null && obj.email !== '')) {
          w.uint32(26)
          w.string(obj.email)
        }

        if ((obj.photo != null && obj.photo.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.photo)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0n,
          name: '',
          email: '',
          photo: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seq = reader.uint64()
              break
            }
            case 2: {
              obj.name = reader.string()
              break
            }
            case 3: {
              obj.email = reader.string()
              break
            }
            case 4: {
              obj.photo = reader.bytes()
              break
            }
            case 5: {
              obj.signature = reader.bytes()
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
                field: `${prefix}.seq`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.email`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.photo`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.signature`,
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

  export interface CardUpdateSeqFieldEvent {
    field: '$.seq'
    value: bigint
  }

  export interface CardUpdateNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface CardUpdateEmailFieldEvent {
    field: '$.email'
    value: string
  }

  export interface CardUpdatePhotoFieldEvent {
    field: '$.photo'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CardUpdateSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CardUpdate>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CardUpdate.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CardUpdate>): CardUpdate {
    return decodeMessage(buf, CardUpdate.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CardUpdate>): Generator<CardUpdateSeqFieldEvent | CardUpdateNameFieldEvent | CardUpdateEmailFieldEvent | CardUpdatePhotoFieldEvent | CardUpdateSignatureFieldEvent> {
    return streamMessage(buf, CardUpdate.codec(), opts)
  }
}

export interface SessionMessage {
  hello?: SessionHello
  reply?: SessionReply
  confirm?: SessionConfirm
  addressUpdate?: AddressUpdate
  error?: ErrorFrame
  cardUpdate?: CardUpdate
}

export namespace SessionMessage {
  let _codec: Codec<SessionMessage>

  export const codec = (): Codec<SessionMessage> => {
    if (_codec == null) {
      _codec = message<SessionMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.cardUpdate != null) {
          obj.error = undefined
          obj.addressUpdate = undefined
          obj.confirm = undefined
          obj.reply = undefined
          obj.hello = undefined
        }

        if (obj.error != null) {
          obj.cardUpdate = undefined
          obj.addressUpdate = undefined
          obj.confirm = undefined
          obj.reply = undefined
          obj.hello = undefined
        }

        if (obj.addressUpdate != null) {
          obj.cardUpdate = undefined
          obj.error = undefined
          obj.confirm = undefined
          obj.reply = undefined
          obj.hello = undefined
        }

        if (obj.confirm != null) {
          obj.cardUpdate = undefined
          obj.error = undefined
          obj.addressUpdate = undefined
          obj.reply = undefined
          obj.hello = undefined
        }

        if (obj.reply != null) {
          obj.cardUpdate = undefined
          obj.error = undefined
          obj.addressUpdate = undefined
          obj.confirm = undefined
          obj.hello = undefined
        }

        if (obj.hello != null) {
          obj.cardUpdate = undefined
          obj.error = undefined
          obj.addressUpdate = undefined
          obj.confirm = undefined
          obj.reply = undefined
        }

        if (obj.hello != null) {
          w.uint32(10)
          SessionHello.codec().encode(obj.hello, w)
        }

        if (obj.reply != null) {
          w.uint32(18)
          SessionReply.codec().encode(obj.reply, w)
        }

        if (obj.confirm != null) {
          w.uint32(26)
          SessionConfirm.codec().encode(obj.confirm, w)
        }

        if (obj.addressUpdate != null) {
          w.uint32(34)
          AddressUpdate.codec().encode(obj.addressUpdate, w)
        }

        if (obj.error != null) {
          w.uint32(42)
          ErrorFrame.codec().encode(obj.error, w)
        }

        if (obj.cardUpdate != null) {
          w.uint32(50)
          CardUpdate.codec().encode(obj.cardUpdate, w)
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
              obj.hello = SessionHello.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.hello
              })
              break
            }
            case 2: {
              obj.reply = SessionReply.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.reply
              })
              break
            }
            case 3: {
              obj.confirm = SessionConfirm.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.confirm
              })
              break
            }
            case 4: {
              obj.addressUpdate = AddressUpdate.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.addressUpdate
              })
              break
            }
            case 5: {
              obj.error = ErrorFrame.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.error
              })
              break
            }
            case 6: {
              obj.cardUpdate = CardUpdate.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.cardUpdate
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.cardUpdate != null) {
          delete obj.error
          delete obj.addressUpdate
          delete obj.confirm
          delete obj.reply
          delete obj.hello
        }

        if (obj.error != null) {
          delete obj.cardUpdate
          delete obj.addressUpdate
          delete obj.confirm
          delete obj.reply
          delete obj.hello
        }

        if (obj.addressUpdate != null) {
          delete obj.cardUpdate
          delete obj.error
          delete obj.confirm
          delete obj.reply
          delete obj.hello
        }

        if (obj.confirm != null) {
          delete obj.cardUpdate
          delete obj.error
          delete obj.addressUpdate
          delete obj.reply
          delete obj.hello
        }

        if (obj.reply != null) {
          delete obj.cardUpdate
          delete obj.error
          delete obj.addressUpdate
          delete obj.confirm
          delete obj.hello
        }

        if (obj.hello != null) {
          delete obj.cardUpdate
          delete obj.error
          delete obj.addressUpdate
          delete obj.confirm
          delete obj.reply
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * SessionHello.codec().stream(reader, reader.uint32(), `${prefix}.hello`, {
                limits: opts.limits?.hello
              })

              break
            }
            case 2: {
              yield * SessionReply.codec().stream(reader, reader.uint32(), `${prefix}.reply`, {
                limits: opts.limits?.reply
              })

              break
            }
            case 3: {
              yield * SessionConfirm.codec().stream(reader, reader.uint32(), `${prefix}.confirm`, {
                limits: opts.limits?.confirm
              })

              break
            }
            case 4: {
              yield * AddressUpdate.codec().stream(reader, reader.uint32(), `${prefix}.addressUpdate`, {
                limits: opts.limits?.addressUpdate
              })

              break
            }
            case 5: {
              yield * ErrorFrame.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                limits: opts.limits?.error
              })

              break
            }
            case 6: {
              yield * CardUpdate.codec().stream(reader, reader.uint32(), `${prefix}.cardUpdate`, {
                limits: opts.limits?.cardUpdate
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

  export interface SessionMessageHelloEFieldEvent {
    field: '$.hello.e'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageHelloMultiaddrsFieldEvent {
    field: '$.hello.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageHelloAtMsFieldEvent {
    field: '$.hello.atMs'
    value: bigint
  }

  export interface SessionMessageHelloHintFieldEvent {
    field: '$.hello.hint'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageReplyEFieldEvent {
    field: '$.reply.e'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageReplyConfirmFieldEvent {
    field: '$.reply.confirm'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageReplyMultiaddrsFieldEvent {
    field: '$.reply.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageConfirmConfirmFieldEvent {
    field: '$.confirm.confirm'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageAddressUpdateMultiaddrsFieldEvent {
    field: '$.addressUpdate.multiaddrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageAddressUpdateSeqFieldEvent {
    field: '$.addressUpdate.seq'
    value: bigint
  }

  export interface SessionMessageErrorCodeFieldEvent {
    field: '$.error.code'
    value: ErrorCode
  }

  export interface SessionMessageErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export interface SessionMessageCardUpdateSeqFieldEvent {
    field: '$.cardUpdate.seq'
    value: bigint
  }

  export interface SessionMessageCardUpdateNameFieldEvent {
    field: '$.cardUpdate.name'
    value: string
  }

  export interface SessionMessageCardUpdateEmailFieldEvent {
    field: '$.cardUpdate.email'
    value: string
  }

  export interface SessionMessageCardUpdatePhotoFieldEvent {
    field: '$.cardUpdate.photo'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SessionMessageCardUpdateSignatureFieldEvent {
    field: '$.cardUpdate.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SessionMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SessionMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionMessage>): SessionMessage {
    return decodeMessage(buf, SessionMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SessionMessage>): Generator<SessionMessageHelloEFieldEvent | SessionMessageHelloMultiaddrsFieldEvent | SessionMessageHelloAtMsFieldEvent | SessionMessageHelloHintFieldEvent | SessionMessageReplyEFieldEvent | SessionMessageReplyConfirmFieldEvent | SessionMessageReplyMultiaddrsFieldEvent | SessionMessageConfirmConfirmFieldEvent | SessionMessageAddressUpdateMultiaddrsFieldEvent | SessionMessageAddressUpdateSeqFieldEvent | SessionMessageErrorCodeFieldEvent | SessionMessageErrorMessageFieldEvent | SessionMessageCardUpdateSeqFieldEvent | SessionMessageCardUpdateNameFieldEvent | SessionMessageCardUpdateEmailFieldEvent | SessionMessageCardUpdatePhotoFieldEvent | SessionMessageCardUpdateSignatureFieldEvent> {
    return streamMessage(buf, SessionMessage.codec(), opts)
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
