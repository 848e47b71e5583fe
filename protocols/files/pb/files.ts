/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum FileStatus {
  FILE_STATUS_UNSPECIFIED = 'FILE_STATUS_UNSPECIFIED',
  PENDING = 'PENDING',
  TOO_LARGE = 'TOO_LARGE',
  DECLINED = 'DECLINED',
  UNKNOWN_FILE = 'UNKNOWN_FILE',
  CHANGED = 'CHANGED'
}

enum __FileStatusValues {
  FILE_STATUS_UNSPECIFIED = 0,
  PENDING = 1,
  TOO_LARGE = 2,
  DECLINED = 3,
  UNKNOWN_FILE = 4,
  CHANGED = 5
}

export namespace FileStatus {
  export const codec = (): Codec<FileStatus> => {
    return enumeration<FileStatus>(__FileStatusValues)
  }
}

export interface FileOffer {
  fileId: Uint8Array<ArrayBuffer>
  name: string
  size: bigint
  sha256: Uint8Array<ArrayBuffer>
  chunkBytes: number
  chunkCount: number
  chunkSha256: Uint8Array<ArrayBuffer>[]
}

export namespace FileOffer {
  let _codec: Codec<FileOffer>

  export const codec = (): Codec<FileOffer> => {
    if (_codec == null) {
      _codec = message<FileOffer>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.fileId != null && obj.fileId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.fileId)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(24)
          w.uint64(obj.size)
        }

        if ((obj.sha256 != null && obj.sha256.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.sha256)
        }

        if ((obj.chunkBytes != null && obj.chunkBytes !== 0)) {
          w.uint32(40)
          w.uint32(obj.chunkBytes)
        }

        if ((obj.chunkCount != null && obj.chunkCount !== 0)) {
          w.uint32(48)
          w.uint32(obj.chunkCount)
        }

        if (obj.chunkSha256 != null && obj.chunkSha256.length > 0) {
          for (const value of obj.chunkSha256) {
            w.uint32(58)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          fileId: uint8ArrayAlloc(0),
          name: '',
          size: 0n,
          sha256: uint8ArrayAlloc(0),
          chunkBytes: 0,
          chunkCount: 0,
          chunkSha256: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.fileId = reader.bytes()
              break
            }
            case 2: {
              obj.name = reader.string()
              break
            }
            case 3: {
              obj.size = reader.uint64()
              break
            }
            case 4: {
              obj.sha256 = reader.bytes()
              break
            }
            case 5: {
              obj.chunkBytes = reader.uint32()
              break
            }
            case 6: {
              obj.chunkCount = reader.uint32()
              break
            }
            case 7: {
              if (opts.limits?.chunkSha256 != null && obj.chunkSha256.length === opts.limits.chunkSha256) {
                throw new MaxLengthError('Decode error - repeated field "chunkSha256" had too many elements')
              }

              obj.chunkSha256.push(reader.bytes())
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
          chunkSha256: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.fileId`,
                value: reader.bytes()
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
                field: `${prefix}.size`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.sha256`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.chunkBytes`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.chunkCount`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              if (opts.limits?.chunkSha256 != null && obj.chunkSha256 === opts.limits.chunkSha256) {
                throw new MaxLengthError('Streaming decode error - repeated field "chunkSha256" had too many elements')
              }

              yield {
                field: `${prefix}.chunkSha256[]`,
                index: obj.chunkSha256,
                value: reader.bytes()
              }

              obj.chunkSha256++

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

  export interface FileOfferFileIdFieldEvent {
    field: '$.fileId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileOfferNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface FileOfferSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface FileOfferSha256FieldEvent {
    field: '$.sha256'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileOfferChunkBytesFieldEvent {
    field: '$.chunkBytes'
    value: number
  }

  export interface FileOfferChunkCountFieldEvent {
    field: '$.chunkCount'
    value: number
  }

  export interface FileOfferChunkSha256FieldEvent {
    field: '$.chunkSha256[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<FileOffer>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileOffer.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileOffer>): FileOffer {
    return decodeMessage(buf, FileOffer.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileOffer>): Generator<FileOfferFileIdFieldEvent | FileOfferNameFieldEvent | FileOfferSizeFieldEvent | FileOfferSha256FieldEvent | FileOfferChunkBytesFieldEvent | FileOfferChunkCountFieldEvent | FileOfferChunkSha256FieldEvent> {
    return streamMessage(buf, FileOffer.codec(), opts)
  }
}

export interface FileAnswer {
  fileId: Uint8Array<ArrayBuffer>
  status: FileStatus
  maxBytes: bigint
}

export namespace FileAnswer {
  let _codec: Codec<FileAnswer>

  export const codec = (): Codec<FileAnswer> => {
    if (_codec == null) {
      _codec = message<FileAnswer>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.fileId != null && obj.fileId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.fileId)
        }

        if (obj.status != null && __FileStatusValues[obj.status] !== 0) {
          w.uint32(16)
          FileStatus.codec().encode(obj.status, w)
        }

        if ((obj.maxBytes != null && obj.maxBytes !== 0n)) {
          w.uint32(24)
          w.uint64(obj.maxBytes)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          fileId: uint8ArrayAlloc(0),
          status: FileStatus.FILE_STATUS_UNSPECIFIED,
          maxBytes: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.fileId = reader.bytes()
              break
            }
            case 2: {
              obj.status = FileStatus.codec().decode(reader)
              break
            }
            case 3: {
              obj.maxBytes = reader.uint64()
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
                field: `${prefix}.fileId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.status`,
                value: FileStatus.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.maxBytes`,
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

  export interface FileAnswerFileIdFieldEvent {
    field: '$.fileId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileAnswerStatusFieldEvent {
    field: '$.status'
    value: FileStatus
  }

  export interface FileAnswerMaxBytesFieldEvent {
    field: '$.maxBytes'
    value: bigint
  }

  export function encode (obj: Partial<FileAnswer>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileAnswer.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileAnswer>): FileAnswer {
    return decodeMessage(buf, FileAnswer.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileAnswer>): Generator<FileAnswerFileIdFieldEvent | FileAnswerStatusFieldEvent | FileAnswerMaxBytesFieldEvent> {
    return streamMessage(buf, FileAnswer.codec(), opts)
  }
}

export interface FileRequest {
  fileId: Uint8Array<ArrayBuffer>
  index: number
}

export namespace FileRequest {
  let _codec: Codec<FileRequest>

  export const codec = (): Codec<FileRequest> => {
    if (_codec == null) {
      _codec = message<FileRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.fileId != null && obj.fileId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.fileId)
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(16)
          w.uint32(obj.index)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          fileId: uint8ArrayAlloc(0),
          index: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.fileId = reader.bytes()
              break
            }
            case 2: {
              obj.index = reader.uint32()
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
                field: `${prefix}.fileId`,
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

  export interface FileRequestFileIdFieldEvent {
    field: '$.fileId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileRequestIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export function encode (obj: Partial<FileRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileRequest>): FileRequest {
    return decodeMessage(buf, FileRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileRequest>): Generator<FileRequestFileIdFieldEvent | FileRequestIndexFieldEvent> {
    return streamMessage(buf, FileRequest.codec(), opts)
  }
}

export interface FileChunk {
  index: number
  data: Uint8Array<ArrayBuffer>
}

export namespace FileChunk {
  let _codec: Codec<FileChunk>

  export const codec = (): Codec<FileChunk> => {
    if (_codec == null) {
      _codec = message<FileChunk>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(8)
          w.uint32(obj.index)
        }

        if ((obj.data != null && obj.data.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.data)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          index: 0,
          data: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.index = reader.uint32()
              break
            }
            case 2: {
              obj.data = reader.bytes()
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
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.data`,
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

  export interface FileChunkIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface FileChunkDataFieldEvent {
    field: '$.data'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<FileChunk>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileChunk.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileChunk>): FileChunk {
    return decodeMessage(buf, FileChunk.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileChunk>): Generator<FileChunkIndexFieldEvent | FileChunkDataFieldEvent> {
    return streamMessage(buf, FileChunk.codec(), opts)
  }
}

export interface FileDecline {
  fileId: Uint8Array<ArrayBuffer>
  failed: boolean
}

export namespace FileDecline {
  let _codec: Codec<FileDecline>

  export const codec = (): Codec<FileDecline> => {
    if (_codec == null) {
      _codec = message<FileDecline>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.fileId != null && obj.fileId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.fileId)
        }

        if ((obj.failed != null && obj.failed !== false)) {
          w.uint32(16)
          w.bool(obj.failed)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          fileId: uint8ArrayAlloc(0),
          failed: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.fileId = reader.bytes()
              break
            }
            case 2: {
              obj.failed = reader.bool()
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
                field: `${prefix}.fileId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.failed`,
                value: reader.bool()
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

  export interface FileDeclineFileIdFieldEvent {
    field: '$.fileId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FileDeclineFailedFieldEvent {
    field: '$.failed'
    value: boolean
  }

  export function encode (obj: Partial<FileDecline>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FileDecline.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileDecline>): FileDecline {
    return decodeMessage(buf, FileDecline.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FileDecline>): Generator<FileDeclineFileIdFieldEvent | FileDeclineFailedFieldEvent> {
    return streamMessage(buf, FileDecline.codec(), opts)
  }
}

export interface FilesMessage {
  offer?: FileOffer
  answer?: FileAnswer
  request?: FileRequest
  chunk?: FileChunk
  decline?: FileDecline
  error?: ErrorFrame
}

export namespace FilesMessage {
  let _codec: Codec<FilesMessage>

  export const codec = (): Codec<FilesMessage> => {
    if (_codec == null) {
      _codec = message<FilesMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.error != null) {
          obj.decline = undefined
          obj.chunk = undefined
          obj.request = undefined
          obj.answer = undefined
          obj.offer = undefined
        }

        if (obj.decline != null) {
          obj.error = undefined
          obj.chunk = undefined
          obj.request = undefined
          obj.answer = undefined
          obj.offer = undefined
        }

        if (obj.chunk != null) {
          obj.error = undefined
          obj.decline = undefined
          obj.request = undefined
          obj.answer = undefined
          obj.offer = undefined
        }

        if (obj.request != null) {
          obj.error = undefined
          obj.decline = undefined
          obj.chunk = undefined
          obj.answer = undefined
          obj.offer = undefined
        }

        if (obj.answer != null) {
          obj.error = undefined
          obj.decline = undefined
          obj.chunk = undefined
          obj.request = undefined
          obj.offer = undefined
        }

        if (obj.offer != null) {
          obj.error = undefined
          obj.decline = undefined
          obj.chunk = undefined
          obj.request = undefined
          obj.answer = undefined
        }

        if (obj.offer != null) {
          w.uint32(10)
          FileOffer.codec().encode(obj.offer, w)
        }

        if (obj.answer != null) {
          w.uint32(18)
          FileAnswer.codec().encode(obj.answer, w)
        }

        if (obj.request != null) {
          w.uint32(26)
          FileRequest.codec().encode(obj.request, w)
        }

        if (obj.chunk != null) {
          w.uint32(34)
          FileChunk.codec().encode(obj.chunk, w)
        }

        if (obj.decline != null) {
          w.uint32(42)
          FileDecline.codec().encode(obj.decline, w)
        }

        if (obj.error != null) {
          w.uint32(50)
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
              obj.offer = FileOffer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.offer
              })
              break
            }
            case 2: {
              obj.answer = FileAnswer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.answer
              })
              break
            }
            case 3: {
              obj.request = FileRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.request
              })
              break
            }
            case 4: {
              obj.chunk = FileChunk.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.chunk
              })
              break
            }
            case 5: {
              obj.decline = FileDecline.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.decline
              })
              break
            }
            case 6: {
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
          delete obj.decline
          delete obj.chunk
          delete obj.request
          delete obj.answer
          delete obj.offer
        }

        if (obj.decline != null) {
          delete obj.error
          delete obj.chunk
          delete obj.request
          delete obj.answer
          delete obj.offer
        }

        if (obj.chunk != null) {
          delete obj.error
          delete obj.decline
          delete obj.request
          delete obj.answer
          delete obj.offer
        }

        if (obj.request != null) {
          delete obj.error
          delete obj.decline
          delete obj.chunk
          delete obj.answer
          delete obj.offer
        }

        if (obj.answer != null) {
          delete obj.error
          delete obj.decline
          delete obj.chunk
          delete obj.request
          delete obj.offer
        }

        if (obj.offer != null) {
          delete obj.error
          delete obj.decline
          delete obj.chunk
          delete obj.request
          delete obj.answer
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * FileOffer.codec().stream(reader, reader.uint32(), `${prefix}.offer`, {
                limits: opts.limits?.offer
              })

              break
            }
            case 2: {
              yield * FileAnswer.codec().stream(reader, reader.uint32(), `${prefix}.answer`, {
                limits: opts.limits?.answer
              })

              break
            }
            case 3: {
              yield * FileRequest.codec().stream(reader, reader.uint32(), `${prefix}.request`, {
                limits: opts.limits?.request
              })

              break
            }
            case 4: {
              yield * FileChunk.codec().stream(reader, reader.uint32(), `${prefix}.chunk`, {
                limits: opts.limits?.chunk
              })

              break
            }
            case 5: {
              yield * FileDecline.codec().stream(reader, reader.uint32(), `${prefix}.decline`, {
                limits: opts.limits?.decline
              })

              break
            }
            case 6: {
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

  export interface FilesMessageOfferFileIdFieldEvent {
    field: '$.offer.fileId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FilesMessageOfferNameFieldEvent {
    field: '$.offer.name'
    value: string
  }

  export interface FilesMessageOfferSizeFieldEvent {
    field: '$.offer.size'
    value: bigint
  }

  export interface FilesMessageOfferSha256FieldEvent {
    field: '$.offer.sha256'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FilesMessageOfferChunkBytesFieldEvent {
    field: '$.offer.chunkBytes'
    value: number
  }

  export interface FilesMessageOfferChunkCountFieldEvent {
    field: '$.offer.chunkCount'
    value: number
  }

  export interface FilesMessageOfferChunkSha256FieldEvent {
    field: '$.offer.chunkSha256[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface FilesMessageAnswerFileIdFieldEvent {
    field: '$.answer.fileId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FilesMessageAnswerStatusFieldEvent {
    field: '$.answer.status'
    value: FileStatus
  }

  export interface FilesMessageAnswerMaxBytesFieldEvent {
    field: '$.answer.maxBytes'
    value: bigint
  }

  export interface FilesMessageRequestFileIdFieldEvent {
    field: '$.request.fileId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FilesMessageRequestIndexFieldEvent {
    field: '$.request.index'
    value: number
  }

  export interface FilesMessageChunkIndexFieldEvent {
    field: '$.chunk.index'
    value: number
  }

  export interface FilesMessageChunkDataFieldEvent {
    field: '$.chunk.data'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FilesMessageDeclineFileIdFieldEvent {
    field: '$.decline.fileId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FilesMessageDeclineFailedFieldEvent {
    field: '$.decline.failed'
    value: boolean
  }

  export interface FilesMessageErrorCodeFieldEvent {
    field: '$.error.code'
    value: ErrorCode
  }

  export interface FilesMessageErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<FilesMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FilesMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FilesMessage>): FilesMessage {
    return decodeMessage(buf, FilesMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FilesMessage>): Generator<FilesMessageOfferFileIdFieldEvent | FilesMessageOfferNameFieldEvent | FilesMessageOfferSizeFieldEvent | FilesMessageOfferSha256FieldEvent | FilesMessageOfferChunkBytesFieldEvent | FilesMessageOfferChunkCountFieldEvent | FilesMessageOfferChunkSha256FieldEvent | FilesMessageAnswerFileIdFieldEvent | FilesMessageAnswerStatusFieldEvent | FilesMessageAnswerMaxBytesFieldEvent | FilesMessageRequestFileIdFieldEvent | FilesMessageRequestIndexFieldEvent | FilesMessageChunkIndexFieldEvent | FilesMessageChunkDataFieldEvent | FilesMessageDeclineFileIdFieldEvent | FilesMessageDeclineFailedFieldEvent | FilesMessageErrorCodeFieldEvent | FilesMessageErrorMessageFieldEvent> {
    return streamMessage(buf, FilesMessage.codec(), opts)
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
