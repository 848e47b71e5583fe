// Works around a race in @libp2p/webrtc 6.0.33 (private-to-private, seen browser↔browser in
// Chromium, about 1 dial in 4 on loopback). The dialer creates an `init` data channel and, once
// its RTCPeerConnection reports `connected`, waits for that channel's `open` event, closes it and
// waits for its `close` event (initiate-connection.js). The listener's muxer closes the `init`
// channel as soon as it adopts it (muxer.js `onDataChannel`). Chromium can deliver the channel's
// `open` and the remote's close *before* the dialer's `connectionstatechange` to `connected`; the
// dialer then waits for an `open` that already happened, the dial hangs until its deadline, and
// libp2p's dial queue makes every retry join the hung dial (measured: 16 s, then the relayed path).
//
// The fix is on the dialer's own `init` channel only: once it has opened, a remote close counts as
// "open, finished" for whoever looks at readyState before closing it, and a close() after the
// channel already closed still produces the `close` event the dialer waits for.

let installed = false

/** Idempotent; patches the page's RTCPeerConnection, which @libp2p/webrtc uses in the browser. */
export function installInitChannelRaceFix (): void {
  if (installed || typeof RTCPeerConnection === 'undefined' || typeof RTCDataChannel === 'undefined') return
  installed = true
  const readyStateOf = Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'readyState')?.get
  if (readyStateOf == null) return
  const proto = RTCPeerConnection.prototype
  const createDataChannel = proto.createDataChannel
  proto.createDataChannel = function (this: RTCPeerConnection, label: string, init?: RTCDataChannelInit): RTCDataChannel {
    const channel = createDataChannel.call(this, label, init)
    if (label === 'init') tolerateEarlyRemoteClose(channel, readyStateOf)
    return channel
  }
}

function tolerateEarlyRemoteClose (channel: RTCDataChannel, readyStateOf: () => RTCDataChannelState): void {
  let opened = false
  let closed = false
  let closeRequested = false
  channel.addEventListener('open', () => { opened = true })
  channel.addEventListener('close', () => { closed = true })
  Object.defineProperty(channel, 'readyState', {
    configurable: true,
    get (): RTCDataChannelState {
      const real = readyStateOf.call(channel)
      return opened && !closeRequested && (real === 'closing' || real === 'closed') ? 'open' : real
    }
  })
  const close = channel.close.bind(channel)
  channel.close = () => {
    closeRequested = true
    if (closed) setTimeout(() => { channel.dispatchEvent(new Event('close')) }, 0)
    else close()
  }
}
