// Our generated /gini/crp/1 codec (protocols/crp/pb/crp.ts) against the independent implementation's
// `crp.register_by_A` (docs/protocol.md §3.1, §12.3): the frame the relay parses first, byte for byte.
import { expect } from 'chai'
import { CrpMessage } from '../../../../protocols/crp/pb/crp.js'
import { fromHex, toHex } from '../../../../protocols/crypto/index.js'
import { wire } from '../../../../protocols/common/index.js'
import independent from '../../../vectors/gini-v1-independent.json' with { type: 'json' }
import { varint } from '../../../helpers/crp-clients.js'

describe('CRP codec × independent vector register_by_A', function () {
  const v = independent.crp
  const register = {
    token: wire(fromHex(v.token)),
    parked: { nonce: wire(fromHex(v.parked_by_A_example.nonce)), ciphertext: wire(fromHex(v.parked_by_A_example.ciphertext)) },
    role: wire(new TextEncoder().encode('A'))
  }

  it('CrpMessage.encode({register{token, parked, role "A"}}) = register_by_A, byte for byte', () => {
    expect(toHex(CrpMessage.encode({ register }))).to.equal(v.register_by_A)
  })

  it('register_by_A decodes to those fields, and its length prefix is b9 01 (185 bytes, docs §3.1)', () => {
    const body = fromHex(v.register_by_A)
    expect(CrpMessage.decode(body)).to.deep.equal({ register })
    expect(body.byteLength).to.equal(185)
    expect(toHex(varint(body.byteLength))).to.equal('b901')
  })
})
