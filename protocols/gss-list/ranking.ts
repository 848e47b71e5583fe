// Which relay a code (or a token) goes to (docs/protocol.md §22.2): the list is deduplicated by peer
// id and by network, so that one host advertising itself under many ids gets one place, then
// ranked by the HRW score. Pure: both peers compute the same order from the same list.
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { PeerId } from '@libp2p/interface'
import { hrwScore, lookupBitsFor, toHex } from '../crypto/index.js'

/** One relay of the list, parsed. */
export interface RelayListEntry {
  peerId: PeerId
  /** Each ends in /p2p/<peerId>; the first IP address names the relay's network (§22.2). */
  multiaddrs: Multiaddr[]
  /** When the answering relay first saw this one (its clock; informational). */
  firstSeenMs: number
}

/**
 * §22.2: the network an entry counts against — the IPv4 address or IPv6 /64 of its first IP
 * address, else the host name of its first DNS address; undefined when it has neither.
 */
export function relayNetwork (entry: Pick<RelayListEntry, 'multiaddrs'>): string | undefined {
  let dns: string | undefined
  for (const ma of entry.multiaddrs) {
    for (const c of ma.getComponents()) {
      if (c.name === 'ip4' && c.value != null) return `ip4:${c.value}`
      if (c.name === 'ip6' && c.value != null) return `ip6:${ip6Prefix64(c.value)}`
      if (dns == null && (c.name === 'dns4' || c.name === 'dns6' || c.name === 'dns' || c.name === 'dnsaddr') && c.value != null) dns = `dns:${c.value.toLowerCase()}`
    }
  }
  return dns
}

/**
 * §22.2: one entry per peer id and per network; of several, the one with the lowest peer id bytes
 * (an order every holder of the list agrees on). Entries without a network are dropped.
 */
export function dedupeRelays<T extends RelayListEntry> (entries: T[]): T[] {
  const byNet = new Map<string, { entry: T, id: string }>()
  const seen = new Set<string>()
  for (const entry of entries) {
    const id = toHex(entry.peerId.toMultihash().bytes)
    if (seen.has(id)) continue
    seen.add(id)
    const net = relayNetwork(entry)
    if (net == null) continue
    const held = byNet.get(net)
    if (held == null || id < held.id) byNet.set(net, { entry, id })
  }
  return [...byNet.values()].sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0).map(v => v.entry)
}

/** §22.2: the deduplicated list by descending HRW score for `subject` (a normalized code or a token). */
export function rankRelays<T extends RelayListEntry> (entries: T[], subject: string | Uint8Array): T[] {
  const scored = dedupeRelays(entries).map(entry => ({ entry, score: hrwScore(entry.peerId.toMultihash().bytes, subject) }))
  scored.sort((a, b) => a.score > b.score ? -1 : a.score < b.score ? 1 : 0)
  return scored.map(s => s.entry)
}

/** §22.3: `lookup_bits` for this list (24, i.e. the v1 lookup, for a list of one). */
export function lookupBitsForList (entries: RelayListEntry[]): number {
  return lookupBitsFor(Math.max(1, dedupeRelays(entries).length))
}

/** Peer id bytes of an entry → PeerId; undefined when they do not parse. */
export function peerIdFromBytes (bytes: Uint8Array): PeerId | undefined {
  try { return peerIdFromMultihash(Digest.decode(bytes)) } catch { return undefined }
}

/** The first 16 hex digits of an IPv6 address's /64, from its text form. */
function ip6Prefix64 (text: string): string {
  const [head, tail] = text.toLowerCase().split('::')
  const h = head === '' ? [] : head.split(':')
  const t = tail == null || tail === '' ? [] : tail.split(':')
  const groups = tail == null ? h : [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t]
  return groups.slice(0, 4).map(g => g.padStart(4, '0')).join(':')
}
