// `npm run test:nat` step 1: the lab needs root, `ip netns`, and Debian's coturn, iptables and
// conntrack. Installs missing packages with apt-get (root only; `apt-get update` first) and exits 1
// with the reason when the lab cannot run here. Never fakes a missing tool.
import { execFileSync } from 'node:child_process'
import { labAvailable, removeStaleNamespaces } from './topology.js'
import { LAB_PACKAGES, missingPrograms } from './services.js'

/** apt-get on a fresh machine: index download plus three small packages. */
const APT_TIMEOUT_MS = 300_000

const available = labAvailable()
if (!available.ok && process.getuid?.() !== 0) {
  console.error(`NAT lab not run: it ${available.why}. Run \`sudo npm run test:nat\`.`)
  process.exit(1)
}
let missing = missingPrograms()
if (missing.length > 0) {
  const packages = [...new Set(missing.map(bin => LAB_PACKAGES[bin]))]
  console.error(`NAT lab: installing ${packages.join(', ')} with apt-get…`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  try {
    execFileSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: APT_TIMEOUT_MS })
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: APT_TIMEOUT_MS })
  } catch (err: any) {
    console.error(`NAT lab not run: apt-get failed (${err?.message ?? String(err)})`)
    process.exit(1)
  }
  missing = missingPrograms()
  if (missing.length > 0) {
    console.error(`NAT lab not run: still missing ${missing.join(', ')}`)
    process.exit(1)
  }
}
const again = labAvailable()
if (!again.ok) {
  console.error(`NAT lab not run: it ${again.why}.`)
  process.exit(1)
}
const stale = removeStaleNamespaces()
if (stale.length > 0) console.error(`NAT lab: removed ${stale.length} namespaces left by an interrupted run`)
