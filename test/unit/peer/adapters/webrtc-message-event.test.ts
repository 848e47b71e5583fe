// The light global MessageEvent (peer/adapters/webrtc-message-event.ts), each case in a fresh Node
// process: the mocha process has long had its globals read.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect } from 'chai'

const MODULE = new URL('../../../../peer/adapters/webrtc-message-event.js', import.meta.url).href
const UNDICI = 'NativeModule internal/deps/undici/undici'

async function runFresh (body: string): Promise<any> {
  const script = `const { installLightMessageEvent } = await import(${JSON.stringify(MODULE)})\n${body}`
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script])
  return JSON.parse(stdout)
}

describe('light MessageEvent for node-datachannel', () => {
  it('a message event carries its data and MessageEvent\'s fields, and undici is never loaded', async () => {
    const out = await runFresh(`
      installLightMessageEvent()
      const bytes = new Uint8Array([1, 2, 3]).buffer
      const e = new MessageEvent('message', { data: bytes })
      const target = new EventTarget()
      let seen
      target.addEventListener('message', (ev) => { seen = ev.data })
      target.dispatchEvent(e)
      console.log(JSON.stringify({
        name: MessageEvent.name, type: e.type, isEvent: e instanceof Event, same: seen === bytes,
        origin: e.origin, lastEventId: e.lastEventId, source: e.source, ports: e.ports.length,
        text: new MessageEvent('message', { data: 'hi' }).data, empty: new MessageEvent('x').data,
        undici: process.moduleLoadList.includes(${JSON.stringify(UNDICI)})
      }))`)
    expect(out).to.deep.equal({ name: 'MessageEvent', type: 'message', isEvent: true, same: true, origin: '', lastEventId: '', source: null, ports: 0, text: 'hi', empty: null, undici: false })
  })

  it('once undici is loaded (the real class may be in use), the global stays Node\'s own', async () => {
    const out = await runFresh(`
      const real = globalThis.MessageEvent
      installLightMessageEvent()
      console.log(JSON.stringify({ same: globalThis.MessageEvent === real }))`)
    expect(out).to.deep.equal({ same: true })
  })
})
