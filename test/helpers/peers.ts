// Test helpers: real GiniNodes on real temp data dirs, cleaned up by the caller's hooks.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GiniNode, FileStorage, createPeerNode } from '../../peer/index.js'
import type { GiniNodeInit } from '../../peer/core/gini-node.js'
import type { IdentityRecord } from '../../peer/core/storage.js'
import type { PairingEvent } from '../../peer/core/pairing/events.js'

export interface TestPeer {
  node: GiniNode
  dir: string
  events: PairingEvent[]
  cleanup(): Promise<void>
}

/**
 * `storageFor`: a storage on the peer's temp dir instead of a plain FileStorage (a fault-injecting subclass).
 * `identity`: the long-term keys to start with (test/helpers/identities.ts) instead of new ones.
 */
export async function makePeer (name: string, init: Partial<GiniNodeInit> = {}, storageFor?: (dir: string) => FileStorage, identity?: IdentityRecord): Promise<TestPeer> {
  const dir = await mkdtemp(join(tmpdir(), `gini-${name.toLowerCase()}-`))
  const storage = storageFor?.(dir) ?? new FileStorage(dir)
  if (identity != null) await storage.saveIdentity(identity)
  const node = await GiniNode.open({ storage, createPeerNode, ...init })
  await node.setProfile({ name, email: `${name.toLowerCase()}@example.org` })
  return { node, dir, events: [], cleanup: async () => { await node.close().catch(() => {}); await rm(dir, { recursive: true, force: true }) } }
}

/** Resolves with the creator's code as soon as it is shown. */
export function codeFrom (events: PairingEvent[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const poll = setInterval(() => {
      const e = events.find(x => x.event === 'flash-code')
      if (e != null && e.event === 'flash-code') {
        clearInterval(poll)
        resolve(e.code)
      } else if (Date.now() - started > 20_000) {
        clearInterval(poll)
        reject(new Error('no flash code within 20 s'))
      }
    }, 5)
  })
}
