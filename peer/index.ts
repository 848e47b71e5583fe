// The peer as a library (Node.js): GiniNode over a data directory.
import { GiniNode, IdentityMissingError, type GiniNodeInit, type OpenOptions } from './core/gini-node.js'
import { FileStorage } from './adapters/file-storage.js'
import { createPeerNode, releaseWebRtc } from './adapters/peer-libp2p.js'

export { GiniNode, IdentityMissingError, ProfileMissingError } from './core/gini-node.js'
export type { GiniNodeInit, OpenOptions, PairingOptions } from './core/gini-node.js'
export type { PairingEvent } from './core/pairing/events.js'
export type { ContactRecord, GiniStorage, ReachabilityState } from './core/storage.js'
export { Daemon } from './core/daemon/daemon.js'
export type { DaemonOptions } from './core/daemon/daemon.js'
export type { DaemonEvent, CrpStep } from './core/daemon/events.js'
export { SEED_CRP_SCHEDULE, FAST_CRP_SCHEDULE } from './core/daemon/schedule.js'
export { reachabilityOf, restoreStatusOf, UNREACHABLE_AFTER_MS } from './core/daemon/reachability.js'
export { FileStorage, createPeerNode, releaseWebRtc }
export { DataDirInUseError, CorruptFileError } from './adapters/file-storage.js'

/**
 * A GiniNode storing its identity and contacts under `dataDir`. `lock`: this process becomes the
 * data dir's only writer (FileStorage.lock; DataDirInUseError if another live process is).
 */
export async function openGiniNode (dataDir: string, init: Partial<GiniNodeInit> = {}, opts: OpenOptions & { lock?: boolean } = {}): Promise<GiniNode> {
  const storage = new FileStorage(dataDir)
  if (opts.lock === true) await storage.lock()
  try {
    return await GiniNode.open({ storage, createPeerNode, ...init }, opts)
  } catch (err) {
    throw err instanceof IdentityMissingError ? new IdentityMissingError(dataDir) : err
  }
}
