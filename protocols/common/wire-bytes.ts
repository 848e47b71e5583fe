// protons' generated codecs type byte fields as Uint8Array<ArrayBuffer> (TS ≥ 5.7), while libsodium
// and most libraries return Uint8Array<ArrayBufferLike>. Every byte array we produce is backed by a
// plain ArrayBuffer (nothing here uses SharedArrayBuffer), so this narrowing is a type-level fact.
export type WireBytes = Uint8Array<ArrayBuffer>

export function wire (bytes: Uint8Array): WireBytes {
  return bytes as WireBytes
}
