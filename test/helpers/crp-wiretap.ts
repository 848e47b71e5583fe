// A wiretap on a relay's /gini/crp/1 for tests that must see which frames went over which token:
// the relay node's handler is replaced by the product's CrpRelay state machine (the settings of
// relay/crp-service.ts, RestoreConnections in SQLite in memory) on channels that record every frame
// the relay reads. Nothing is changed on the way: the relay behaves as the honest product relay.
import { frameChannel, type FrameChannel } from '../../protocols/common/framing.js'
import { CRP_FRAME_MAX_BYTES, CRP_MAX_NEW_ROWS_PER_IP_PER_DAY, CRP_PROTOCOL } from '../../protocols/crp/constants.js'
import { CrpRelay, type CrpClock, type CrpOutcome, type CrpRole } from '../../protocols/crp/relay.js'
import { CrpMessage } from '../../protocols/crp/pb/crp.js'
import { toHex } from '../../protocols/crypto/index.js'
import {
  CRP_CLOSE_GRACE_MS, CRP_FIRST_FRAME_TIMEOUT_MS, CRP_FRAME_TIMEOUT_MS, CRP_MAX_INBOUND_STREAMS, CRP_MAX_OUTBOUND_STREAMS,
  CRP_PARKED_MAX_BYTES, CRP_SWEEP_INTERVAL_MS, CRP_WRITE_TIMEOUT_MS
} from '../../relay/constants.js'
import { crpAdmission } from '../../relay/crp-service.js'
import { remoteOf } from '../../relay/fc-service.js'
import { SqliteRestoreStore } from '../../relay/restore-store.js'
import type { Relay } from '../../relay/index.js'
import type { Connection, Stream } from '@libp2p/interface'

export interface CrpWiretap {
  /** Every frame the relay read after a stream's Register, with that stream's role and token (hex). */
  readonly log: Array<{ role: CrpRole, token: string, msg: CrpMessage }>
  /** The relay's outcomes, as plain words. */
  readonly outcomes: CrpOutcome[]
  count(outcome: CrpOutcome): number
  close(): Promise<void>
}

/** Call before anyone has the relay's address. */
export async function wiretapCrp (relay: Relay, clock?: CrpClock): Promise<CrpWiretap> {
  const now = clock != null ? () => clock.now() : Date.now
  const store = SqliteRestoreStore.open(':memory:')
  const outcomes: CrpOutcome[] = []
  const log: CrpWiretap['log'] = []
  const crp = new CrpRelay({
    store,
    clock,
    admission: crpAdmission({}, CRP_MAX_NEW_ROWS_PER_IP_PER_DAY, now),
    sweepIntervalMs: CRP_SWEEP_INTERVAL_MS,
    firstFrameTimeoutMs: CRP_FIRST_FRAME_TIMEOUT_MS,
    frameTimeoutMs: CRP_FRAME_TIMEOUT_MS,
    writeTimeoutMs: CRP_WRITE_TIMEOUT_MS,
    closeGraceMs: CRP_CLOSE_GRACE_MS,
    maxParkedBytes: CRP_PARKED_MAX_BYTES,
    onOutcome: (o) => { outcomes.push(o) }
  })
  crp.start()
  await relay.node.unhandle(CRP_PROTOCOL)
  await relay.node.handle(CRP_PROTOCOL, (stream: Stream, connection: Connection) => {
    void crp.handle(recording(frameChannel(stream, CrpMessage, CRP_FRAME_MAX_BYTES), log), remoteOf(connection))
  }, { maxInboundStreams: CRP_MAX_INBOUND_STREAMS, maxOutboundStreams: CRP_MAX_OUTBOUND_STREAMS })
  return {
    log,
    outcomes,
    count: (outcome) => outcomes.filter(o => o === outcome).length,
    async close () {
      await crp.close()
      store.close()
    }
  }
}

function recording (ch: FrameChannel<CrpMessage>, log: CrpWiretap['log']): FrameChannel<CrpMessage> {
  let from: { role: CrpRole, token: string } | undefined
  return {
    stream: ch.stream,
    async read (options) {
      const msg = await ch.read(options)
      if (from != null) log.push({ ...from, msg })
      else if (msg.register != null) from = { role: msg.register.role[0] === 0x41 ? 'A' : 'B', token: toHex(msg.register.token) }
      return msg
    },
    async write (msg, options) { await ch.write(msg, options) },
    async close () { await ch.close() },
    abort (err) { ch.abort(err) }
  }
}
