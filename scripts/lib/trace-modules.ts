// `node --import ./dist/scripts/lib/trace-modules.js …`: writes every module URL the process loaded
// (ESM and CommonJS) to the file named by GINI_TRACE_MODULES when it exits. scripts/bench-cli.ts uses
// it to show which commands load libp2p and libsodium.
import { registerHooks } from 'node:module'
import { writeFileSync } from 'node:fs'

const out = process.env.GINI_TRACE_MODULES
if (out != null && out !== '') {
  const loaded = new Set<string>()
  registerHooks({
    load (url, context, nextLoad) {
      loaded.add(url)
      return nextLoad(url, context)
    }
  })
  process.on('exit', () => { writeFileSync(out, [...loaded].join('\n') + '\n') })
}
