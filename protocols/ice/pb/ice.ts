/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface IceRequest {}

export namespace IceRequest {
  let _codec: Codec<IceRequest>

  export const codec = (): Codec<IceRequest> => {
    if (_codec == null) {
      _codec = message<IceRequest>((obj, w, opts = {}) => {
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

  export function encode (obj: Partial<IceRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, IceRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IceRequest>): IceRequest {
    return decodeMessage(buf, IceRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IceRequest>): Generator<{}> {
    return streamMessage(buf, IceRequest.codec(), opts)
  }
}

export interface IceServer {
  urls: string[]
  username: string
  credential: string
}

export namespace IceServer {
  let _codec: Codec<IceServer>

  export const codec = (): Codec<IceServer> => {
    if (_codec == null) {
      _codec = message<IceServer>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.urls != null && obj.urls.length > 0) {
          for (const value of obj.urls) {
            w.uint32(10)
            w.string(value)
          }
        }

        if ((obj.username != null && obj.username !== '')) {
          w.uint32(18)
          w.string(obj.username)
        }

        if ((obj.credential != null && obj.credential !== '')) {
          w.uint32(26)
          w.string(obj.credential)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          urls: [],
          username: '',
          credential: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.urls != null && obj.urls.length === opts.limits.urls) {
                throw new MaxLengthError('Decode error - repeated field "urls" had too many elements')
              }

              obj.urls.push(reader.string())
              break
            }
            case 2: {
              obj.username = reader.string()
              break
            }
            case 3: {
              obj.credential = reader.string()
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
          urls: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.urls != null && obj.urls === opts.limits.urls) {
                throw new MaxLengthError('Streaming decode error - repeated field "urls" had too many elements')
              }

              yield {
                field: `${prefix}.urls[]`,
                index: obj.urls,
                value: reader.string()
              }

              obj.urls++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.username`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.credential`,
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

  export interface IceServerUrlsFieldEvent {
    field: '$.urls[]'
    index: number
    value: string
  }

  export interface IceServerUsernameFieldEvent {
    field: '$.username'
    value: string
  }

  export interface IceServerCredentialFieldEvent {
    field: '$.credential'
    value: string
  }

  export function encode (obj: Partial<IceServer>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, IceServer.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IceServer>): IceServer {
    return decodeMessage(buf, IceServer.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IceServer>): Generator<IceServerUrlsFieldEvent | IceServerUsernameFieldEvent | IceServerCredentialFieldEvent> {
    return streamMessage(buf, IceServer.codec(), opts)
  }
}

export interface IceServers {
  servers: IceServer[]
  ttlMs: bigint
  expiresAtMs: bigint
}

export namespace IceServers {
  let _codec: Codec<IceServers>

  export const codec = (): Codec<IceServers> => {
    if (_codec == null) {
      _codec = message<IceServers>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.servers != null && obj.servers.length > 0) {
          for (const value of obj.servers) {
            w.uint32(10)
            IceServer.codec().encode(value, w)
          }
        }

        if ((obj.ttlMs != null && obj.ttlMs !== 0n)) {
          w.uint32(16)
          w.uint64(obj.ttlMs)
        }

        if ((obj.expiresAtMs != null && obj.expiresAtMs !== 0n)) {
          w.uint32(24)
          w.uint64(obj.expiresAtMs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          servers: [],
          ttlMs: 0n,
          expiresAtMs: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.servers != null && obj.servers.length === opts.limits.servers) {
                throw new MaxLengthError('Decode error - repeated field "servers" had too many elements')
              }

              obj.servers.push(IceServer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.servers$
              }))
              break
            }
            case 2: {
              obj.ttlMs = reader.uint64()
              break
            }
            case 3: {
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
        const obj = {
          servers: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.servers != null && obj.servers === opts.limits.servers) {
                throw new MaxLengthError('Streaming decode error - repeated field "servers" had too many elements')
              }

              for (const evt of IceServer.codec().stream(reader, reader.uint32(), `${prefix}.servers[]`, {
                limits: opts.limits?.servers$
              })) {
                yield {
                  ...evt,
                  index: obj.servers
                }
              }

              obj.servers++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.ttlMs`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
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

  export interface IceServersServersUrlsFieldEvent {
    field: '$.servers[].urls[]'
    index: number
    value: string
  }

  export interface IceServersServersUsernameFieldEvent {
    field: '$.servers[].username'
    value: string
    index: number
  }

  export interface IceServersServersCredentialFieldEvent {
    field: '$.servers[].credential'
    value: string
    index: number
  }

  export interface IceServersTtlMsFieldEvent {
    field: '$.ttlMs'
    value: bigint
  }

  export interface IceServersExpiresAtMsFieldEvent {
    field: '$.expiresAtMs'
    value: bigint
  }

  export function encode (obj: Partial<IceServers>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, IceServers.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IceServers>): IceServers {
    return decodeMessage(buf, IceServers.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IceServers>): Generator<IceServersServersUrlsFieldEvent | IceServersServersUsernameFieldEvent | IceServersServersCredentialFieldEvent | IceServersTtlMsFieldEvent | IceServersExpiresAtMsFieldEvent> {
    return streamMessage(buf, IceServers.codec(), opts)
  }
}

export interface IceMessage {
  request?: IceRequest
  servers?: IceServers
  error?: ErrorFrame
}

export namespace IceMessage {
  let _codec: Codec<IceMessage>

  export const codec = (): Codec<IceMessage> => {
    if (_codec == null) {
      _codec = message<IceMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.error != null) {
          obj.servers = undefined
          obj.request = undefined
        }

        if (obj.servers != null) {
          obj.error = undefined
          obj.request = undefined
        }

        if (obj.request != null) {
          obj.error = undefined
          obj.servers = undefined
        }

        if (obj.request != null) {
          w.uint32(10)
          IceRequest.codec().encode(obj.request, w)
        }

        if (obj.servers != null) {
          w.uint32(18)
          IceServers.codec().encode(obj.servers, w)
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
              obj.request = IceRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.request
              })
              break
            }
            case 2: {
              obj.servers = IceServers.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.servers
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
          delete obj.servers
          delete obj.request
        }

        if (obj.servers != null) {
          delete obj.error
          delete obj.request
        }

        if (obj.request != null) {
          delete obj.error
          delete obj.servers
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * IceRequest.codec().stream(reader, reader.uint32(), `${prefix}.request`, {
                limits: opts.limits?.request
              })

              break
            }
            case 2: {
              yield * IceServers.codec().stream(reader, reader.uint32(), `${prefix}.servers`, {
                limits: opts.limits?.servers
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

  export interface IceMessageServersServersUrlsFieldEvent {
    field: '$.servers.servers[].urls[]'
    index: number
    value: string
  }

  export interface IceMessageServersServersUsernameFieldEvent {
    field: '$.servers.servers[].username'
    value: string
    index: number
  }

  export interface IceMessageServersServersCredentialFieldEvent {
    field: '$.servers.servers[].credential'
    value: string
    index: number
  }

  export interface IceMessageServersTtlMsFieldEvent {
    field: '$.servers.ttlMs'
    value: bigint
  }

  export interface IceMessageServersExpiresAtMsFieldEvent {
    field: '$.servers.expiresAtMs'
    value: bigint
  }

  export interface IceMessageErrorCodeFieldEvent {
    field: '$.error.code'
    value: ErrorCode
  }

  export interface IceMessageErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<IceMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, IceMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IceMessage>): IceMessage {
    return decodeMessage(buf, IceMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IceMessage>): Generator<IceMessageServersServersUrlsFieldEvent | IceMessageServersServersUsernameFieldEvent | IceMessageServersServersCredentialFieldEvent | IceMessageServersTtlMsFieldEvent | IceMessageServersExpiresAtMsFieldEvent | IceMessageErrorCodeFieldEvent | IceMessageErrorMessageFieldEvent> {
    return streamMessage(buf, IceMessage.codec(), opts)
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
