// `AddressUpdate` (docs/protocol.md §8.4): alone on its own `/gini/session/1` stream between long-term
// identities, never on the pairing connection. The sender writes one frame and closes; the receiver
// keeps the highest `seq` per contact and ignores older ones (the caller's store decides that).
import type { Multiaddr } from '@multiformats/multiaddr'
import { ProtocolViolationError, type FrameChannel, writeFrame } from '../common/index.js'
import { decodeAll } from './peer.js'
import type { SessionMessage } from './pb/session.js'

export interface AddressUpdateBody {
  multiaddrs: Uint8Array[]
  /** §8.4: starts at 1 and grows by one per update of the sender. */
  seq: bigint
}

/** Writes the update and closes our side; the receiver needs no answer (§8.4). */
export async function sendAddressUpdate (channel: FrameChannel<SessionMessage>, update: AddressUpdateBody, signal?: AbortSignal): Promise<void> {
  if (update.seq < 1n) throw new RangeError('AddressUpdate seq starts at 1 (docs/protocol.md §8.4)')
  try {
    await writeFrame(channel, { addressUpdate: { multiaddrs: update.multiaddrs.map(b => new Uint8Array(b)), seq: update.seq } }, signal)
    await channel.close()
  } catch (err) {
    channel.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

/**
 * Checks the first frame of an incoming session stream that is not a hello: it must be an
 * AddressUpdate with seq ≥ 1 whose multiaddrs all decode. Throws ProtocolViolationError; the
 * listener then sends Error{PROTOCOL_VIOLATION} and closes (§3.4).
 */
export function readAddressUpdate (first: SessionMessage): { multiaddrs: Multiaddr[], seq: bigint } {
  const update = first.addressUpdate
  if (update == null || update.seq < 1n) throw new ProtocolViolationError()
  const multiaddrs = decodeAll(update.multiaddrs)
  if (multiaddrs == null) throw new ProtocolViolationError()
  return { multiaddrs, seq: update.seq }
}
