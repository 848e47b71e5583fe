// Public API of the GSS relay (ARCHITECTURE.md: typed export `createRelay`).
export { createRelay, type Relay, type RelayOptions } from './create-relay.js'
export { gss, GssService, type GssServiceInit } from './gss-service.js'
export { RateLimiter, type RateLimitOptions, type BucketOptions } from './rate-limit.js'
export type { GssClock, GssOutcome, GssTamper, GssSide } from '../protocols/fc/gss.js'
