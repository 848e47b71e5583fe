// Regenerates the protons codecs next to each protocols/*/pb/*.proto (never hand-edit the .ts output).
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const roots = readdirSync('protocols', { withFileTypes: true }).filter(d => d.isDirectory())
for (const dir of roots) {
  const pb = join('protocols', dir.name, 'pb')
  let files = []
  try { files = readdirSync(pb).filter(f => f.endsWith('.proto')) } catch { continue }
  for (const f of files) {
    execFileSync('npx', ['protons', join(pb, f)], { stdio: 'inherit' })
    console.log(`generated ${join(pb, f.replace(/\.proto$/, '.ts'))}`)
  }
}
