// What every command gets: resolved global options, the output, an abort signal for Ctrl-C, and a
// lazily opened GiniNode.
import type { GiniNode } from '../core/gini-node.js'
import type { CreatePeerNode } from '../core/peer-node.js'
import type { FileStorage } from '../adapters/file-storage.js'
import { loadConfig, resolveDataDir } from './config.js'
import { createOutput, type Output } from './output.js'
import { UsageError } from './exit-codes.js'

export interface GlobalOptions {
  data?: string
  relay?: string
  json?: boolean
}

export interface CliContext {
  dataDir: string
  json: boolean
  out: Output
  signal: AbortSignal
  /** The relay to use: --relay, else GINI_RELAY, else the one saved by `gini init`. */
  relay(): Promise<string>
  /**
   * The GiniNode, its identity created on first use (`init`, and commands that pair or go online).
   * `exclusive`: commands that write (init, invite, accept, daemon) lock the data dir, so two of
   * them never overwrite each other's contacts and secrets; reading ones (contacts) do not.
   */
  node(opts?: { exclusive?: boolean }): Promise<GiniNode>
  /**
   * The GiniNode of an existing identity: IdentityMissingError if none. `exclusive` for commands that
   * change an existing identity's records (verify) without ever creating one.
   */
  existingNode(opts?: { exclusive?: boolean }): Promise<GiniNode>
  /** True once the command went online, loading the libp2p stack (then WebRTC threads need releasing at exit). */
  readonly opened: boolean
}

export function createContext (opts: GlobalOptions, signal: AbortSignal): CliContext {
  const dataDir = resolveDataDir(nonEmpty(opts.data))
  const json = opts.json === true
  let node: Promise<GiniNode> | undefined
  let online = false
  // Loaded on first use: `--help`, usage errors and a malformed code never pay for it. As
  // peer/index.ts's openGiniNode, but libp2p itself (peer/adapters/peer-libp2p.ts: TCP, WebSockets,
  // WebRTC) is imported only when the node first goes online, so reading commands (`contacts`,
  // `messages`, `files`) skip it.
  const createPeerNode: CreatePeerNode = async (peerOpts) => {
    online = true
    return await (await import('../adapters/peer-libp2p.js')).createPeerNode(peerOpts)
  }
  let storage: Promise<FileStorage> | undefined
  let locked: Promise<void> | undefined
  const openStorage = async (): Promise<FileStorage> => await (storage ??= import('../adapters/file-storage.js').then(({ FileStorage }) => new FileStorage(dataDir)))
  const open = async (create: boolean, lock: boolean): Promise<GiniNode> => {
    // A command that read first (resolving its contact) and writes now takes the lock now.
    if (lock) await (locked ??= openStorage().then(async (s) => { await s.lock() }))
    node ??= (async () => {
      const [{ GiniNode, IdentityMissingError }, s] = await Promise.all([import('../core/gini-node.js'), openStorage()])
      try {
        return await GiniNode.open({ storage: s, createPeerNode }, { create })
      } catch (err) {
        throw err instanceof IdentityMissingError ? new IdentityMissingError(dataDir) : err
      }
    })()
    return await node
  }
  return {
    dataDir,
    json,
    out: createOutput(json),
    signal,
    async relay () {
      const relay = nonEmpty(opts.relay) ?? nonEmpty(process.env.GINI_RELAY) ?? (await loadConfig(dataDir)).relay
      if (relay == null) throw new UsageError('No relay configured: pass --relay <multiaddr> or run `gini init --relay <multiaddr>`.')
      return await validateMultiaddr(relay)
    },
    get opened () { return online },
    async node (opts = {}) { return await open(true, opts.exclusive === true) },
    async existingNode (opts = {}) { return await open(false, opts.exclusive === true) }
  }
}

/** The multiaddr parser is imported here, on first use: `--version` and commands through the daemon skip it. */
export async function validateMultiaddr (value: string): Promise<string> {
  const { multiaddr } = await import('@multiformats/multiaddr')
  try {
    return multiaddr(value).toString()
  } catch {
    throw new UsageError(`Not a valid multiaddr: ${value}`)
  }
}

/** An empty --flag or environment variable counts as not given. */
function nonEmpty (value: string | undefined): string | undefined {
  return value == null || value.trim() === '' ? undefined : value
}
