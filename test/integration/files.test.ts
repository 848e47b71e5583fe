// /gini/files/1 between two real daemons over loopback (docs/protocol.md §17): a 5 MiB file arrives
// whole with the offer's SHA-256, counted as sent only once the receiver has it all; a transfer cut by the sender's daemon stopping resumes after both
// restart and still matches; a read error at the sender costs one retry; a file over the receiver's limit is refused with the limit named; a
// whole-file hash the receiver finds wrong, or a file changed at the sender, fails it on both sides; a stranger's stream is reset.
import { expect } from 'chai'
import { createHash, randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Relay } from '../../relay/index.js'
import type { DaemonEvent } from '../../peer/core/daemon/events.js'
import { FILES_CHUNK_BYTES, FILES_PROTOCOL, FileRefusedError } from '../../protocols/files/index.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { GatedStorage } from '../helpers/gated-storage.js'
import { clientNode, Cleanup } from '../helpers/relay-clients.js'
import { daemonPeer, isState, pair, startRelay, waitForEvent, type DaemonPeer } from '../helpers/daemons.js'

const isFile = (state: string, direction = 'in') => (e: DaemonEvent): boolean => e.event === 'file' && e.state === state && e.direction === direction

describe('files between two daemons (/gini/files/1)', function () {
  this.timeout(120_000)
  let relay: Relay
  let relayAddr: string
  const cleanups: Array<() => Promise<void>> = []

  before(async () => {
    relay = await startRelay()
    relayAddr = relay.multiaddrs[0].toString()
  })
  after(async () => { await relay.stop() })
  afterEach(async () => { while (cleanups.length > 0) await cleanups.pop()!().catch(() => {}) })

  let gate: GatedStorage | undefined
  let bobGate: GatedStorage | undefined

  async function pairedOnline (bobFiles?: { maxBytes?: number }): Promise<[DaemonPeer, DaemonPeer, string, string]> {
    const clock = new FakeClock(Date.now())
    const alice = await daemonPeer('Alice', clock, (dir) => { gate = new GatedStorage(dir); return gate })
    cleanups.push(alice.cleanup)
    const bob = await daemonPeer('Bob', clock, (dir) => { bobGate = new GatedStorage(dir); return bobGate })
    cleanups.push(bob.cleanup)
    await pair(alice, bob, relayAddr)
    await alice.start({ relays: [relayAddr] })
    await bob.start({ relays: [relayAddr], files: bobFiles })
    await waitForEvent(alice.log, isState('online'), 30_000)
    await waitForEvent(bob.log, isState('online'), 30_000)
    const [bobId, aliceId] = [(await alice.contact()).id, (await bob.contact()).id]
    await directBoth(alice, bob, bobId, aliceId)
    return [alice, bob, bobId, aliceId]
  }

  /** Files need the direct link (§17.1); a session may come up on the relayed one first, under load. */
  async function directBoth (alice: DaemonPeer, bob: DaemonPeer, bobId: string, aliceId: string): Promise<void> {
    const direct = (): boolean => alice.daemon?.linkOf(bobId)?.direct === true && bob.daemon?.linkOf(aliceId)?.direct === true
    for (let i = 0; i < 3000 && !direct(); i++) await new Promise(resolve => setTimeout(resolve, 10))
    expect(direct(), 'a direct WebRTC link both ways').to.equal(true)
  }

  async function fileOf (p: DaemonPeer, name: string, bytes: number): Promise<{ path: string, sha256: string }> {
    const data = randomBytes(bytes)
    const path = join(p.dir, name)
    await writeFile(path, data)
    return { path, sha256: createHash('sha256').update(data).digest('hex') }
  }

  it('a 5 MiB file → offered, accepted, pulled over the direct link; the SHA-256 matches the offer', async () => {
    const [alice, bob, bobId, aliceId] = await pairedOnline()
    const { path, sha256 } = await fileOf(alice, 'holiday.bin', 5 * 1024 * 1024)
    const sent = await alice.daemon!.files!.offer(bobId, path)
    expect(sent).to.include({ state: 'offered', direction: 'out' })
    expect(sent.offer).to.include({ name: 'holiday.bin', size: 5 * 1024 * 1024, sha256, chunkCount: Math.ceil(5 * 1024 * 1024 / FILES_CHUNK_BYTES) })
    const offered = await waitForEvent(bob.log, isFile('offered')) as any
    expect(offered).to.include({ id: sent.id, contact: aliceId, name: 'holiday.bin', size: 5 * 1024 * 1024, sha256 })
    await bob.daemon!.files!.accept(sent.id)
    const done = await waitForEvent(bob.log, isFile('done'), 60_000) as any
    expect(done.path).to.equal(join(bob.dir, 'downloads', 'holiday.bin'))
    expect(createHash('sha256').update(await readFile(done.path)).digest('hex')).to.equal(sha256)
    await waitForEvent(alice.log, isFile('done', 'out'))
  })

  it('the receiver still writing the last chunk → the sender does not count the file sent (a CLI sender would exit and cut it); once written → both done', async () => {
    const [alice, bob, bobId] = await pairedOnline()
    const { path, sha256 } = await fileOf(alice, 'last.bin', 3 * FILES_CHUNK_BYTES - 1000)
    const sent = await alice.daemon!.files!.offer(bobId, path)
    await waitForEvent(bob.log, isFile('offered'))
    const hit = new Promise<void>((resolve) => { bobGate!.writeHit = resolve })
    bobGate!.writeGateAt = 2
    await bob.daemon!.files!.accept(sent.id)
    await hit
    // The last chunk left the sender (it reached the receiver's write): that alone is not sent (§17.4 item 1).
    expect((await alice.daemon!.files!.get(sent.id))?.state).to.equal('progress')
    bobGate!.open()
    const done = await waitForEvent(bob.log, isFile('done'), 60_000) as any
    expect(createHash('sha256').update(await readFile(done.path)).digest('hex')).to.equal(sha256)
    await waitForEvent(alice.log, isFile('done', 'out'))
    expect((await alice.daemon!.files!.get(sent.id))?.state).to.equal('done')
  })

  it('the sender stops mid-way → both restart, the receiver resumes at its first missing chunk; the SHA-256 matches', async () => {
    const [alice, bob, bobId] = await pairedOnline()
    const { path, sha256 } = await fileOf(alice, 'big.bin', 12 * 1024 * 1024)
    const chunks = Math.ceil(12 * 1024 * 1024 / FILES_CHUNK_BYTES)
    const sent = await alice.daemon!.files!.offer(bobId, path)
    await waitForEvent(bob.log, isFile('offered'))
    const hit = new Promise<void>((resolve) => { gate!.hit = resolve })
    gate!.gateAt = Math.floor(chunks * 0.6)
    await bob.daemon!.files!.accept(sent.id)
    await hit
    await alice.stopDaemon()
    await waitForEvent(bob.log, isState('offline'), 30_000)
    await bob.daemon!.files!.settled(sent.id)
    const cut = await bob.daemon!.files!.get(sent.id)
    expect(cut?.state).to.equal('progress')
    expect(cut?.next, 'chunks before the cut are kept').to.be.greaterThan(0).and.lessThan(chunks)
    await bob.stopDaemon()
    gate!.open()
    await alice.start({ relays: [relayAddr] })
    await bob.start({ relays: [relayAddr] })
    const resumed = await waitForEvent(bob.log, e => e.event === 'file' && e.state === 'progress', 60_000) as any
    expect(resumed.received).to.be.greaterThan(0)
    const done = await waitForEvent(bob.log, isFile('done'), 60_000) as any
    expect(createHash('sha256').update(await readFile(done.path)).digest('hex')).to.equal(sha256)
  })

  it('the sender\'s read fails once mid-way → that stream is reset, the receiver pulls again on the same link from its last checkpoint; the SHA-256 matches', async () => {
    const [alice, bob, bobId] = await pairedOnline()
    const { path, sha256 } = await fileOf(alice, 'flaky-disk.bin', 12 * 1024 * 1024)
    const sent = await alice.daemon!.files!.offer(bobId, path)
    await waitForEvent(bob.log, isFile('offered'))
    gate!.failOnceAt = 20
    const from = bob.log.length
    await bob.daemon!.files!.accept(sent.id)
    const done = await waitForEvent(bob.log, isFile('done'), 60_000) as any
    expect(gate!.failOnceAt, 'the fault was hit').to.equal(undefined)
    const received = bob.log.slice(from).filter(e => e.event === 'file' && e.state === 'progress').map(e => (e as any).received as number)
    expect(received.some(r => r > 0), 'a checkpoint before the fault').to.equal(true)
    expect(createHash('sha256').update(await readFile(done.path)).digest('hex')).to.equal(sha256)
  })

  it('a file over the receiver\'s limit → refused with the limit named, nothing kept on the receiver', async () => {
    const [alice, bob, bobId] = await pairedOnline({ maxBytes: 1024 * 1024 })
    const { path } = await fileOf(alice, 'huge.bin', 2 * 1024 * 1024)
    const err = await alice.daemon!.files!.offer(bobId, path).catch(e => e)
    expect(err).to.be.instanceOf(FileRefusedError)
    expect(err.status).to.equal('too-large')
    expect(err.message).to.include('1048576')
    expect(await bob.daemon!.files!.list()).to.deep.equal([])
    const [mine] = await alice.daemon!.files!.list()
    expect(mine).to.include({ state: 'failed' })
  })

  it('the receiver declines → the sender\'s offer is failed as declined; a later pull of it is refused', async () => {
    const [alice, bob, bobId] = await pairedOnline()
    const { path } = await fileOf(alice, 'no-thanks.bin', 100_000)
    const sent = await alice.daemon!.files!.offer(bobId, path)
    await waitForEvent(bob.log, isFile('offered'))
    await bob.daemon!.files!.decline(sent.id)
    const failed = await waitForEvent(alice.log, isFile('failed', 'out')) as any
    expect(failed).to.include({ id: sent.id, error: 'The contact declined the file.' })
    expect((await bob.daemon!.files!.get(sent.id))?.state).to.equal('failed')
    const again = await bob.daemon!.files!.accept(sent.id).catch(e => e)
    expect(again.name).to.equal('FileInputError')
  })

  it('§17.4 item 6: every chunk checks but the whole file does not (the sender\'s file changed between its hashes) → the receiver fails it and tells the sender, which shows failed; neither pulls nor serves it again', async () => {
    const [alice, bob, bobId] = await pairedOnline()
    const { path } = await fileOf(alice, 'stale.bin', 3 * FILES_CHUNK_BYTES + 123)
    gate!.staleWholeHash = true
    const sent = await alice.daemon!.files!.offer(bobId, path)
    gate!.staleWholeHash = false
    await waitForEvent(bob.log, isFile('offered'))
    await bob.daemon!.files!.accept(sent.id)
    const mine = await waitForEvent(bob.log, isFile('failed'), 60_000) as any
    expect(mine).to.include({ id: sent.id, error: 'The received file does not match the offer\'s SHA-256.' })
    const theirs = await waitForEvent(alice.log, isFile('failed', 'out'), 30_000) as any
    expect(theirs.id).to.equal(sent.id)
    expect(theirs.error).to.match(/did not match the offered file/)
    expect(alice.log.some(e => e.event === 'file' && e.direction === 'out' && e.state === 'done'), 'never counted sent').to.equal(false)
    expect((await alice.daemon!.files!.get(sent.id))?.state).to.equal('failed')
    expect((await bob.daemon!.files!.get(sent.id))?.state).to.equal('failed')
  })

  it('§17.4 item 2: the file changes on the sender\'s disk after the offer → CHANGED: the receiver fails it, and the sender shows failed too', async () => {
    const [alice, bob, bobId] = await pairedOnline()
    const { path } = await fileOf(alice, 'edited.bin', 3 * FILES_CHUNK_BYTES)
    const sent = await alice.daemon!.files!.offer(bobId, path)
    await waitForEvent(bob.log, isFile('offered'))
    const data = await readFile(path)
    data[FILES_CHUNK_BYTES + 7] ^= 0xff // chunk 1 now differs from its offered hash
    await writeFile(path, data)
    await bob.daemon!.files!.accept(sent.id)
    const mine = await waitForEvent(bob.log, isFile('failed'), 60_000) as any
    expect(mine).to.include({ id: sent.id, error: 'The file changed on the sender\'s side since it was offered.' })
    const theirs = await waitForEvent(alice.log, isFile('failed', 'out'), 30_000) as any
    expect(theirs).to.include({ id: sent.id, error: 'The file changed on disk after it was offered; offer it again.' })
  })

  it('a stranger (no contact, no session) opens /gini/files/1 → reset without a frame', async () => {
    const [alice] = await pairedOnline()
    const cleanup = new Cleanup()
    cleanups.push(async () => { await cleanup.run() })
    const stranger = await clientNode(cleanup)
    const stream = await stranger.dialProtocol(alice.daemon!.addrs[0], FILES_PROTOCOL, { signal: AbortSignal.timeout(10_000), runOnLimitedConnection: true }).catch(e => e)
    if (!(stream instanceof Error)) {
      const ended = await new Promise<string>((resolve) => {
        stream.addEventListener('close', () => { resolve(stream.status) }, { once: true })
        setTimeout(() => { resolve('open') }, 5_000).unref()
      })
      expect(ended).to.not.equal('open')
    }
    expect(await alice.daemon!.files!.list()).to.deep.equal([])
  })
})
