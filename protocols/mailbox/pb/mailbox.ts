/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Deposit {
  token: Uint8Array<ArrayBuffer>
  index: number
  sealed?: Sealed
}

export namespace Deposit {
  let _codec: Codec<Deposit>

  export const codec = (): Codec<Deposit> => {
    if (_codec == null) {
      _codec = message<Deposit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.token != null && obj.token.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.token)
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(16)
          w.uint32(obj.index)
        }

        if (obj.sealed != null) {
          w.uint32(26)
          Sealed.codec().encode(obj.sealed, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          token: uint8ArrayAlloc(0),
          index: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.token = reader.bytes()
              break
            }
            case 2: {
              obj.index = reader.uint32()
              break
            }
            case 3: {
              obj.sealed = Sealed.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.sealed
              })
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
                field: `${prefix}.token`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield * Sealed.codec().stream(reader, reader.uint32(), `${prefix}.sealed`, {
                limits: opts.limits?.sealed
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

  export interface DepositTokenFieldEvent {
    field: '$.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DepositIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface DepositSealedNonceFieldEvent {
    field: '$.sealed.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DepositSealedCiphertextFieldEvent {
    field: '$.sealed.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Deposit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Deposit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deposit>): Deposit {
    return decodeMessage(buf, Deposit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deposit>): Generator<DepositTokenFieldEvent | DepositIndexFieldEvent | DepositSealedNonceFieldEvent | DepositSealedCiphertextFieldEvent> {
    return streamMessage(buf, Deposit.codec(), opts)
  }
}

export interface Deposited {
  id: bigint
  expiresAtMs: bigint
}

export namespace Deposited {
  let _codec: Codec<Deposited>

  export const codec = (): Codec<Deposited> => {
    if (_codec == null) {
      _codec = message<Deposited>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== 0n)) {
          w.uint32(8)
          w.uint64(obj.id)
        }

        if ((obj.expiresAtMs != null && obj.expiresAtMs !== 0n)) {
          w.uint32(16)
          w.uint64(obj.expiresAtMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: 0n,
          expiresAtMs: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.uint64()
              break
            }
            case 2: {
              obj.expiresAtMs = reader.uint64()
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
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.expiresAtMs`,
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

  export interface DepositedIdFieldEvent {
    field: '$.id'
    value: bigint
  }

  export interface DepositedExpiresAtMsFieldEvent {
    field: '$.expiresAtMs'
    value: bigint
  }

  export function encode (obj: Partial<Deposited>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Deposited.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deposited>): Deposited {
    return decodeMessage(buf, Deposited.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deposited>): Generator<DepositedIdFieldEvent | DepositedExpiresAtMsFieldEvent> {
    return streamMessage(buf, Deposited.codec(), opts)
  }
}

export interface Fetch {
  tokens: Uint8Array<ArrayBuffer>[]
}

export namespace Fetch {
  let _codec: Codec<Fetch>

  export const codec = (): Codec<Fetch> => {
    if (_codec == null) {
      _codec = message<Fetch>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.tokens != null && obj.tokens.length > 0) {
          for (const value of obj.tokens) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          tokens: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.tokens != null && obj.tokens.length === opts.limits.tokens) {
                throw new MaxLengthError('Decode error - repeated field "tokens" had too many elements')
              }

              obj.tokens.push(reader.bytes())
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
          tokens: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.tokens != null && obj.tokens === opts.limits.tokens) {
                throw new MaxLengthError('Streaming decode error - repeated field "tokens" had too many elements')
              }

              yield {
                field: `${prefix}.tokens[]`,
                index: obj.tokens,
                value: reader.bytes()
              }

              obj.tokens++

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

  export interface FetchTokensFieldEvent {
    field: '$.tokens[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Fetch>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Fetch.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Fetch>): Fetch {
    return decodeMessage(buf, Fetch.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Fetch>): Generator<FetchTokensFieldEvent> {
    return streamMessage(buf, Fetch.codec(), opts)
  }
}

export interface Blob {
  token: Uint8Array<ArrayBuffer>
  id: bigint
  index: number
  sealed?: Sealed
}

export namespace Blob {
  let _codec: Codec<Blob>

  export const codec = (): Codec<Blob> => {
    if (_codec == null) {
      _codec = message<Blob>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.token != null && obj.token.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.token)
        }

        if ((obj.id != null && obj.id !== 0n)) {
          w.uint32(16)
          w.uint64(obj.id)
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(24)
          w.uint32(obj.index)
        }

        if (obj.sealed != null) {
          w.uint32(34)
          Sealed.codec().encode(obj.sealed, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          token: uint8ArrayAlloc(0),
          id: 0n,
          index: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.token = reader.bytes()
              break
            }
            case 2: {
              obj.id = reader.uint64()
              break
            }
            case 3: {
              obj.index = reader.uint32()
              break
            }
            case 4: {
              obj.sealed = Sealed.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.sealed
              })
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
                field: `${prefix}.token`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.id`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield * Sealed.codec().stream(reader, reader.uint32(), `${prefix}.sealed`, {
                limits: opts.limits?.sealed
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

  export interface BlobTokenFieldEvent {
    field: '$.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlobIdFieldEvent {
    field: '$.id'
    value: bigint
  }

  export interface BlobIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface BlobSealedNonceFieldEvent {
    field: '$.sealed.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlobSealedCiphertextFieldEvent {
    field: '$.sealed.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Blob>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Blob.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Blob>): Blob {
    return decodeMessage(buf, Blob.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Blob>): Generator<BlobTokenFieldEvent | BlobIdFieldEvent | BlobIndexFieldEvent | BlobSealedNonceFieldEvent | BlobSealedCiphertextFieldEvent> {
    return streamMessage(buf, Blob.codec(), opts)
  }
}

export interface FetchEnd {}

export namespace FetchEnd {
  let _codec: Codec<FetchEnd>

  export const codec = (): Codec<FetchEnd> => {
    if (_codec == null) {
      _codec = message<FetchEnd>((obj, w, opts = {}) => {
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

  export function encode (obj: Partial<FetchEnd>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FetchEnd.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchEnd>): FetchEnd {
    return decodeMessage(buf, FetchEnd.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchEnd>): Generator<{}> {
    return streamMessage(buf, FetchEnd.codec(), opts)
  }
}

export interface Delete {
  token: Uint8Array<ArrayBuffer>
  ids: bigint[]
}

export namespace Delete {
  let _codec: Codec<Delete>

  export const codec = (): Codec<Delete> => {
    if (_codec == null) {
      _codec = message<Delete>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.token != null && obj.token.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.token)
        }

        if (obj.ids != null && obj.ids.length > 0) {
          for (const value of obj.ids) {
            w.uint32(16)
            w.uint64(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          token: uint8ArrayAlloc(0),
          ids: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.token = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              obj.ids.push(reader.uint64())
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
              yield {
                field: `${prefix}.token`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              yield {
                field: `${prefix}.ids[]`,
                index: obj.ids,
                value: reader.uint64()
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

  export interface DeleteTokenFieldEvent {
    field: '$.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DeleteIdsFieldEvent {
    field: '$.ids[]'
    index: number
    value: bigint
  }

  export function encode (obj: Partial<Delete>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Delete.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Delete>): Delete {
    return decodeMessage(buf, Delete.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Delete>): Generator<DeleteTokenFieldEvent | DeleteIdsFieldEvent> {
    return streamMessage(buf, Delete.codec(), opts)
  }
}

export interface Deleted {
  count: number
}

export namespace Deleted {
  let _codec: Codec<Deleted>

  export const codec = (): Codec<Deleted> => {
    if (_codec == null) {
      _codec = message<Deleted>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.count != null && obj.count !== 0)) {
          w.uint32(8)
          w.uint32(obj.count)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          count: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.count = reader.uint32()
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
                field: `${prefix}.count`,
                value: reader.uint32()
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

  export interface DeletedCountFieldEvent {
    field: '$.count'
    value: number
  }

  export function encode (obj: Partial<Deleted>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Deleted.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deleted>): Deleted {
    return decodeMessage(buf, Deleted.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Deleted>): Generator<DeletedCountFieldEvent> {
    return streamMessage(buf, Deleted.codec(), opts)
  }
}

export interface MailboxMessage {
  deposit?: Deposit
  deposited?: Deposited
  fetch?: Fetch
  blob?: Blob
  end?: FetchEnd
  delete?: Delete
  deleted?: Deleted
  error?: ErrorFrame
}

export namespace MailboxMessage {
  let _codec: Codec<MailboxMessage>

  export const codec = (): Codec<MailboxMessage> => {
    if (_codec == null) {
      _codec = message<MailboxMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.error != null) {
          obj.deleted = undefined
          obj.delete = undefined
          obj.end = undefined
          obj.blob = undefined
          obj.fetch = undefined
          obj.deposited = undefined
          obj.deposit = undefined
        }

        if (obj.deleted != null) {
          obj.error = undefined
          obj.delete = undefined
          obj.end = undefined
          obj.blob = undefined
          obj.fetch = undefined
          obj.deposited = undefined
          obj.deposit = undefined
        }

        if (obj.delete != null) {
          obj.error = undefined
          obj.deleted = undefined
          obj.end = undefined
          obj.blob = undefined
          obj.fetch = undefined
          obj.deposited = undefined
          obj.deposit = undefined
        }

        if (obj.end != null) {
          obj.error = undefined
          obj.deleted = undefined
          obj.delete = undefined
          obj.blob = undefined
          obj.fetch = undefined
          obj.deposited = undefined
          obj.deposit = undefined
        }

        if (obj.blob != null) {
          obj.error = undefined
          obj.deleted = undefined
          obj.delete = undefined
          obj.end = undefined
          obj.fetch = undefined
          obj.deposited = undefined
          obj.deposit = undefined
        }

        if (obj.fetch != null) {
          obj.error = undefined
          obj.deleted = undefined
          obj.delete = undefined
          obj.end = undefined
          obj.blob = undefined
          obj.deposited = undefined
          obj.deposit = undefined
        }

        if (obj.deposited != null) {
          obj.error = undefined
          obj.deleted = undefined
          obj.delete = undefined
          obj.end = undefined
          obj.blob = undefined
          obj.fetch = undefined
          obj.deposit = undefined
        }

        if (obj.deposit != null) {
          obj.error = undefined
          obj.deleted = undefined
          obj.delete = undefined
          obj.end = undefined
          obj.blob = undefined
          obj.fetch = undefined
          obj.deposited = undefined
        }

        if (obj.deposit != null) {
          w.uint32(10)
          Deposit.codec().encode(obj.deposit, w)
        }

        if (obj.deposited != null) {
          w.uint32(18)
          Deposited.codec().encode(obj.deposited, w)
        }

        if (obj.fetch != null) {
          w.uint32(26)
          Fetch.codec().encode(obj.fetch, w)
        }

        if (obj.blob != null) {
          w.uint32(34)
          Blob.codec().encode(obj.blob, w)
        }

        if (obj.end != null) {
          w.uint32(42)
          FetchEnd.codec().encode(obj.end, w)
        }

        if (obj.delete != null) {
          w.uint32(50)
          Delete.codec().encode(obj.delete, w)
        }

        if (obj.deleted != null) {
          w.uint32(58)
          Deleted.codec().encode(obj.deleted, w)
        }

        if (obj.error != null) {
          w.uint32(66)
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
              obj.deposit = Deposit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deposit
              })
              break
            }
            case 2: {
              obj.deposited = Deposited.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deposited
              })
              break
            }
            case 3: {
              obj.fetch = Fetch.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.fetch
              })
              break
            }
            case 4: {
              obj.blob = Blob.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.blob
              })
              break
            }
            case 5: {
              obj.end = FetchEnd.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.end
              })
              break
            }
            case 6: {
              obj.delete = Delete.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.delete
              })
              break
            }
            case 7: {
              obj.deleted = Deleted.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deleted
              })
              break
            }
            case 8: {
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
          delete obj.deleted
          delete obj.delete
          delete obj.end
          delete obj.blob
          delete obj.fetch
          delete obj.deposited
          delete obj.deposit
        }

        if (obj.deleted != null) {
          delete obj.error
          delete obj.delete
          delete obj.end
          delete obj.blob
          delete obj.fetch
          delete obj.deposited
          delete obj.deposit
        }

        if (obj.delete != null) {
          delete obj.error
          delete obj.deleted
          delete obj.end
          delete obj.blob
          delete obj.fetch
          delete obj.deposited
          delete obj.deposit
        }

        if (obj.end != null) {
          delete obj.error
          delete obj.deleted
          delete obj.delete
          delete obj.blob
          delete obj.fetch
          delete obj.deposited
          delete obj.deposit
        }

        if (obj.blob != null) {
          delete obj.error
          delete obj.deleted
          delete obj.delete
          delete obj.end
          delete obj.fetch
          delete obj.deposited
          delete obj.deposit
        }

        if (obj.fetch != null) {
          delete obj.error
          delete obj.deleted
          delete obj.delete
          delete obj.end
          delete obj.blob
          delete obj.deposited
          delete obj.deposit
        }

        if (obj.deposited != null) {
          delete obj.error
          delete obj.deleted
          delete obj.delete
          delete obj.end
          delete obj.blob
          delete obj.fetch
          delete obj.deposit
        }

        if (obj.deposit != null) {
          delete obj.error
          delete obj.deleted
          delete obj.delete
          delete obj.end
          delete obj.blob
          delete obj.fetch
          delete obj.deposited
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Deposit.codec().stream(reader, reader.uint32(), `${prefix}.deposit`, {
                limits: opts.limits?.deposit
              })

              break
            }
            case 2: {
              yield * Deposited.codec().stream(reader, reader.uint32(), `${prefix}.deposited`, {
                limits: opts.limits?.deposited
              })

              break
            }
            case 3: {
              yield * Fetch.codec().stream(reader, reader.uint32(), `${prefix}.fetch`, {
                limits: opts.limits?.fetch
              })

              break
            }
            case 4: {
              yield * Blob.codec().stream(reader, reader.uint32(), `${prefix}.blob`, {
                limits: opts.limits?.blob
              })

              break
            }
            case 5: {
              yield * FetchEnd.codec().stream(reader, reader.uint32(), `${prefix}.end`, {
                limits: opts.limits?.end
              })

              break
            }
            case 6: {
              yield * Delete.codec().stream(reader, reader.uint32(), `${prefix}.delete`, {
                limits: opts.limits?.delete
              })

              break
            }
            case 7: {
              yield * Deleted.codec().stream(reader, reader.uint32(), `${prefix}.deleted`, {
                limits: opts.limits?.deleted
              })

              break
            }
            case 8: {
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

  export interface MailboxMessageDepositTokenFieldEvent {
    field: '$.deposit.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxMessageDepositIndexFieldEvent {
    field: '$.deposit.index'
    value: number
  }

  export interface MailboxMessageDepositSealedNonceFieldEvent {
    field: '$.deposit.sealed.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxMessageDepositSealedCiphertextFieldEvent {
    field: '$.deposit.sealed.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxMessageDepositedIdFieldEvent {
    field: '$.deposited.id'
    value: bigint
  }

  export interface MailboxMessageDepositedExpiresAtMsFieldEvent {
    field: '$.deposited.expiresAtMs'
    value: bigint
  }

  export interface MailboxMessageFetchTokensFieldEvent {
    field: '$.fetch.tokens[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxMessageBlobTokenFieldEvent {
    field: '$.blob.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxMessageBlobIdFieldEvent {
    field: '$.blob.id'
    value: bigint
  }

  export interface MailboxMessageBlobIndexFieldEvent {
    field: '$.blob.index'
    value: number
  }

  export interface MailboxMessageBlobSealedNonceFieldEvent {
    field: '$.blob.sealed.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxMessageBlobSealedCiphertextFieldEvent {
    field: '$.blob.sealed.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxMessageDeleteTokenFieldEvent {
    field: '$.delete.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MailboxMessageDeleteIdsFieldEvent {
    field: '$.delete.ids[]'
    index: number
    value: bigint
  }

  export interface MailboxMessageDeletedCountFieldEvent {
    field: '$.deleted.count'
    value: number
  }

  export interface MailboxMessageErrorCodeFieldEvent {
    field: '$.error.code'
    value: ErrorCode
  }

  export interface MailboxMessageErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<MailboxMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MailboxMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxMessage>): MailboxMessage {
    return decodeMessage(buf, MailboxMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MailboxMessage>): Generator<MailboxMessageDepositTokenFieldEvent | MailboxMessageDepositIndexFieldEvent | MailboxMessageDepositSealedNonceFieldEvent | MailboxMessageDepositSealedCiphertextFieldEvent | MailboxMessageDepositedIdFieldEvent | MailboxMessageDepositedExpiresAtMsFieldEvent | MailboxMessageFetchTokensFieldEvent | MailboxMessageBlobTokenFieldEvent | MailboxMessageBlobIdFieldEvent | MailboxMessageBlobIndexFieldEvent | MailboxMessageBlobSealedNonceFieldEvent | MailboxMessageBlobSealedCiphertextFieldEvent | MailboxMessageDeleteTokenFieldEvent | MailboxMessageDeleteIdsFieldEvent | MailboxMessageDeletedCountFieldEvent | MailboxMessageErrorCodeFieldEvent | MailboxMessageErrorMessageFieldEvent> {
    return streamMessage(buf, MailboxMessage.codec(), opts)
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
