// The daemon's control socket (peer/adapters/control-socket.ts): requests and replies, errors with
// their names, events to subscribers, owner-only, bounded lines, and "no daemon" told apart.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { CONTROL_LINE_MAX_BYTES, ControlClient, ControlServer, controlSocketPath, type ControlEvent } from '../../../../peer/adapters/control-socket.js'

describe('control socket', () => {
  let dir: string
  let server: ControlServer | undefined
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'gini-control-')) })
  afterEach(async () => { await server?.close(); server = undefined; await rm(dir, { recursive: true, force: true }) })

  it('no daemon → connect() says so (undefined), nothing created', async () => {
    expect(await ControlClient.connect(dir)).to.equal(undefined)
  })

  it('request → the handler\'s result; a thrown error → ControlError with its name and message', async () => {
    server = await ControlServer.listen(dir, {
      echo: async (p) => ({ got: p.text }),
      fail: async () => { throw Object.assign(new Error('Not sent: the message is empty.'), { name: 'ChatInputError' }) }
    })
    expect((await stat(controlSocketPath(dir))).mode & 0o777).to.equal(0o600)
    const client = (await ControlClient.connect(dir))!
    expect(await client.request('echo', { text: 'hi' })).to.deep.equal({ got: 'hi' })
    const err = await client.request('fail').catch(e => e)
    expect(err).to.include({ name: 'ChatInputError', message: 'Not sent: the message is empty.' })
    expect(await client.request('nope').catch(e => e.message)).to.equal('unknown request "nope"')
    client.close()
  })

  it('subscribe → every published event reaches the subscriber, in order', async () => {
    server = await ControlServer.listen(dir, {})
    const client = (await ControlClient.connect(dir))!
    const seen: ControlEvent[] = []
    await client.subscribe((e) => seen.push(e))
    for (let i = 0; i < 3; i++) server.publish({ event: 'message', n: i })
    for (let i = 0; i < 100 && seen.length < 3; i++) await new Promise(resolve => setTimeout(resolve, 10))
    expect(seen.map(e => e.n)).to.deep.equal([0, 1, 2])
    client.close()
  })

  it('a line longer than the bound, or not JSON → that client is disconnected, others are served', async () => {
    server = await ControlServer.listen(dir, { ping: async () => 'pong' })
    for (const junk of ['x'.repeat(CONTROL_LINE_MAX_BYTES + 10), 'not json\n']) {
      const raw = createConnection(controlSocketPath(dir))
      raw.on('error', () => {})
      await new Promise(resolve => raw.once('connect', resolve))
      raw.write(junk)
      await new Promise(resolve => raw.once('close', resolve))
    }
    const client = (await ControlClient.connect(dir))!
    expect(await client.request('ping')).to.equal('pong')
    client.close()
  })

  it('a socket file left by a killed daemon → the next daemon listens anyway', async () => {
    // What a SIGKILLed daemon leaves: the path exists, nobody listens.
    await writeFile(controlSocketPath(dir), '')
    expect(await ControlClient.connect(dir)).to.equal(undefined)
    server = await ControlServer.listen(dir, { ping: async () => 'pong' })
    const client = (await ControlClient.connect(dir))!
    expect(await client.request('ping')).to.equal('pong')
    client.close()
  })
})
