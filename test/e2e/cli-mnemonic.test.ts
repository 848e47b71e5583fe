// `gini key --mnemonic` and `gini restore --mnemonic` as a user runs them (README "CLI reference",
// docs/protocol.md §20.2): the words of one data dir restore the same peer id and PPK into a new
// one; a wrong word is named by its position and nothing is written; a data dir with an identity
// is refused unless --force; an identity made before §20.2 shows two mnemonics that restore it too.
import { expect } from 'chai'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { run, GINI } from '../helpers/processes.js'

describe('gini key --mnemonic / gini restore --mnemonic', function () {
  this.timeout(120_000)
  let dir: string

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'gini-e2e-mnemonic-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  async function gini (who: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null, out: string, stderr: string }> {
    const p = run(GINI, ['--data', join(dir, who), ...args], env)
    const timer = setTimeout(() => { p.kill() }, 60_000)
    const code = await p.exited
    clearTimeout(timer)
    return { code, out: p.lines.join('\n'), stderr: p.stderr.join('') }
  }

  async function json (who: string, args: string[], env: Record<string, string> = {}): Promise<any> {
    const res = await gini(who, [...args, '--json'], env)
    expect(res.code, res.stderr + res.out).to.equal(0)
    return JSON.parse(res.out)
  }

  it('the 24 words restore the same peer id and PPK into an empty data dir; bad words and a taken dir write nothing', async () => {
    expect((await gini('alice', ['init', '--name', 'Alice', '--relay', '/ip4/127.0.0.1/tcp/9'])).code).to.equal(0)
    const key = await json('alice', ['key', '--mnemonic'])
    expect(key.recovery).to.equal('root')
    const words: string[] = key.mnemonic.split(' ')
    expect(words).to.have.length(24)
    const human = await gini('alice', ['key', '--mnemonic'])
    expect(human.out).to.include(` 1. ${words[0]}`)
    expect(human.out).to.include(`24. ${words[23]}`)
    expect(human.out).to.match(/take over your identity/)

    const restored = await json('restored', ['restore', '--mnemonic'], { GINI_MNEMONIC: key.mnemonic })
    expect(restored).to.deep.include({ peerId: key.peerId, ppk: key.ppk, recovery: 'root' })
    expect(await json('restored', ['key', '--mnemonic'])).to.deep.equal(key)

    // Word 5 misspelt: exit 2, the position named (not the word), no data dir made.
    const typo = [...words]
    typo[4] = `${typo[4]}x`
    const bad = await gini('typo', ['restore', '--mnemonic'], { GINI_MNEMONIC: typo.join(' ') })
    expect(bad.code).to.equal(2)
    expect(bad.stderr).to.include('word 5 is not a BIP-39 English word')
    expect(bad.stderr).to.include('Nothing was written')
    expect(bad.stderr).to.not.include(typo[4])
    expect(existsSync(join(dir, 'typo'))).to.equal(false)
    // Two words swapped: the checksum says so.
    const swapped = [...words]
    ;[swapped[0], swapped[1]] = [swapped[1], swapped[0]]
    if (swapped[0] !== swapped[1]) {
      const sw = await gini('swapped', ['restore', '--mnemonic'], { GINI_MNEMONIC: swapped.join(' ') })
      expect(sw.code).to.equal(2)
      expect(sw.stderr).to.include('checksum')
      expect(existsSync(join(dir, 'swapped'))).to.equal(false)
    }

    // A data dir with an identity: refused unless --force, which keeps the old records aside.
    expect((await gini('bob', ['init', '--name', 'Bob', '--relay', '/ip4/127.0.0.1/tcp/9'])).code).to.equal(0)
    const bobBefore = await readFile(join(dir, 'bob', 'identity.json'), 'utf8')
    const refused = await gini('bob', ['restore', '--mnemonic'], { GINI_MNEMONIC: key.mnemonic })
    expect(refused.code).to.equal(1)
    expect(refused.stderr).to.include('already holds the identity')
    expect(await readFile(join(dir, 'bob', 'identity.json'), 'utf8')).to.equal(bobBefore)
    const forced = await json('bob', ['restore', '--mnemonic', '--force'], { GINI_MNEMONIC: key.mnemonic })
    expect(forced.peerId).to.equal(key.peerId)
    expect(await readFile(join(forced.replaced.keptIn, 'identity.json'), 'utf8')).to.equal(bobBefore)

    // Neither a file nor --mnemonic, or both: usage errors.
    expect((await gini('x', ['restore'])).code).to.equal(2)
    expect((await gini('x', ['restore', 'some.file', '--mnemonic'])).code).to.equal(2)
  })

  it('an identity made before recovery phrases shows two labelled mnemonics, and the 48 words restore it', async () => {
    const key = await generateKeyPair('Ed25519')
    const legacyDir = join(dir, 'legacy')
    await rm(legacyDir, { recursive: true, force: true })
    // identity.json as FileStorage wrote it before §20.2: two random keys, no rootEntropy.
    await mkdir(legacyDir, { recursive: true, mode: 0o700 })
    await writeFile(join(legacyDir, 'identity.json'), JSON.stringify({
      libp2pKey: Buffer.from(privateKeyToProtobuf(key)).toString('base64'),
      ppkPrivate: Buffer.alloc(32, 3).toString('base64'),
      createdAtMs: 1
    }), { mode: 0o600 })
    const shown = await json('legacy', ['key', '--mnemonic'])
    expect(shown.recovery).to.equal('keys')
    expect(shown.peerId).to.equal(peerIdFromPrivateKey(key).toString())
    expect(shown.peerKeyMnemonic.split(' ')).to.have.length(24)
    expect(shown.ppkMnemonic.split(' ')).to.have.length(24)
    const human = await gini('legacy', ['key', '--mnemonic'])
    expect(human.out).to.include('Peer key (')
    expect(human.out).to.include('PPK:')
    const restored = await json('legacy-restored', ['restore', '--mnemonic'], { GINI_MNEMONIC: `${String(shown.peerKeyMnemonic)}\n${String(shown.ppkMnemonic)}` })
    expect(restored).to.deep.include({ peerId: shown.peerId, ppk: shown.ppk, recovery: 'keys' })
  })
})
