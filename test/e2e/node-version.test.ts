// bin/node-version.js: the two commands refuse an old Node.js at once, in words a user can act on,
// instead of dying later inside libp2p or node:sqlite. The old version is simulated in a child
// process of the project's own Node (the only Node this suite can count on).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

function runAs (nodeVersion: string, command: string): { status: number | null, stderr: string } {
  const script = `Object.defineProperty(process.versions, 'node', { value: '${nodeVersion}' });` +
    `const { requireNode } = await import('./bin/node-version.js'); requireNode('${command}'); console.log('started')`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 })
  return { status: r.status, stderr: r.stderr + r.stdout }
}

describe('commands on an old Node.js', () => {
  it('Node 20 → gini-relay exits 1 naming the version it needs and how to run it', () => {
    const r = runAs('20.20.2', 'gini-relay')
    expect(r.status).to.equal(1)
    expect(r.stderr).to.include('gini-relay needs Node.js 22.5 or newer; this is Node.js 20.20.2')
    expect(r.stderr).to.include('npx gini-relay')
    expect(r.stderr).not.to.include('started')
  })

  it('Node 22.4 (no node:sqlite) → refused; Node 22.5 and 24 → started', () => {
    expect(runAs('22.4.0', 'gini').status).to.equal(1)
    expect(runAs('22.5.0', 'gini')).to.deep.include({ status: 0 })
    expect(runAs('24.21.0', 'gini').stderr).to.include('started')
  })
})
