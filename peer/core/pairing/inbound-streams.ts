// The creator's side of contact sync and the first session: the joiner opens both streams on the
// connection it chose, so the creator registers handlers on its pairing identity and accepts them
// only from the verified peer (docs/protocol.md §6.10: "Both sides MUST check that the connection's
// remote peer id equals the `peer_id` decrypted from the other's `PeerInfo`").
import type { Libp2p } from 'libp2p'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { CONTACT_PROTOCOL } from '../../../protocols/contact/index.js'
import { SESSION_PROTOCOL } from '../../../protocols/session/index.js'

export interface InboundStream {
  stream: Stream
  connection: Connection
}

class Deferred<T> {
  readonly promise: Promise<T>
  resolve!: (value: T) => void
  constructor () {
    this.promise = new Promise<T>(resolve => { this.resolve = resolve })
  }
}

export class InboundPairingStreams {
  private readonly node: Libp2p
  private expected?: PeerId
  private readonly contactStream = new Deferred<InboundStream>()
  private readonly sessionStream = new Deferred<InboundStream>()
  private claimed = new Set<string>()

  constructor (node: Libp2p) {
    this.node = node
  }

  async start (): Promise<void> {
    // Pairing may end on the relayed connection when the WebRTC upgrade fails: opt in on limited ones.
    const opts = { runOnLimitedConnection: true, maxInboundStreams: 2, maxOutboundStreams: 1 }
    await this.node.handle(CONTACT_PROTOCOL, (stream, connection) => { this.accept(CONTACT_PROTOCOL, stream, connection, this.contactStream) }, opts)
    await this.node.handle(SESSION_PROTOCOL, (stream, connection) => { this.accept(SESSION_PROTOCOL, stream, connection, this.sessionStream) }, opts)
  }

  /** From now on, streams from this peer (and only it) are accepted. */
  expect (peerId: PeerId): void {
    this.expected = peerId
  }

  async contact (signal: AbortSignal): Promise<InboundStream> {
    return await withSignal(this.contactStream.promise, signal)
  }

  async session (signal: AbortSignal): Promise<InboundStream> {
    return await withSignal(this.sessionStream.promise, signal)
  }

  stop (): void {
    void Promise.resolve(this.node.unhandle([CONTACT_PROTOCOL, SESSION_PROTOCOL])).catch(() => {})
  }

  private accept (protocol: string, stream: Stream, connection: Connection, slot: Deferred<InboundStream>): void {
    if (this.expected == null || !connection.remotePeer.equals(this.expected) || this.claimed.has(protocol)) {
      stream.abort(new Error('unexpected stream'))
      return
    }
    this.claimed.add(protocol)
    slot.resolve({ stream, connection })
  }
}

async function withSignal<T> (p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw signal.reason
  return await new Promise<T>((resolve, reject) => {
    const onAbort = (): void => { reject(signal.reason) }
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(resolve, reject).finally(() => { signal.removeEventListener('abort', onAbort) })
  })
}
