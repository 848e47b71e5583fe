// A light global MessageEvent for node-datachannel. Its RTCDataChannel polyfill wraps every incoming
// message in `new MessageEvent(…)`, and Node 24's global MessageEvent is a lazy getter that loads all
// of undici (fetch, WebSocket, …) on first use: ≈ 55 ms on an idle box, more on a busy one, in the
// middle of the first WebRTC upgrade of a fresh process (BENCHMARKS.md, "gini accept"). Nothing here
// reads more than `data`; the class has MessageEvent's fields all the same.

/** The MessageEvent fields a data channel message carries (the rest keep their defaults). */
class LightMessageEvent<T = unknown> extends Event {
  readonly data: T | null
  readonly origin: string
  readonly lastEventId: string
  readonly source: unknown
  readonly ports: readonly unknown[]
  constructor (type: string, init: MessageEventInit<T> = {}) {
    super(type, init)
    this.data = init.data ?? null
    this.origin = init.origin ?? ''
    this.lastEventId = init.lastEventId ?? ''
    this.source = init.source ?? null
    this.ports = Object.freeze([...(init.ports ?? [])])
  }
}
Object.defineProperty(LightMessageEvent, 'name', { value: 'MessageEvent' })

const UNDICI = 'NativeModule internal/deps/undici/undici'

/**
 * Idempotent. While undici is not loaded, nothing in the process has read the global MessageEvent
 * (reading it loads undici), so ours can take its place unseen; once undici is in, the real class
 * stays. Looking at the property (a descriptor, `defineProperty`) would itself load undici: a plain
 * assignment does not.
 */
export function installLightMessageEvent (): void {
  const loaded = (process as unknown as { moduleLoadList?: unknown }).moduleLoadList
  if (!Array.isArray(loaded) || loaded.includes(UNDICI)) return
  ;(globalThis as { MessageEvent: unknown }).MessageEvent = LightMessageEvent
}
