// `gini-relay` as a process: the --json line, a pairing against it, and a clean SIGTERM stop.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { RelayShuttingDownError, USER_MESSAGES } from '../../protocols/common/index.js'
import { fcChannel, FcPeer, FC_PROTOCOL } from '../../protocols/fc/index.js'
import * as crpClient from '../helpers/crp-clients.js'
import { Cleanup, WAIT_MS, bytes, clientNode, expectErrorThenEnd, freshLookup, next } from '../helpers/relay-clients.js'

const CLI = join(process.cwd(), 'dist', 'relay', 'cli.js')

interface Listening { event: string, peerId: string, addrs: string[] }

/** Starts the CLI with `node` (this process's Node 24) and resolves with its first stdout line. */
async function startCli (cleanup: Cleanup, args: string[]): Promise<{ proc: ChildProcess, line: Listening }> {
  const proc = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  cleanup.add(() => { if (proc.exitCode == null && proc.signalCode == null) proc.kill('SIGKILL') })
  let stderr = ''
  proc.stderr!.on('data', (d) => { stderr += String(d) })
  const rl = createInterface({ input: proc.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`no line from gini-relay within ${WAIT_MS} ms; stderr: ${stderr}`)) }, WAIT_MS)
    rl.once('line', (l) => { clearTimeout(timer); resolve(l) })
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`gini-relay exited (${code}); stderr: ${stderr}`)) })
  })
  return { proc, line: JSON.parse(first) }
}

async function exitOf (proc: ChildProcess): Promise<number | null> {
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('gini-relay did not exit')) }, WAIT_MS)
    proc.once('exit', (code) => { clearTimeout(timer); resolve(code) })
  })
}

describe('gini-relay CLI', function () {
  this.timeout(WAIT_MS * 4)
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  async function tempDir (): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'gini-relay-cli-'))
    cleanup.add(async () => { await rm(dir, { recursive: true, force: true }) })
    return dir
  }

  it('--config file + GINI_RELAY_ environment + --announce → applied; a bad value → exit 2 naming it, nothing started', async () => {
    const data = await tempDir()
    const config = join(data, 'relay.json')
    await writeFile(config, JSON.stringify({ announce: ['/dns4/relay.example.org/tcp/443/wss'], maxPending: 5 }))
    const proc = spawn(process.execPath, [CLI, '--json', '--data', data, '--config', config], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GINI_RELAY_PAIRING_TTL: '30s' }
    })
    cleanup.add(() => { if (proc.exitCode == null && proc.signalCode == null) proc.kill('SIGKILL') })
    const line = JSON.parse(await new Promise<string>((resolve) => { createInterface({ input: proc.stdout! }).once('line', resolve) }))
    expect(line.event).to.equal('listening')
    expect(line.addrs).to.deep.equal([`/dns4/relay.example.org/tcp/443/wss/p2p/${line.peerId as string}`])
    proc.kill('SIGTERM')
    expect(await exitOf(proc)).to.equal(0)

    await writeFile(config, JSON.stringify({ maxPending: 'many' }))
    const bad = spawn(process.execPath, [CLI, '--data', data, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    bad.stderr!.on('data', (d) => { stderr += String(d) })
    expect(await exitOf(bad)).to.equal(2)
    expect(stderr).to.include('maxPending: expected a positive whole number, got "many"')
  })

  it('a bare on/off flag (`--network`) → on: the relay starts (it used to exit 2, "expected true or false")', async () => {
    const { proc, line } = await startCli(cleanup, ['--json', '--network', '--listen', '/ip4/127.0.0.1/tcp/0', '--data', await tempDir()])
    expect(line.event).to.equal('listening')
    const exit = exitOf(proc)
    proc.kill('SIGTERM')
    expect(await exit).to.equal(0)
  })

  it('--json × listening → one line {event, peerId, addrs with /p2p/}; SIGTERM → exit 0', async () => {
    const { proc, line } = await startCli(cleanup, ['--json', '--data', await tempDir()])
    expect(line.event).to.equal('listening')
    expect(line.addrs.length).to.be.at.least(2)
    for (const a of line.addrs) expect(a.endsWith(`/p2p/${line.peerId}`), a).to.equal(true)
    const exit = exitOf(proc)
    proc.kill('SIGTERM')
    expect(await exit).to.equal(0)
  })

  it('--pairing-ttl 1s × a Create → EXPIRED about a second later; SIGINT → exit 0', async () => {
    const { proc, line } = await startCli(cleanup, ['--json', '--data', await tempDir(), '--pairing-ttl', '1s', '--listen', '/ip4/127.0.0.1/tcp/0'])
    const node = await clientNode(cleanup)
    const stream = await node.dialProtocol(multiaddr(line.addrs[0]), FC_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
    const ch = fcChannel(stream)
    await ch.write({ create: { lookup: freshLookup(), sid: bytes(16) } })
    expect((await next(ch)).created).to.not.equal(undefined)
    await expectErrorThenEnd(ch, 'EXPIRED')
    const exit = exitOf(proc)
    proc.kill('SIGINT')
    expect(await exit).to.equal(0)
  })

  it('SIGTERM × a creator waiting for its joiner and a waiting CRP registration → each gets Error{RELAY_SHUTTING_DOWN}, not a reset, the creator says the relay is restarting; exit 0', async () => {
    const { proc, line } = await startCli(cleanup, ['--json', '--data', await tempDir(), '--listen', '/ip4/127.0.0.1/tcp/0'])
    const node = await clientNode(cleanup)
    const stream = await node.dialProtocol(multiaddr(line.addrs[0]), FC_PROTOCOL, { signal: AbortSignal.timeout(WAIT_MS) })
    const creator = new FcPeer({
      channel: fcChannel(stream),
      role: 'A',
      fc: 'ABCDEFG',
      relayId: peerIdFromString(line.peerId).toMultihash().bytes,
      lookup: freshLookup(),
      randomBytes: (n) => bytes(n)
    })
    await creator.create(AbortSignal.timeout(WAIT_MS))
    const waiting = creator.awaitMatched(AbortSignal.timeout(WAIT_MS)).then(() => undefined, (err: unknown) => err)
    const crp = await crpClient.openCrp(cleanup, line.addrs[0], node)
    await crpClient.register(crp, crpClient.freshToken(), 'A')

    const exit = exitOf(proc)
    proc.kill('SIGTERM')
    const err = await waiting
    expect(err).to.be.instanceOf(RelayShuttingDownError)
    expect((err as Error).message).to.equal(USER_MESSAGES.RELAY_SHUTTING_DOWN)
    expect((err as Error).message).to.equal('The relay is restarting; try again in a moment.')
    await crpClient.expectErrorThenEnd(crp, 'RELAY_SHUTTING_DOWN')
    expect(await exit).to.equal(0)
  })

  it('restart × same --data → same peer id', async () => {
    const dir = await tempDir()
    const first = await startCli(cleanup, ['--json', '--data', dir])
    const exit = exitOf(first.proc)
    first.proc.kill('SIGTERM')
    expect(await exit).to.equal(0)
    const second = await startCli(cleanup, ['--json', '--data', dir])
    expect(second.line.peerId).to.equal(first.line.peerId)
  })

  it('--max-connections-per-ip 1 × a second connection from the same address → refused', async () => {
    const { line } = await startCli(cleanup, ['--json', '--data', await tempDir(), '--max-connections-per-ip', '1', '--max-pending-per-ip', '1'])
    const addr = multiaddr(line.addrs.find(a => !a.includes('/ws'))!)
    const node = await clientNode(cleanup)
    await node.dial(addr, { signal: AbortSignal.timeout(WAIT_MS) })
    let refused = false
    await node.dial(addr, { force: true, signal: AbortSignal.timeout(WAIT_MS) }).catch(() => { refused = true })
    expect(refused).to.equal(true)
  })
})
