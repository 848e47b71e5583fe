/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Create {
  lookup: Uint8Array<ArrayBuffer>
  sid: Uint8Array<ArrayBuffer>
  lookupBits?: number
}

export namespace Create {
  let _codec: Codec<Create>

  export const codec = (): Codec<Create> => {
    if (_codec == null) {
      _codec = message<Create>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.lookup != null && obj.lookup.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.lookup)
        }

        if ((obj.sid != null && obj.sid.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sid)
        }

        if (obj.lookupBits != null) {
          w.uint32(24)
          w.uint32(obj.lookupBits)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          lookup: uint8ArrayAlloc(0),
          sid: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.lookup = reader.bytes()
              break
            }
            case 2: {
              obj.sid = reader.bytes()
              break
            }
            case 3: {
              obj.lookupBits = reader.uint32()
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
                field: `${prefix}.lookup`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sid`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.lookupBits`,
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

  export interface CreateLookupFieldEvent {
    field: '$.lookup'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CreateSidFieldEvent {
    field: '$.sid'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CreateLookupBitsFieldEvent {
    field: '$.lookupBits'
    value: number
  }

  export function encode (obj: Partial<Create>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Create.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Create>): Create {
    return decodeMessage(buf, Create.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Create>): Generator<CreateLookupFieldEvent | CreateSidFieldEvent | CreateLookupBitsFieldEvent> {
    return streamMessage(buf, Create.codec(), opts)
  }
}

export interface Join {
  lookup: Uint8Array<ArrayBuffer>
  sid: Uint8Array<ArrayBuffer>
  lookupBits?: number
}

export namespace Join {
  let _codec: Codec<Join>

  export const codec = (): Codec<Join> => {
    if (_codec == null) {
      _codec = message<Join>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.lookup != null && obj.lookup.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.lookup)
        }

        if ((obj.sid != null && obj.sid.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sid)
        }

        if (obj.lookupBits != null) {
          w.uint32(24)
          w.uint32(obj.lookupBits)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          lookup: uint8ArrayAlloc(0),
          sid: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.lookup = reader.bytes()
              break
            }
            case 2: {
              obj.sid = reader.bytes()
              break
            }
            case 3: {
              obj.lookupBits = reader.uint32()
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
                field: `${prefix}.lookup`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sid`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.lookupBits`,
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

  export interface JoinLookupFieldEvent {
    field: '$.lookup'
    value: Uint8Array<ArrayBuffer>
  }

  export interface JoinSidFieldEvent {
    field: '$.sid'
    value: Uint8Array<ArrayBuffer>
  }

  export interface JoinLookupBitsFieldEvent {
    field: '$.lookupBits'
    value: number
  }

  export function encode (obj: Partial<Join>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Join.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Join>): Join {
    return decodeMessage(buf, Join.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Join>): Generator<JoinLookupFieldEvent | JoinSidFieldEvent | JoinLookupBitsFieldEvent> {
    return streamMessage(buf, Join.codec(), opts)
  }
}

export interface Created {
  expiresAtMs: bigint
}

export namespace Created {
  let _codec: Codec<Created>

  export const codec = (): Codec<Created> => {
    if (_codec == null) {
      _codec = message<Created>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.expiresAtMs != null && obj.expiresAtMs !== 0n)) {
          w.uint32(8)
          w.uint64(obj.expiresAtMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          expiresAtMs: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
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

  export interface CreatedExpiresAtMsFieldEvent {
    field: '$.expiresAtMs'
    value: bigint
  }

  export function encode (obj: Partial<Created>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Created.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Created>): Created {
    return decodeMessage(buf, Created.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Created>): Generator<CreatedExpiresAtMsFieldEvent> {
    return streamMessage(buf, Created.codec(), opts)
  }
}

export interface Matched {
  sidA: Uint8Array<ArrayBuffer>
  sidB: Uint8Array<ArrayBuffer>
}

export namespace Matched {
  let _codec: Codec<Matched>

  export const codec = (): Codec<Matched> => {
    if (_codec == null) {
      _codec = message<Matched>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.sidA != null && obj.sidA.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.sidA)
        }

        if ((obj.sidB != null && obj.sidB.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.sidB)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          sidA: uint8ArrayAlloc(0),
          sidB: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.sidA = reader.bytes()
              break
            }
            case 2: {
              obj.sidB = reader.bytes()
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
                field: `${prefix}.sidA`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.sidB`,
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

  export interface MatchedSidAFieldEvent {
    field: '$.sidA'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MatchedSidBFieldEvent {
    field: '$.sidB'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Matched>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Matched.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Matched>): Matched {
    return decodeMessage(buf, Matched.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Matched>): Generator<MatchedSidAFieldEvent | MatchedSidBFieldEvent> {
    return streamMessage(buf, Matched.codec(), opts)
  }
}

export interface TempKey {
  share: Uint8Array<ArrayBuffer>
}

export namespace TempKey {
  let _codec: Codec<TempKey>

  export const codec = (): Codec<TempKey> => {
    if (_codec == null) {
      _codec = message<TempKey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.share != null && obj.share.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.share)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          share: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.share = reader.bytes()
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
                field: `${prefix}.share`,
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

  export interface TempKeyShareFieldEvent {
    field: '$.share'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<TempKey>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TempKey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TempKey>): TempKey {
    return decodeMessage(buf, TempKey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TempKey>): Generator<TempKeyShareFieldEvent> {
    return streamMessage(buf, TempKey.codec(), opts)
  }
}

export interface Mfc {
  mac: Uint8Array<ArrayBuffer>
}

export namespace Mfc {
  let _codec: Codec<Mfc>

  export const codec = (): Codec<Mfc> => {
    if (_codec == null) {
      _codec = message<Mfc>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.mac != null && obj.mac.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.mac)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          mac: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.mac = reader.bytes()
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
                field: `${prefix}.mac`,
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

  export interface MfcMacFieldEvent {
    field: '$.mac'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Mfc>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Mfc.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Mfc>): Mfc {
    return decodeMessage(buf, Mfc.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Mfc>): Generator<MfcMacFieldEvent> {
    return streamMessage(buf, Mfc.codec(), opts)
  }
}

export interface FcMessage {
  create?: Create
  join?: Join
  created?: Created
  matched?: Matched
  tempKey?: TempKey
  mfc?: Mfc
  offer?: Sealed
  answer?: Sealed
  done?: Done
  error?: ErrorFrame
}

export namespace FcMessage {
  let _codec: Codec<FcMessage>

  export const codec = (): Codec<FcMessage> => {
    if (_codec == null) {
      _codec = message<FcMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.error != null) {
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.mfc = undefined
          obj.tempKey = undefined
          obj.matched = undefined
          obj.created = undefined
          obj.join = undefined
          obj.create = undefined
        }

        if (obj.done != null) {
          obj.error = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.mfc = undefined
          obj.tempKey = undefined
          obj.matched = undefined
          obj.created = undefined
          obj.join = undefined
          obj.create = undefined
        }

        if (obj.answer != null) {
          obj.error = undefined
          obj.done = undefined
          obj.offer = undefined
          obj.mfc = undefined
          obj.tempKey = undefined
          obj.matched = undefined
          obj.created = undefined
          obj.join = undefined
          obj.create = undefined
        }

        if (obj.offer != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.mfc = undefined
          obj.tempKey = undefined
          obj.matched = undefined
          obj.created = undefined
          obj.join = undefined
          obj.create = undefined
        }

        if (obj.mfc != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.tempKey = undefined
          obj.matched = undefined
          obj.created = undefined
          obj.join = undefined
          obj.create = undefined
        }

        if (obj.tempKey != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.mfc = undefined
          obj.matched = undefined
          obj.created = undefined
          obj.join = undefined
          obj.create = undefined
        }

        if (obj.matched != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.mfc = undefined
          obj.tempKey = undefined
          obj.created = undefined
          obj.join = undefined
          obj.create = undefined
        }

        if (obj.created != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.mfc = undefined
          obj.tempKey = undefined
          obj.matched = undefined
          obj.join = undefined
          obj.create = undefined
        }

        if (obj.join != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.mfc = undefined
          obj.tempKey = undefined
          obj.matched = undefined
          obj.created = undefined
          obj.create = undefined
        }

        if (obj.create != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.mfc = undefined
          obj.tempKey = undefined
          obj.matched = undefined
          obj.created = undefined
          obj.join = undefined
        }

        if (obj.create != null) {
          w.uint32(10)
          Create.codec().encode(obj.create, w)
        }

        if (obj.join != null) {
          w.uint32(18)
          Join.codec().encode(obj.join, w)
        }

        if (obj.created != null) {
          w.uint32(26)
          Created.codec().encode(obj.created, w)
        }

        if (obj.matched != null) {
          w.uint32(34)
          Matched.codec().encode(obj.matched, w)
        }

        if (obj.tempKey != null) {
          w.uint32(42)
          TempKey.codec().encode(obj.tempKey, w)
        }

        if (obj.mfc != null) {
          w.uint32(50)
          Mfc.codec().encode(obj.mfc, w)
        }

        if (obj.offer != null) {
          w.uint32(58)
          Sealed.codec().encode(obj.offer, w)
        }

        if (obj.answer != null) {
          w.uint32(66)
          Sealed.codec().encode(obj.answer, w)
        }

        if (obj.done != null) {
          w.uint32(74)
          Done.codec().encode(obj.done, w)
        }

        if (obj.error != null) {
          w.uint32(82)
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
              obj.create = Create.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.create
              })
              break
            }
            case 2: {
              obj.join = Join.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.join
              })
              break
            }
            case 3: {
              obj.created = Created.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.created
              })
              break
            }
            case 4: {
              obj.matched = Matched.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.matched
              })
              break
            }
            case 5: {
              obj.tempKey = TempKey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.tempKey
              })
              break
            }
            case 6: {
              obj.mfc = Mfc.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.mfc
              })
              break
            }
            case 7: {
              obj.offer = Sealed.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.offer
              })
              break
            }
            case 8: {
              obj.answer = Sealed.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.answer
              })
              break
            }
            case 9: {
              obj.done = Done.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.done
              })
              break
            }
            case 10: {
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
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.mfc
          delete obj.tempKey
          delete obj.matched
          delete obj.created
          delete obj.join
          delete obj.create
        }

        if (obj.done != null) {
          delete obj.error
          delete obj.answer
          delete obj.offer
          delete obj.mfc
          delete obj.tempKey
          delete obj.matched
          delete obj.created
          delete obj.join
          delete obj.create
        }

        if (obj.answer != null) {
          delete obj.error
          delete obj.done
          delete obj.offer
          delete obj.mfc
          delete obj.tempKey
          delete obj.matched
          delete obj.created
          delete obj.join
          delete obj.create
        }

        if (obj.offer != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.mfc
          delete obj.tempKey
          delete obj.matched
          delete obj.created
          delete obj.join
          delete obj.create
        }

        if (obj.mfc != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.tempKey
          delete obj.matched
          delete obj.created
          delete obj.join
          delete obj.create
        }

        if (obj.tempKey != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.mfc
          delete obj.matched
          delete obj.created
          delete obj.join
          delete obj.create
        }

        if (obj.matched != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.mfc
          delete obj.tempKey
          delete obj.created
          delete obj.join
          delete obj.create
        }

        if (obj.created != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.mfc
          delete obj.tempKey
          delete obj.matched
          delete obj.join
          delete obj.create
        }

        if (obj.join != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.mfc
          delete obj.tempKey
          delete obj.matched
          delete obj.created
          delete obj.create
        }

        if (obj.create != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.mfc
          delete obj.tempKey
          delete obj.matched
          delete obj.created
          delete obj.join
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Create.codec().stream(reader, reader.uint32(), `${prefix}.create`, {
                limits: opts.limits?.create
              })

              break
            }
            case 2: {
              yield * Join.codec().stream(reader, reader.uint32(), `${prefix}.join`, {
                limits: opts.limits?.join
              })

              break
            }
            case 3: {
              yield * Created.codec().stream(reader, reader.uint32(), `${prefix}.created`, {
                limits: opts.limits?.created
              })

              break
            }
            case 4: {
              yield * Matched.codec().stream(reader, reader.uint32(), `${prefix}.matched`, {
                limits: opts.limits?.matched
              })

              break
            }
            case 5: {
              yield * TempKey.codec().stream(reader, reader.uint32(), `${prefix}.tempKey`, {
                limits: opts.limits?.tempKey
              })

              break
            }
            case 6: {
              yield * Mfc.codec().stream(reader, reader.uint32(), `${prefix}.mfc`, {
                limits: opts.limits?.mfc
              })

              break
            }
            case 7: {
              yield * Sealed.codec().stream(reader, reader.uint32(), `${prefix}.offer`, {
                limits: opts.limits?.offer
              })

              break
            }
            case 8: {
              yield * Sealed.codec().stream(reader, reader.uint32(), `${prefix}.answer`, {
                limits: opts.limits?.answer
              })

              break
            }
            case 9: {
              yield * Done.codec().stream(reader, reader.uint32(), `${prefix}.done`, {
                limits: opts.limits?.done
              })

              break
            }
            case 10: {
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

  export interface FcMessageCreateLookupFieldEvent {
    field: '$.create.lookup'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageCreateSidFieldEvent {
    field: '$.create.sid'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageCreateLookupBitsFieldEvent {
    field: '$.create.lookupBits'
    value: number
  }

  export interface FcMessageJoinLookupFieldEvent {
    field: '$.join.lookup'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageJoinSidFieldEvent {
    field: '$.join.sid'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageJoinLookupBitsFieldEvent {
    field: '$.join.lookupBits'
    value: number
  }

  export interface FcMessageCreatedExpiresAtMsFieldEvent {
    field: '$.created.expiresAtMs'
    value: bigint
  }

  export interface FcMessageMatchedSidAFieldEvent {
    field: '$.matched.sidA'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageMatchedSidBFieldEvent {
    field: '$.matched.sidB'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageTempKeyShareFieldEvent {
    field: '$.tempKey.share'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageMfcMacFieldEvent {
    field: '$.mfc.mac'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageOfferNonceFieldEvent {
    field: '$.offer.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageOfferCiphertextFieldEvent {
    field: '$.offer.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageAnswerNonceFieldEvent {
    field: '$.answer.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageAnswerCiphertextFieldEvent {
    field: '$.answer.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FcMessageErrorCodeFieldEvent {
    field: '$.error.code'
    value: ErrorCode
  }

  export interface FcMessageErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<FcMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FcMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FcMessage>): FcMessage {
    return decodeMessage(buf, FcMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FcMessage>): Generator<FcMessageCreateLookupFieldEvent | FcMessageCreateSidFieldEvent | FcMessageCreateLookupBitsFieldEvent | FcMessageJoinLookupFieldEvent | FcMessageJoinSidFieldEvent | FcMessageJoinLookupBitsFieldEvent | FcMessageCreatedExpiresAtMsFieldEvent | FcMessageMatchedSidAFieldEvent | FcMessageMatchedSidBFieldEvent | FcMessageTempKeyShareFieldEvent | FcMessageMfcMacFieldEvent | FcMessageOfferNonceFieldEvent | FcMessageOfferCiphertextFieldEvent | FcMessageAnswerNonceFieldEvent | FcMessageAnswerCiphertextFieldEvent | FcMessageErrorCodeFieldEvent | FcMessageErrorMessageFieldEvent> {
    return streamMessage(buf, FcMessage.codec(), opts)
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
