// A test double of the /gini/crp/1 relay: the §9.2 relay rules a peer depends on (Registered first
// with the other role's parked offer, a new Register replaces the same role's waiting stream,
// Matched to both, relayed frames, an Error forwarded, Done deletes the row and closes the streams
// waiting on it), over any FrameChannel, plus hooks to play a hijacked relay (rewrite, replay or
// garble frames). The real relay has its own suite; the peers are also tested against it.
import type { Stream } from '@libp2p/interface'
import { frameChannel, errorFrame, type FrameChannel } from '../../protocols/common/index.js'
import { CRP_FRAME_MAX_BYTES, CrpMessage, type Sealed } from '../../protocols/crp/index.js'
import { toHex } from '../../protocols/crypto/index.js'

export type Role = 'A' | 'B'
/** How long a garbled stream waits for the peer's answer. */
const GARBLE_ANSWER_WAIT_MS = 5_000
/** Rewrites a frame on its way to the other side (undefined: unchanged). */
export type Tamper = (from: Role, msg: CrpMessage) => CrpMessage | undefined

interface Side { role: Role, key: string, ch: FrameChannel<CrpMessage>, partner?: Side, ended: boolean }

export class CrpRelayDouble {
  /** Frames each role sent after Register, as the relay read them. */
  readonly seen: Record<Role, CrpMessage[]> = { A: [], B: [] }
  readonly registers: CrpMessage[] = []
  /** Every frame sent after Register, with its sender's role and token (hex). */
  readonly log: Array<{ role: Role, token: string, msg: CrpMessage }> = []
  /** A hijacked relay may keep parked offers to itself. */
  dropParked = false
  readonly parked = new Map<string, Partial<Record<Role, Sealed>>>()
  private readonly waiting = new Map<string, Partial<Record<Role, Side>>>()
  tamper?: Tamper
  /** Answer a Register with these raw bytes instead of `Registered` (a broken relay). */
  garbleRegistered?: (n: number) => Uint8Array | undefined
  /** What each peer sent back on a garbled stream before it ended (its verdict on the garbage). */
  readonly garbleAnswers: CrpMessage[] = []
  matches = 0

  /** Serves a libp2p stream (the relay node's /gini/crp/1 handler). */
  handle (stream: Stream): void {
    void this.serve(frameChannel(stream, CrpMessage, 1024 * 1024))
  }

  async serve (ch: FrameChannel<CrpMessage>): Promise<void> {
    let first: CrpMessage
    try {
      first = await ch.read()
    } catch { return }
    const reg = first.register
    if (reg == null) { ch.abort(new Error('no register')); return }
    this.registers.push(first)
    const garbage = this.garbleRegistered?.(this.registers.length)
    if (garbage != null) {
      ch.stream.send(garbage)
      // Bounded: a peer either answers (Error) or ends the stream.
      const answer = await ch.read({ signal: AbortSignal.timeout(GARBLE_ANSWER_WAIT_MS) }).catch(() => undefined)
      if (answer != null) this.garbleAnswers.push(answer)
      await ch.close()
      return
    }
    const role: Role = reg.role[0] === 0x41 ? 'A' : 'B'
    const key = toHex(reg.token)
    const rows = this.parked.get(key) ?? {}
    if (reg.parked != null) rows[role] = reg.parked
    this.parked.set(key, rows)
    const other: Role = role === 'A' ? 'B' : 'A'
    const parked = this.dropParked ? undefined : rows[other]
    await ch.write({ registered: { expiresAtMs: 1_800_000_000_000n, ...(parked != null ? { parked } : {}) } })
    const side: Side = { role, key, ch, ended: false }
    const slots = this.waiting.get(key) ?? {}
    this.waiting.set(key, slots)
    const replaced = slots[role]
    if (replaced != null) await this.end(replaced)
    const partner = slots[other]
    if (partner != null) {
      slots[other] = undefined
      side.partner = partner
      partner.partner = side
      this.matches++
      await partner.ch.write({ matched: {} }).catch(() => {})
      await ch.write({ matched: {} }).catch(() => {})
    } else {
      slots[role] = side
    }
    await this.pump(side)
  }

  private async pump (side: Side): Promise<void> {
    while (true) {
      let msg: CrpMessage
      try {
        msg = await side.ch.read()
      } catch {
        if (side.ended) return // after its Done (or the relay's end), a close is no departure
        // A departure: waiting → forgotten; in a run → the partner gets PEER_LEFT.
        const slots = this.waiting.get(side.key)
        if (slots?.[side.role] === side) slots[side.role] = undefined
        if (side.partner != null && !side.partner.ended) await this.end(side.partner, errorFrame('PEER_LEFT'))
        await this.end(side)
        return
      }
      if (side.ended) continue
      this.seen[side.role].push(msg)
      this.log.push({ role: side.role, token: side.key, msg })
      if (msg.done != null) {
        // Done deletes the row; streams waiting on it are closed.
        this.parked.delete(side.key)
        const slots = this.waiting.get(side.key)
        for (const w of [slots?.A, slots?.B]) if (w != null && w !== side) await this.end(w)
        this.waiting.delete(side.key)
        await this.end(side)
        continue
      }
      const partner = side.partner
      if (partner == null) { await this.end(side, errorFrame('PROTOCOL_VIOLATION')); continue }
      const out = this.tamper?.(side.role, msg) ?? msg
      if (out.error != null) {
        await this.end(partner, out)
        await this.end(side)
        continue
      }
      if (!partner.ended) await partner.ch.write(out).catch(() => {})
    }
  }

  private async end (side: Side, last?: CrpMessage): Promise<void> {
    if (side.ended) return
    side.ended = true
    const slots = this.waiting.get(side.key)
    if (slots?.[side.role] === side) slots[side.role] = undefined
    if (last != null) await side.ch.write(last).catch(() => {})
    await side.ch.close()
  }
}

export { CRP_FRAME_MAX_BYTES }
