// The relay's identity is R in every formula (docs/protocol.md §5, §6), so it must survive restarts.
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { Cleanup, startRelay } from '../helpers/relay-clients.js'

describe('relay identity', function () {
  const cleanup = new Cleanup()
  afterEach(async () => { await cleanup.run() })

  async function tempDir (): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'gini-relay-'))
    cleanup.add(async () => { await rm(dir, { recursive: true, force: true }) })
    return dir
  }

  it('restart × same dataDir → same peer id; identity.key has mode 0600', async () => {
    const dir = await tempDir()
    const first = await startRelay(cleanup, { dataDir: join(dir, 'relay') })
    const id = first.peerId.toString()
    await first.stop()
    const second = await startRelay(cleanup, { dataDir: join(dir, 'relay') })
    expect(second.peerId.toString()).to.equal(id)
    const st = await stat(join(dir, 'relay', 'identity.key'))
    expect(st.mode & 0o777).to.equal(0o600)
  })

  it('no dataDir × two starts → two different peer ids', async () => {
    const a = await startRelay(cleanup)
    const b = await startRelay(cleanup)
    expect(a.peerId.equals(b.peerId)).to.equal(false)
  })
})
