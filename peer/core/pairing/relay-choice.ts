// Which relay a pairing meets at (docs/protocol.md §22.2–§22.3): the relay list is fetched on
// /gini/gss/list/1 from the configured relay (else from relays remembered from an earlier list),
// ranked by the HRW score of the code, and `lookup_bits = 24 − ⌈log2 N⌉` is sent. A list of one
// relay — any relay on its own — pairs exactly as §6 says: at the configured relay, no `lookup_bits`.
import type { Libp2p } from 'libp2p'
import type { Multiaddr } from '@multiformats/multiaddr'
import { LOOKUP_FULL_BITS } from '../../../protocols/crypto/index.js'
import { GiniError, RelayUnreachableError } from '../../../protocols/common/index.js'
import {
  GSS_LIST_PROTOCOL, GSS_LIST_REQUEST_TIMEOUT_MS, dedupeRelays, gssListChannel, lookupBitsForList, rankRelays,
  requestRelayList, type RelayListEntry
} from '../../../protocols/gss-list/index.js'
import { dialRelay } from '../relay-slot.js'
import { withTimeout } from '../signals.js'
import type { CreatePeerNode } from '../peer-node.js'

/** Relays of the last list remembered, for when the configured relay cannot be reached. */
export const KNOWN_RELAYS_KEPT = 8

/** Where the list comes from and where it goes (GiniNode keeps it in its storage). */
export interface KnownRelays {
  /** Relay addresses (each ending in /p2p/<id>) from an earlier list, best first. */
  load(): Promise<Multiaddr[]>
  /** The first KNOWN_RELAYS_KEPT relays of a list just fetched. */
  save(addrs: Multiaddr[]): Promise<void>
}

/** A fetched list and the relay that answered it. */
export interface FetchedList {
  /** Deduplicated (§22.2); empty when the relay serves no list (it is a relay on its own). */
  entries: RelayListEntry[]
  /** The address that answered, ending in /p2p/<its id>: where a list of one (or none) pairs. */
  source: Multiaddr
  /** Which of the sources it was (0: the configured relay). */
  sourceIndex: number
  /**
   * What a list of two or more is remembered as (§22.2): each relay's first address this node's
   * transports can dial (a browser dials only WebSocket, WebRTC and circuit addresses), in list
   * order; a relay with none is left out.
   */
  keep: Multiaddr[]
}

/** The relays to try for one code, best first, and the lookup bits to send. */
export interface RelayChoice {
  /** Each relay's addresses (a dial tries them all). */
  relays: Multiaddr[][]
  /** §22.3: below 24 only for a list of two or more; undefined sends the v1 frame. */
  lookupBits?: number
}

/**
 * Asks `sources` in order for the relay list, the first that answers wins. A relay that does not
 * speak /gini/gss/list/1, or whose reply is not a valid list, is a relay on its own: its list is
 * empty and the pairing happens there. One whose connection drops before it answers, or that does
 * not answer in time, is passed over for the next (a relay on its own only if none answers).
 * Throws RelayUnreachableError when none can be dialed.
 */
export async function fetchRelayList (node: Libp2p, sources: Multiaddr[], signal?: AbortSignal): Promise<FetchedList> {
  let lastError: unknown
  /** The first relay that was dialed but did not answer in time, its connection still up. */
  let slow: FetchedList | undefined
  for (const [sourceIndex, addr] of sources.entries()) {
    let connection
    try {
      connection = await dialRelay(node, addr, signal)
    } catch (err) {
      if (signal?.aborted === true) throw err
      lastError = err
      continue
    }
    const id = connection.remotePeer.toString()
    const source = addr.toString().includes(`/p2p/${id}`) ? addr : addr.encapsulate(`/p2p/${id}`)
    try {
      const stream = await connection.newStream(GSS_LIST_PROTOCOL, { signal: withTimeout(signal, GSS_LIST_REQUEST_TIMEOUT_MS) })
      const entries = await requestRelayList(gssListChannel(stream), { signal: withTimeout(signal, GSS_LIST_REQUEST_TIMEOUT_MS) })
      const deduped = dedupeRelays(entries)
      return { entries: deduped, source, sourceIndex, keep: await dialableAddrs(node, deduped.slice(0, KNOWN_RELAYS_KEPT)) }
    } catch (err) {
      if (signal?.aborted === true) throw err
      // §22.2: no such protocol, or a reply that is not a valid list: a relay on its own.
      if (err instanceof GiniError || (err as Error)?.name === 'UnsupportedProtocolError') return { entries: [], source, sourceIndex, keep: [] }
      // Gone before it answered (killed after the dial), or no answer in time: ask the next. One
      // that is still connected is a relay on its own if no other answers either.
      if (connection.status === 'open') slow ??= { entries: [], source, sourceIndex, keep: [] }
      lastError = err
    }
  }
  if (slow != null) return slow
  throw lastError instanceof RelayUnreachableError ? lastError : new RelayUnreachableError(undefined, { cause: lastError })
}

/** §22.2–§22.3: the relays for `fc` (normalized) by descending HRW score, and `lookup_bits`. */
export function chooseRelays (list: FetchedList, fc: string): RelayChoice {
  if (list.entries.length <= 1) return { relays: [[list.source]] }
  const bits = lookupBitsForList(list.entries)
  return {
    relays: rankRelays(list.entries, fc).map(e => e.multiaddrs),
    ...(bits < LOOKUP_FULL_BITS ? { lookupBits: bits } : {})
  }
}

/** The addresses to remember of a list: of its first KNOWN_RELAYS_KEPT relays, each one's first dialable address. */
export function relaysToKeep (list: FetchedList): Multiaddr[] {
  return list.keep
}

/**
 * §22.2: each entry's first address `node` has a transport for (a relay listing TCP before
 * WebSocket is remembered by a browser at its WebSocket address), entries with none left out.
 */
export async function dialableAddrs (node: Pick<Libp2p, 'isDialable'>, entries: RelayListEntry[]): Promise<Multiaddr[]> {
  const out: Multiaddr[] = []
  for (const entry of entries) {
    for (const addr of entry.multiaddrs) {
      if (await node.isDialable(addr).catch(() => false)) { out.push(addr); break }
    }
  }
  return out
}

/**
 * §22.2: remembers a list of two or more relays (a relay on its own leaves what was remembered as it
 * was). Only a cache: a failed save is not the pairing's failure.
 */
export async function rememberList (list: FetchedList, known: KnownRelays | undefined): Promise<void> {
  if (list.entries.length > 1) await known?.save(relaysToKeep(list)).catch(() => {})
}

/**
 * §22.2: when the relay is set (`gini init --relay`), its list is asked for at once, from a fresh
 * one-shot identity (as a pairing identity: nothing links it to the long-term one), and remembered,
 * so that a peer whose relay is down at its first pairing still knows the others. Resolves with the
 * number of relays listed (0: a relay on its own, nothing remembered); RelayUnreachableError when
 * the relay cannot be dialed.
 */
export async function learnRelayList (createPeerNode: CreatePeerNode, relay: Multiaddr, known: KnownRelays, signal?: AbortSignal): Promise<number> {
  const node = await createPeerNode()
  try {
    const list = await fetchRelayList(node, [relay], signal)
    await rememberList(list, known)
    return list.entries.length
  } finally {
    for (const connection of node.getConnections()) connection.abort(new Error('relay list fetched'))
    await Promise.resolve(node.stop()).catch(() => {})
  }
}
