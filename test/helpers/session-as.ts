// A contact's own long-term identity holding a real §8 session with a peer's daemon, to send it
// §19 CardUpdates the daemon would never produce (a bad signature, a replay). Real libp2p over the
// relay's circuit, the real handshake: no hook in product code.
import type { Libp2p } from 'libp2p'
import type { Connection } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { createPeerNode, FileStorage } from '../../peer/index.js'
import { loadIdentity, type Identity } from '../../peer/core/identity.js'
import { SESSION_PROTOCOL, runSessionInitiator, sendCardUpdate, sessionChannel, type CardUpdate } from '../../protocols/session/index.js'

export interface SessionAs {
  identity: Identity
  connection: Connection
  /** Sends one CardUpdate on a new session stream: the receiver's verdict. */
  sendCard(update: CardUpdate): Promise<'accepted' | 'refused'>
  stop(): Promise<void>
}

/** Dials `addr` as the identity stored in `dir` and runs §8 as I against `peerPpk`. */
export async function sessionAs (dir: string, addr: Multiaddr, peerPpk: Uint8Array): Promise<SessionAs> {
  const identity = await loadIdentity(new FileStorage(dir))
  if (identity == null) throw new Error(`no identity in ${dir}`)
  const node: Libp2p = await createPeerNode({ privateKey: identity.privateKey })
  try {
    const connection = await node.dial(addr, { signal: AbortSignal.timeout(15_000) })
    const opts = { runOnLimitedConnection: true, signal: AbortSignal.timeout(15_000) }
    await runSessionInitiator(sessionChannel(await connection.newStream(SESSION_PROTOCOL, opts)), {
      ppk: identity.ppk, peerPPK: peerPpk, multiaddrs: [], atMs: Date.now(), signal: opts.signal
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
