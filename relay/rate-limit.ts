// Token buckets per remote peer and per IP for `Create` and `Join` (docs/protocol.md §6.5 rule 9;
// §9.2 reuses them for `Register`). Peer ids are free to mint (§11: every pairing uses a fresh
// one), so the per-IP bucket is the one that bites; the per-peer bucket stops one connection from
// hogging it.
import type { FcAdmission, FcRemote } from '../protocols/fc/index.js'
import {
  RATE_LIMIT_MAX_TRACKED_KEYS, RATE_LIMIT_PER_IP_BURST, RATE_LIMIT_PER_IP_REFILL_MS,
  RATE_LIMIT_PER_PEER_BURST, RATE_LIMIT_PER_PEER_REFILL_MS
} from './constants.js'

export interface BucketOptions {
  /** Tokens a fresh key starts with, and the most it can hold. */
  burst: number
  /** One token comes back every this many ms. */
  refillMs: number
}

export interface RateLimitOptions {
  perPeer?: Partial<BucketOptions>
  perIp?: Partial<BucketOptions>
  /** Bound on remembered keys per bucket set; past it new keys are refused until old ones refill. */
  maxTrackedKeys?: number
}

interface Bucket { tokens: number, atMs: number }

/** One bucket per key, refilled lazily from the injected clock; full buckets are forgotten. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>()

  constructor (
    private readonly opts: BucketOptions,
    private readonly maxKeys: number,
    private readonly now: () => number
  ) {}

  /** Takes one token for `key`; false when the bucket is empty (or the table is full). */
  take (key: string): boolean {
    const nowMs = this.now()
    let b = this.buckets.get(key)
    if (b == null) {
      if (this.buckets.size >= this.maxKeys) this.sweep(nowMs)
      if (this.buckets.size >= this.maxKeys) return false // bounded memory beats admitting strangers
      b = { tokens: this.opts.burst, atMs: nowMs }
      this.buckets.set(key, b)
    }
    this.refill(b, nowMs)
    if (b.tokens < 1) return false
    b.tokens -= 1
    return true
  }

  get size (): number {
    return this.buckets.size
  }

  private refill (b: Bucket, nowMs: number): void {
    const earned = Math.floor((nowMs - b.atMs) / this.opts.refillMs)
    if (earned <= 0) return
    b.tokens = Math.min(this.opts.burst, b.tokens + earned)
    b.atMs = b.tokens === this.opts.burst ? nowMs : b.atMs + earned * this.opts.refillMs
  }

  /** A full bucket is the same as no bucket: drop those. */
  private sweep (nowMs: number): void {
    for (const [key, b] of this.buckets) {
      this.refill(b, nowMs)
      if (b.tokens >= this.opts.burst) this.buckets.delete(key)
    }
  }
}

/** The GSS admission check: a `Create` or `Join` costs one token from the peer's and the IP's bucket. */
export class RateLimiter implements FcAdmission {
  private readonly perPeer: TokenBuckets
  private readonly perIp: TokenBuckets

  constructor (opts: RateLimitOptions = {}, now: () => number = Date.now) {
    const maxKeys = opts.maxTrackedKeys ?? RATE_LIMIT_MAX_TRACKED_KEYS
    this.perPeer = new TokenBuckets({
      burst: opts.perPeer?.burst ?? RATE_LIMIT_PER_PEER_BURST,
      refillMs: opts.perPeer?.refillMs ?? RATE_LIMIT_PER_PEER_REFILL_MS
    }, maxKeys, now)
    this.perIp = new TokenBuckets({
      burst: opts.perIp?.burst ?? RATE_LIMIT_PER_IP_BURST,
      refillMs: opts.perIp?.refillMs ?? RATE_LIMIT_PER_IP_REFILL_MS
    }, maxKeys, now)
  }

  admit (remote: FcRemote, _kind: 'create' | 'join'): boolean {
    // Both buckets are charged even when the first refuses, so a flood from one IP with
    // fresh peer ids drains the IP bucket as fast as it tries.
    const peerOk = this.perPeer.take(remote.peer)
    const ipOk = remote.ip == null || this.perIp.take(remote.ip)
    return peerOk && ipOk
  }
}
