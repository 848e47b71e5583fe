// The daemon as the one node (README "Stay connected"): while `gini daemon` runs, other commands
// reach it through its control socket (peer/adapters/control-socket.ts) instead of starting a second
// node with the same identity. This module has both ends: the handlers the daemon serves, and the
// client side the commands use, which turns the daemon's errors back into the local error classes so
// exit codes and words are the same either way.
import type { GiniNode } from '../core/gini-node.js'
import type { ContactRecord } from '../core/storage.js'
import type { Daemon } from '../core/daemon/daemon.js'
import type { ChatKind } from '../../protocols/chat/index.js'
// errors.js alone, not the protocol's index: the client side is loaded by every command that asks the daemon.
import { errorFromWire, type GiniErrorCode } from '../../protocols/common/errors.js'
import { ControlClient, ControlError, ControlServer, type ControlHandlers } from '../adapters/control-socket.js'
import { UsageError } from './exit-codes.js'
import type { FileTransfers, TransferRecord } from '../core/files/file-transfers.js'

/** Starts the control socket of a running daemon; every daemon event goes to subscribers too. */
export async function serveDaemon (dataDir: string, node: GiniNode, daemon: Daemon, relay: string): Promise<ControlServer> {
  const contactId = (p: Record<string, unknown>): string => {
    if (typeof p.contact !== 'string') throw new UsageError('no contact given')
    return p.contact
  }
  const handlers: ControlHandlers = {
    status: async () => ({ peerId: daemon.peerId.toString(), addrs: daemon.addrs.map(String) }),
    isOnline: async (p) => daemon.isOnline(contactId(p)),
    // Every contact the query could name (contact-names.ts): the command says which when several.
    matchContacts: async (p) => (await node.matchContacts(String(p.query ?? ''))).map(c => ({ id: c.id, name: c.name, nickname: c.nickname, blocked: c.blocked === true })),
    send: async (p) => {
      const e = await daemon.chat.send(contactId(p), p.type as ChatKind, String(p.content ?? ''), typeof p.target === 'string' ? p.target : undefined)
      return { id: e.id, sentAtMs: e.sentAtMs }
    },
    conversation: async (p) => await daemon.chat.conversation(contactId(p)),
    markVerified: async (p) => (await node.markVerified(contactId(p), String(p.number ?? ''))).verified,
    offerFile: async (p) => transferView(await filesOf(daemon).offer(contactId(p), String(p.path ?? ''))),
    acceptFile: async (p) => transferView(await filesOf(daemon).accept(String(p.id ?? ''), typeof p.dir === 'string' ? p.dir : undefined)),
    // §19 local contact state: the daemon holds the data dir, so these edits go through it.
    renameContact: async (p) => contactOrNone(await node.renameContact(contactId(p), String(p.nickname ?? ''))),
    blockContact: async (p) => contactOrNone(await node.setContactBlocked(contactId(p), p.blocked === true)),
    deleteContact: async (p) => ({ deleted: await node.deleteContact(contactId(p)) }),
    // §19: `gini init --name …` while the daemon runs; it queues the card update and sends it to whoever is online.
    setProfile: async (p) => {
      const q = (typeof p.profile === 'object' && p.profile != null ? p.profile : {}) as Record<string, any>
      const photo = q.photo != null ? { mediaType: q.photo.mediaType, data: new Uint8Array(Buffer.from(String(q.photo.data), 'base64')) } : undefined
      const card = await node.setProfile({ name: String(q.name ?? ''), email: q.email, phone: q.phone, photo })
      return { name: card.fn }
    },
    // §18.1: the pending key change of a contact, accepted or rejected.
    acceptKeyChange: async (p) => keyChangeView(node, await node.acceptKeyChange(contactId(p))),
    rejectKeyChange: async (p) => keyChangeView(node, await node.rejectKeyChange(contactId(p))),
    invite: async (p, call) => {
      const c = await node.invite({ relay, codeLength: p.long === true ? 10 : 8, signal: call.signal, onProgress: (e) => { call.emit(e) } })
      return { id: c.id, name: c.name, keyChange: c.keyChange != null }
    },
    accept: async (p, call) => {
      const c = await node.accept(String(p.code ?? ''), { relay, signal: call.signal, onProgress: (e) => { call.emit(e) } })
      return { id: c.id, name: c.name, keyChange: c.keyChange != null }
    }
  }
  const server = await ControlServer.listen(dataDir, handlers)
  daemon.addListener((e) => { server.publish({ ...e }) })
  return server
}

/** A contact as the control socket returns it: never its secrets. */
function contactOrNone (c: ContactRecord | undefined): { id: string, name: string, nickname?: string, blocked: boolean } | null {
  return c == null ? null : { id: c.id, name: c.name, ...(c.nickname != null ? { nickname: c.nickname } : {}), blocked: c.blocked === true }
}

/** What accept-key / reject-key answer (here or through the daemon): the safety number now in use (§18.1). */
export function keyChangeView (node: Pick<GiniNode, 'safetyNumber'>, c: ContactRecord): { id: string, name: string, safetyNumber: string } {
  return { id: c.id, name: c.name, safetyNumber: node.safetyNumber(c) }
}

/** The running daemon of this data dir, if there is one. */
export async function connectDaemon (dataDir: string): Promise<ControlClient | undefined> {
  return await ControlClient.connect(dataDir)
}

/** An error the daemon answered with, as the error class this process would have thrown. */
export function localError (err: unknown): unknown {
  if (!(err instanceof ControlError)) return err
  if (err.code != null) {
    const local = errorFromWire(err.code as GiniErrorCode)
    local.message = err.message
    return local
  }
  return Object.assign(new Error(err.message), { name: err.name })
}

/** `request()` with the daemon's errors turned local. */
export async function ask<T> (client: ControlClient, method: string, params: Record<string, unknown>, onEvent?: (e: any) => void): Promise<T> {
  try {
    return await client.request<T>(method, params, onEvent)
  } catch (err) {
    throw localError(err)
  }
}

/** A transfer as commands show it: the record without where the sender's file lives. */
export interface TransferView { id: string, contact: string, direction: 'in' | 'out', name: string, size: number, sha256: string, state: string, path?: string, error?: string }

export function transferView (r: TransferRecord): TransferView {
  const v: TransferView = { id: r.id, contact: r.contact, direction: r.direction, name: r.offer.name, size: r.offer.size, sha256: r.offer.sha256, state: r.state }
  if (r.path != null) v.path = r.path
  if (r.error != null) v.error = r.error
  return v
}

export function filesOf (daemon: Daemon): FileTransfers {
  if (daemon.files == null) throw new UsageError('File transfer is not available on this node.')
  return daemon.files
}
