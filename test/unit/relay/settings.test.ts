// The relay's settings table (relay/settings.ts): one value from a flag, the environment or a config
// file, in that order; every bad value named with where it came from; secrets never in the file.
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { SETTINGS, SettingError, parseSetting, resolveSettings } from '../../../relay/settings.js'

const spec = (key: string): typeof SETTINGS[number] => SETTINGS.find(s => s.key === key)!

describe('relay settings', () => {
  let dir: string
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'gini-settings-')) })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  async function configFile (obj: unknown): Promise<string> {
    const path = join(dir, `c-${Math.random().toString(16).slice(2)}.json`)
    await writeFile(path, typeof obj === 'string' ? obj : JSON.stringify(obj))
    return path
  }

  it('every setting has a flag, a GINI_RELAY_ variable and a unique key', () => {
    const keys = new Set(SETTINGS.map(s => s.key))
    expect(keys.size).to.equal(SETTINGS.length)
    for (const s of SETTINGS) {
      expect(s.flag.startsWith('--'), s.key).to.equal(true)
      expect(s.env, s.key).to.match(/^GINI_RELAY_[A-Z0-9_]+$/)
    }
  })

  it('docs/operator.md lists every setting with its flag, variable and key', () => {
    const guide = readFileSync(new URL('../../../../docs/operator.md', import.meta.url), 'utf8')
    for (const s of SETTINGS) expect(guide, s.key).to.include(`| \`${s.flag}\` | \`${s.env}\` | \`${s.key}\` |`)
  })

  it('flag beats environment beats config file; unset stays unset', async () => {
    const path = await configFile({ maxPending: 7, pairingTtl: '90s', crpMaxRows: 5 })
    const out = resolveSettings({ maxPending: 9 }, { GINI_RELAY_PAIRING_TTL: '2m', GINI_RELAY_MAX_PENDING: '8' }, path)
    expect(out.maxPending).to.equal(9)
    expect(out.pairingTtl).to.equal(120_000)
    expect(out.crpMaxRows).to.equal(5)
    expect(out).not.to.have.property('maxConnections')
  })

  it('older environment names (GINI_TURN_SECRET) are still read', () => {
    expect(resolveSettings({}, { GINI_TURN_SECRET: 's3cret' }).turnSecret).to.equal('s3cret')
  })

  it('values: durations with d, sizes with units, lists from JSON arrays or comma text', () => {
    expect(parseSetting(spec('crpTtl'), '365d', 'x')).to.equal(365 * 86_400_000)
    expect(parseSetting(spec('circuitDataLimit'), '8MiB', 'x')).to.equal(8 * 1024 * 1024)
    expect(parseSetting(spec('circuitDataLimit'), 65536, 'x')).to.equal(65536)
    expect(parseSetting(spec('listen'), ['/ip4/0.0.0.0/tcp/4001'], 'x')).to.deep.equal(['/ip4/0.0.0.0/tcp/4001'])
    expect(parseSetting(spec('stun'), 'stun:a:3478, stun:b:3478', 'x')).to.deep.equal(['stun:a:3478', 'stun:b:3478'])
    expect(parseSetting(spec('metrics'), '[::1]:9090', 'x')).to.deep.equal({ host: '::1', port: 9090 })
  })

  it('bad values × flag, environment, file → a SettingError naming where it came from', async () => {
    expect(() => parseSetting(spec('maxPending'), '-3', '--max-pending')).to.throw(SettingError, /^--max-pending: expected a positive whole number/)
    expect(() => resolveSettings({}, { GINI_RELAY_PAIRING_TTL: 'soon' })).to.throw(SettingError, /^GINI_RELAY_PAIRING_TTL: invalid duration "soon"/)
    const path = await configFile({ circuitDataLimit: 'lots' })
    expect(() => resolveSettings({}, {}, path)).to.throw(SettingError, /circuitDataLimit: expected a size/)
    expect(() => resolveSettings({}, { GINI_RELAY_TRUST_PROXY: '127.0.0.1, 10.0.0.0/99' })).to.throw(SettingError, /^GINI_RELAY_TRUST_PROXY: not an IP address or CIDR block: "10\.0\.0\.0\/99"/)
    expect(resolveSettings({}, { GINI_RELAY_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).to.deep.equal(['127.0.0.1', '10.0.0.0/8'])
  })

  it('config file × unknown key, a secret, not JSON, missing → refused with the file named', async () => {
    expect(() => resolveSettings({}, {}, join(dir, 'missing.json'))).to.throw(SettingError, /missing\.json: cannot read the config file \(ENOENT\)/)
    const typo = await configFile({ maxPendng: 1 })
    expect(() => resolveSettings({}, {}, typo)).to.throw(SettingError, /unknown setting "maxPendng"/)
    const secret = await configFile({ turnSecret: 'x' })
    expect(() => resolveSettings({}, {}, secret)).to.throw(SettingError, /"turnSecret" is a secret: set it in the environment \(GINI_RELAY_TURN_SECRET\)/)
    const broken = await configFile('{ "maxPending": ')
    expect(() => resolveSettings({}, {}, broken)).to.throw(SettingError, /not valid JSON/)
  })
})
