// A contact's own keys holding a real §8 session with a peer's daemon, to send it §19 CardUpdates
// the daemon would never produce (a bad signature, a replay). The libp2p identity is a fresh one the
// daemon has never heard of (as a presence id it has not learned yet, docs/protocol.md §21.3): the
// hello's hint names the contact and §8 proves it. Real libp2p over the relay's circuit, the real
// handshake: no hook in product code.
import type { Libp2p } from 'libp2p'
import type { Connection } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { createPeerNode, FileStorage } from '../../peer/index.js'
import { loadIdentity, type Identity } from '../../peer/core/identity.js'
import type { ContactRecord } from '../../peer/core/storage.js'
import { fromHex } from '../../protocols/crypto/index.js'
import { SESSION_PROTOCOL, runSessionInitiator, sendCardUpdate, sessionChannel, type CardUpdate } from '../../protocols/session/index.js'

export interface SessionAs {
  identity: Identity
  connection: Connection
  /** Sends one CardUpdate on a new session stream: the receiver's verdict. */
  sendCard(update: CardUpdate): Promise<'accepted' | 'refused'>
  stop(): Promise<void>
}

/** Dials `addr` and runs §8 as I, as the identity stored in `dir`, with its stored record of that peer. */
export async function sessionAs (dir: string, addr: Multiaddr, peer: Pick<ContactRecord, 'ppk' | 'sharedSecret'>): Promise<SessionAs> {
  const identity = await loadIdentity(new FileStorage(dir))
  if (identity == null) throw new Error(`no identity in ${dir}`)
  const node: Libp2p = await createPeerNode({})
  try {
    const connection = await node.dial(addr, { signal: AbortSignal.timeout(15_000) })
    const opts = { runOnLimitedConnection: true, signal: AbortSignal.timeout(15_000) }
    await runSessionInitiator(sessionChannel(await connection.newStream(SESSION_PROTOCOL, opts)), {
      ppk: identity.ppk,
      peerPPK: fromHex(peer.ppk),
      multiaddrs: [],
      atMs: Date.now(),
      hintKey: fromHex(peer.sharedSecret.current),
      signal: opts.signal
    })
    return {
      identity,
      connection,
      async sendCard (update) {
        const signal = AbortSignal.timeout(15_000)
        return await sendCardUpdate(sessionChannel(await connection.newStream(SESSION_PROTOCOL, { runOnLimitedConnection: true, signal })), update, signal)
      },
      async stop () { await node.stop() }
    }
  } catch (err) {
    await node.stop()
    throw err
  }
}
