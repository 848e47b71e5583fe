/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Register {
  token: Uint8Array<ArrayBuffer>
  parked?: Sealed
  role: Uint8Array<ArrayBuffer>
}

export namespace Register {
  let _codec: Codec<Register>

  export const codec = (): Codec<Register> => {
    if (_codec == null) {
      _codec = message<Register>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.token != null && obj.token.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.token)
        }

        if (obj.parked != null) {
          w.uint32(18)
          Sealed.codec().encode(obj.parked, w)
        }

        if ((obj.role != null && obj.role.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.role)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          token: uint8ArrayAlloc(0),
          role: uint8ArrayAlloc(0)
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
              obj.parked = Sealed.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.parked
              })
              break
            }
            case 3: {
              obj.role = reader.bytes()
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
              yield * Sealed.codec().stream(reader, reader.uint32(), `${prefix}.parked`, {
                limits: opts.limits?.parked
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.role`,
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

  export interface RegisterTokenFieldEvent {
    field: '$.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RegisterParkedNonceFieldEvent {
    field: '$.parked.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RegisterParkedCiphertextFieldEvent {
    field: '$.parked.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RegisterRoleFieldEvent {
    field: '$.role'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Register>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Register.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Register>): Register {
    return decodeMessage(buf, Register.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Register>): Generator<RegisterTokenFieldEvent | RegisterParkedNonceFieldEvent | RegisterParkedCiphertextFieldEvent | RegisterRoleFieldEvent> {
    return streamMessage(buf, Register.codec(), opts)
  }
}

export interface Registered {
  expiresAtMs: bigint
  parked?: Sealed
}

export namespace Registered {
  let _codec: Codec<Registered>

  export const codec = (): Codec<Registered> => {
    if (_codec == null) {
      _codec = message<Registered>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.expiresAtMs != null && obj.expiresAtMs !== 0n)) {
          w.uint32(8)
          w.uint64(obj.expiresAtMs)
        }

        if (obj.parked != null) {
          w.uint32(18)
          Sealed.codec().encode(obj.parked, w)
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
            case 2: {
              obj.parked = Sealed.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.parked
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
                field: `${prefix}.expiresAtMs`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield * Sealed.codec().stream(reader, reader.uint32(), `${prefix}.parked`, {
                limits: opts.limits?.parked
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

  export interface RegisteredExpiresAtMsFieldEvent {
    field: '$.expiresAtMs'
    value: bigint
  }

  export interface RegisteredParkedNonceFieldEvent {
    field: '$.parked.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RegisteredParkedCiphertextFieldEvent {
    field: '$.parked.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Registered>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Registered.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Registered>): Registered {
    return decodeMessage(buf, Registered.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Registered>): Generator<RegisteredExpiresAtMsFieldEvent | RegisteredParkedNonceFieldEvent | RegisteredParkedCiphertextFieldEvent> {
    return streamMessage(buf, Registered.codec(), opts)
  }
}

export interface Matched {}

export namespace Matched {
  let _codec: Codec<Matched>

  export const codec = (): Codec<Matched> => {
    if (_codec == null) {
      _codec = message<Matched>((obj, w, opts = {}) => {
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

  export function encode (obj: Partial<Matched>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Matched.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Matched>): Matched {
    return decodeMessage(buf, Matched.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Matched>): Generator<{}> {
    return streamMessage(buf, Matched.codec(), opts)
  }
}

export interface Challenge {
  nonce: Uint8Array<ArrayBuffer>
}

export namespace Challenge {
  let _codec: Codec<Challenge>

  export const codec = (): Codec<Challenge> => {
    if (_codec == null) {
      _codec = message<Challenge>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.nonce)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          nonce: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.nonce = reader.bytes()
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

  export interface ChallengeNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Challenge>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Challenge.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Challenge>): Challenge {
    return decodeMessage(buf, Challenge.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Challenge>): Generator<ChallengeNonceFieldEvent> {
    return streamMessage(buf, Challenge.codec(), opts)
  }
}

export interface Proof {
  mac: Uint8Array<ArrayBuffer>
}

export namespace Proof {
  let _codec: Codec<Proof>

  export const codec = (): Codec<Proof> => {
    if (_codec == null) {
      _codec = message<Proof>((obj, w, opts = {}) => {
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

  export interface ProofMacFieldEvent {
    field: '$.mac'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Proof>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Proof.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Proof>): Proof {
    return decodeMessage(buf, Proof.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Proof>): Generator<ProofMacFieldEvent> {
    return streamMessage(buf, Proof.codec(), opts)
  }
}

export interface CrpMessage {
  register?: Register
  registered?: Registered
  matched?: Matched
  challenge?: Challenge
  proof?: Proof
  offer?: Sealed
  answer?: Sealed
  done?: Done
  error?: ErrorFrame
}

export namespace CrpMessage {
  let _codec: Codec<CrpMessage>

  export const codec = (): Codec<CrpMessage> => {
    if (_codec == null) {
      _codec = message<CrpMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.error != null) {
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.proof = undefined
          obj.challenge = undefined
          obj.matched = undefined
          obj.registered = undefined
          obj.register = undefined
        }

        if (obj.done != null) {
          obj.error = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.proof = undefined
          obj.challenge = undefined
          obj.matched = undefined
          obj.registered = undefined
          obj.register = undefined
        }

        if (obj.answer != null) {
          obj.error = undefined
          obj.done = undefined
          obj.offer = undefined
          obj.proof = undefined
          obj.challenge = undefined
          obj.matched = undefined
          obj.registered = undefined
          obj.register = undefined
        }

        if (obj.offer != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.proof = undefined
          obj.challenge = undefined
          obj.matched = undefined
          obj.registered = undefined
          obj.register = undefined
        }

        if (obj.proof != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.challenge = undefined
          obj.matched = undefined
          obj.registered = undefined
          obj.register = undefined
        }

        if (obj.challenge != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.proof = undefined
          obj.matched = undefined
          obj.registered = undefined
          obj.register = undefined
        }

        if (obj.matched != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.proof = undefined
          obj.challenge = undefined
          obj.registered = undefined
          obj.register = undefined
        }

        if (obj.registered != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.proof = undefined
          obj.challenge = undefined
          obj.matched = undefined
          obj.register = undefined
        }

        if (obj.register != null) {
          obj.error = undefined
          obj.done = undefined
          obj.answer = undefined
          obj.offer = undefined
          obj.proof = undefined
          obj.challenge = undefined
          obj.matched = undefined
          obj.registered = undefined
        }

        if (obj.register != null) {
          w.uint32(10)
          Register.codec().encode(obj.register, w)
        }

        if (obj.registered != null) {
          w.uint32(18)
          Registered.codec().encode(obj.registered, w)
        }

        if (obj.matched != null) {
          w.uint32(26)
          Matched.codec().encode(obj.matched, w)
        }

        if (obj.challenge != null) {
          w.uint32(34)
          Challenge.codec().encode(obj.challenge, w)
        }

        if (obj.proof != null) {
          w.uint32(42)
          Proof.codec().encode(obj.proof, w)
        }

        if (obj.offer != null) {
          w.uint32(50)
          Sealed.codec().encode(obj.offer, w)
        }

        if (obj.answer != null) {
          w.uint32(58)
          Sealed.codec().encode(obj.answer, w)
        }

        if (obj.done != null) {
          w.uint32(66)
          Done.codec().encode(obj.done, w)
        }

        if (obj.error != null) {
          w.uint32(74)
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
              obj.register = Register.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.register
              })
              break
            }
            case 2: {
              obj.registered = Registered.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.registered
              })
              break
            }
            case 3: {
              obj.matched = Matched.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.matched
              })
              break
            }
            case 4: {
              obj.challenge = Challenge.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.challenge
              })
              break
            }
            case 5: {
              obj.proof = Proof.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.proof
              })
              break
            }
            case 6: {
              obj.offer = Sealed.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.offer
              })
              break
            }
            case 7: {
              obj.answer = Sealed.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.answer
              })
              break
            }
            case 8: {
              obj.done = Done.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.done
              })
              break
            }
            case 9: {
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
          delete obj.proof
          delete obj.challenge
          delete obj.matched
          delete obj.registered
          delete obj.register
        }

        if (obj.done != null) {
          delete obj.error
          delete obj.answer
          delete obj.offer
          delete obj.proof
          delete obj.challenge
          delete obj.matched
          delete obj.registered
          delete obj.register
        }

        if (obj.answer != null) {
          delete obj.error
          delete obj.done
          delete obj.offer
          delete obj.proof
          delete obj.challenge
          delete obj.matched
          delete obj.registered
          delete obj.register
        }

        if (obj.offer != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.proof
          delete obj.challenge
          delete obj.matched
          delete obj.registered
          delete obj.register
        }

        if (obj.proof != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.challenge
          delete obj.matched
          delete obj.registered
          delete obj.register
        }

        if (obj.challenge != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.proof
          delete obj.matched
          delete obj.registered
          delete obj.register
        }

        if (obj.matched != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.proof
          delete obj.challenge
          delete obj.registered
          delete obj.register
        }

        if (obj.registered != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.proof
          delete obj.challenge
          delete obj.matched
          delete obj.register
        }

        if (obj.register != null) {
          delete obj.error
          delete obj.done
          delete obj.answer
          delete obj.offer
          delete obj.proof
          delete obj.challenge
          delete obj.matched
          delete obj.registered
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Register.codec().stream(reader, reader.uint32(), `${prefix}.register`, {
                limits: opts.limits?.register
              })

              break
            }
            case 2: {
              yield * Registered.codec().stream(reader, reader.uint32(), `${prefix}.registered`, {
                limits: opts.limits?.registered
              })

              break
            }
            case 3: {
              yield * Matched.codec().stream(reader, reader.uint32(), `${prefix}.matched`, {
                limits: opts.limits?.matched
              })

              break
            }
            case 4: {
              yield * Challenge.codec().stream(reader, reader.uint32(), `${prefix}.challenge`, {
                limits: opts.limits?.challenge
              })

              break
            }
            case 5: {
              yield * Proof.codec().stream(reader, reader.uint32(), `${prefix}.proof`, {
                limits: opts.limits?.proof
              })

              break
            }
            case 6: {
              yield * Sealed.codec().stream(reader, reader.uint32(), `${prefix}.offer`, {
                limits: opts.limits?.offer
              })

              break
            }
            case 7: {
              yield * Sealed.codec().stream(reader, reader.uint32(), `${prefix}.answer`, {
                limits: opts.limits?.answer
              })

              break
            }
            case 8: {
              yield * Done.codec().stream(reader, reader.uint32(), `${prefix}.done`, {
                limits: opts.limits?.done
              })

              break
            }
            case 9: {
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

  export interface CrpMessageRegisterTokenFieldEvent {
    field: '$.register.token'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageRegisterParkedNonceFieldEvent {
    field: '$.register.parked.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageRegisterParkedCiphertextFieldEvent {
    field: '$.register.parked.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageRegisterRoleFieldEvent {
    field: '$.register.role'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageRegisteredExpiresAtMsFieldEvent {
    field: '$.registered.expiresAtMs'
    value: bigint
  }

  export interface CrpMessageRegisteredParkedNonceFieldEvent {
    field: '$.registered.parked.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageRegisteredParkedCiphertextFieldEvent {
    field: '$.registered.parked.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageChallengeNonceFieldEvent {
    field: '$.challenge.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageProofMacFieldEvent {
    field: '$.proof.mac'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageOfferNonceFieldEvent {
    field: '$.offer.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageOfferCiphertextFieldEvent {
    field: '$.offer.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageAnswerNonceFieldEvent {
    field: '$.answer.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageAnswerCiphertextFieldEvent {
    field: '$.answer.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CrpMessageErrorCodeFieldEvent {
    field: '$.error.code'
    value: ErrorCode
  }

  export interface CrpMessageErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<CrpMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CrpMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CrpMessage>): CrpMessage {
    return decodeMessage(buf, CrpMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CrpMessage>): Generator<CrpMessageRegisterTokenFieldEvent | CrpMessageRegisterParkedNonceFieldEvent | CrpMessageRegisterParkedCiphertextFieldEvent | CrpMessageRegisterRoleFieldEvent | CrpMessageRegisteredExpiresAtMsFieldEvent | CrpMessageRegisteredParkedNonceFieldEvent | CrpMessageRegisteredParkedCiphertextFieldEvent | CrpMessageChallengeNonceFieldEvent | CrpMessageProofMacFieldEvent | CrpMessageOfferNonceFieldEvent | CrpMessageOfferCiphertextFieldEvent | CrpMessageAnswerNonceFieldEvent | CrpMessageAnswerCiphertextFieldEvent | CrpMessageErrorCodeFieldEvent | CrpMessageErrorMessageFieldEvent> {
    return streamMessage(buf, CrpMessage.codec(), opts)
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
