// The CRP relay test double (test/helpers/crp-relay-double.ts) over in-memory streams, and run
// identities for PeerInfos. The real relay is tested by its own suite and by the integration tests.
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { FrameChannel } from '../../../../protocols/common/index.js'
import { CRP_FRAME_MAX_BYTES } from '../../../../protocols/crp/constants.js'
import { CrpMessage } from '../../../../protocols/crp/pb/crp.js'
import type { CrpPeerInfo } from '../../../../protocols/crp/peer.js'
import { CrpRelayDouble } from '../../../helpers/crp-relay-double.js'
import { channelPair } from '../contact/fixtures.js'

export type { Role, Tamper } from '../../../helpers/crp-relay-double.js'

export class MiniRelay extends CrpRelayDouble {
  /** A peer-side channel whose other end this relay serves. */
  async connect (): Promise<FrameChannel<CrpMessage>> {
    const [peerEnd, relayEnd] = await channelPair(CrpMessage, CRP_FRAME_MAX_BYTES, 1024 * 1024)
    void this.serve(relayEnd)
    return peerEnd
  }
}

export async function runIdentity (): Promise<CrpPeerInfo> {
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  return {
    peerId,
    multiaddrs: [multiaddr(`/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWJe39wcZK5X4QF24uG6yFDWSpZ5hR9gpA5pjZCkZiDsrc/p2p-circuit/p2p/${peerId.toString()}`)],
    atMs: Date.now()
  }
}
