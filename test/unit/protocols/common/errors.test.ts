// The one mapping between the protocol's error names and the wire `ErrorCode` of common.proto
// (docs/protocol.md §10): every name has its enum number, every protocol's codec carries it the
// same way, and a wire code comes back as the matching typed error.
import { expect } from 'chai'
import {
  ErrorFrame, WIRE_MESSAGES, errorFrame, errorFromWire, wireErrorCode, withOpenErrorCode, type GiniErrorCode
} from '../../../../protocols/common/index.js'
import { fromHex, toHex } from '../../../../protocols/crypto/index.js'
import { ContactMessage } from '../../../../protocols/contact/index.js'
import { CrpMessage } from '../../../../protocols/crp/index.js'
import { FcMessage } from '../../../../protocols/fc/index.js'
import { IceMessage } from '../../../../protocols/ice/index.js'
import { SessionMessage } from '../../../../protocols/session/index.js'

/** The enum numbers of common.proto, written out so a reordered enum fails here. */
const WIRE_NUMBERS: Record<GiniErrorCode, number> = {
  UNSPECIFIED: 0,
  NO_MATCHING_FLASH_CODE: 1,
  INCORRECT_MFC: 2,
  EXPIRED: 3,
  FLASH_CODE_IN_USE: 4,
  PROTOCOL_VIOLATION: 5,
  RATE_LIMITED: 6,
  PEER_LEFT: 7,
  INCORRECT_SHARED_SECRET: 8,
  UNSUPPORTED_VERSION: 9,
  INVALID_CARD: 10,
  SESSION_FAILED: 11,
  UNREACHABLE: 12,
  RELAY_SHUTTING_DOWN: 13
}

const CODES = Object.keys(WIRE_NUMBERS) as GiniErrorCode[]

describe('error names × wire ErrorCode', function () {
  it('every error name has a wire text', () => {
    expect(Object.keys(WIRE_MESSAGES).sort()).to.deep.equal([...CODES].sort())
  })

  for (const code of CODES) {
    it(`${code} → ErrorFrame{code = ${WIRE_NUMBERS[code]}, its wire text} and back to ${code}`, () => {
      const frame = errorFrame(code)
      expect(frame.error).to.deep.equal({ code: wireErrorCode(code), message: WIRE_MESSAGES[code] })
      const text = toHex(new TextEncoder().encode(WIRE_MESSAGES[code]))
      const field1 = WIRE_NUMBERS[code] === 0 ? '' : `08${WIRE_NUMBERS[code].toString(16).padStart(2, '0')}`
      const field2 = `12${WIRE_MESSAGES[code].length.toString(16).padStart(2, '0')}${text}`
      expect(toHex(ErrorFrame.encode(frame.error))).to.equal(field1 + field2)
      expect(errorFromWire(ErrorFrame.decode(ErrorFrame.encode(frame.error)).code).code).to.equal(code)
    })
  }

  it('errorFrame() is a whole frame of every /gini/* protocol and survives each codec', () => {
    for (const code of CODES) {
      const frame = errorFrame(code)
      expect(FcMessage.decode(FcMessage.encode(frame))).to.deep.equal(frame)
      expect(CrpMessage.decode(CrpMessage.encode(frame))).to.deep.equal(frame)
      expect(ContactMessage.decode(ContactMessage.encode(frame))).to.deep.equal(frame)
      expect(SessionMessage.decode(SessionMessage.encode(frame))).to.deep.equal(frame)
      expect(IceMessage.decode(IceMessage.encode(frame))).to.deep.equal(frame)
    }
  })

  it('no code or an unknown one → UNSPECIFIED', () => {
    expect(errorFromWire(undefined).code).to.equal('UNSPECIFIED')
    // A JS caller outside the typed codecs can still hand over any string.
    expect(errorFromWire(JSON.parse('"toString"')).code).to.equal('UNSPECIFIED')
  })

  it('an ErrorFrame with code 99 (unknown to this build) decodes as UNSPECIFIED in every protocol (§10)', () => {
    // ErrorFrame{code = 99, message = "x"}: 08 63 12 01 78
    const body = '0863120178'
    const envelopes = [
      { codec: FcMessage, field: 10 }, { codec: CrpMessage, field: 9 }, { codec: ContactMessage, field: 2 },
      { codec: SessionMessage, field: 5 }, { codec: IceMessage, field: 3 }
    ]
    for (const { codec, field } of envelopes) {
      const frame = fromHex(`${((field << 3) | 2).toString(16).padStart(2, '0')}05${body}`)
      expect(() => codec.decode(frame), 'the generated codec alone refuses it').to.throw()
      const decoded: any = withOpenErrorCode<any>(codec).decode(frame)
      expect(decoded.error).to.deep.equal({ code: 'UNSPECIFIED', message: 'x' })
      expect(errorFromWire(decoded.error.code).code).to.equal('UNSPECIFIED')
    }
  })

  it('withOpenErrorCode leaves known codes and other decode failures as they were', () => {
    const open = withOpenErrorCode(FcMessage)
    const known = FcMessage.encode(errorFrame('EXPIRED'))
    expect(open.decode(known)).to.deep.equal(errorFrame('EXPIRED'))
    // A truncated ErrorFrame (declared 5 bytes, 2 present) is still undecodable.
    expect(() => open.decode(fromHex('52050863'))).to.throw()
    // An ErrorFrame whose `message` runs past its end is still undecodable.
    expect(() => open.decode(fromHex('5204120578'))).to.throw()
  })
})
