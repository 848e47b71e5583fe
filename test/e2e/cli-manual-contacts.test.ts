// Manual contacts as a user runs them (docs/protocol.md §19, README "CLI reference"): added by hand,
// listed marked, found by name, refused by `gini send`, carried by a backup, deleted.
import { expect } from 'chai'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run, GINI } from '../helpers/processes.js'

describe('gini contact add --manual', function () {
  this.timeout(120_000)
  let dir: string
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'gini-e2e-manual-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  async function gini (who: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null, out: string, stderr: string }> {
    const p = run(GINI, ['--data', join(dir, who), ...args], env)
    const timer = setTimeout(() => { p.kill() }, 60_000)
    const code = await p.exited
    clearTimeout(timer)
    return { code, out: p.lines.join('\n'), stderr: p.stderr.join('') }
  }

  it('added, listed as manual, shown, refused by send, kept by a backup, deleted', async () => {
    expect((await gini('me', ['init', '--name', 'Me', '--relay', '/ip4/127.0.0.1/tcp/9'])).code).to.equal(0)
    expect((await gini('me', ['contact', 'add', '--name', 'Carol'])).code, 'without --manual').to.equal(2)
    const added = await gini('me', ['contact', 'add', '--manual', '--name', 'Carol Smith', '--email', 'carol@example.org', '--tel', '+41 79 000 00 00', '--address', '1 Main St, Bern', '--payment', 'CH93 0076 2011 6238 5295 7', '--json'])
    expect(added.code, added.stderr).to.equal(0)
    const event = JSON.parse(added.out)
    expect(event).to.deep.include({ event: 'manual-contact-added', kind: 'manual', name: 'Carol Smith', email: 'carol@example.org', address: '1 Main St, Bern', payment: 'CH93 0076 2011 6238 5295 7', photo: false })
    expect(event.id).to.match(/^m[0-9a-f]{20}$/)
    expect(await readdir(join(dir, 'me', 'manual-contacts'))).to.deep.equal([`${String(event.id)}.vcf`])

    const list = JSON.parse((await gini('me', ['contacts', '--json'])).out)
    expect(list).to.have.length(1)
    expect(list[0]).to.deep.include({ kind: 'manual', id: event.id, name: 'Carol Smith' })
    expect((await gini('me', ['contacts'])).out).to.include('Carol Smith (manual, not verified)')
    const shown = await gini('me', ['contact', 'carol'])
    expect(shown.code).to.equal(0)
    expect(shown.out).to.include('FN:Carol Smith')
    expect(shown.out).to.include('Manual contact')

    const send = await gini('me', ['send', 'Carol', 'hello', '--json'])
    expect(send.code).to.equal(2)
    expect(JSON.parse(send.out)).to.deep.include({ event: 'error', code: 'MANUAL_CONTACT' })

    // A backup carries it; the restored dir lists it.
    const env = { GINI_PASSPHRASE: 'manual contacts e2e' }
    const file = join(dir, 'me.gini-backup')
    expect((await gini('me', ['backup', '--out', file], env)).code).to.equal(0)
    const restored = await gini('restored', ['restore', file], env)
    expect(restored.code, restored.stderr).to.equal(0)
    expect(JSON.parse((await gini('restored', ['contacts', '--json'])).out).map((c: any) => [c.kind, c.id])).to.deep.equal([['manual', event.id]])

    expect((await gini('me', ['contact', 'delete', 'carol'])).code, 'asks for --yes').to.equal(2)
    expect((await gini('me', ['contact', 'delete', 'carol', '--yes'])).code).to.equal(0)
    expect(JSON.parse((await gini('me', ['contacts', '--json'])).out)).to.deep.equal([])
  })
})
