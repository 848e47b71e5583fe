// The one place libsodium is loaded (docs/protocol.md §2.2): every primitive comes from
// libsodium-wrappers-sumo.
import _sodium from 'libsodium-wrappers-sumo'

export const sodium = _sodium

let readyPromise: Promise<void> | undefined

/** Resolves once libsodium's WASM is initialised. Call (and await) before any crypto. */
export async function ready (): Promise<void> {
  readyPromise ??= _sodium.ready
  await readyPromise
}
