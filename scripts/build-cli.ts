// Bundles the compiled `gini` CLI (dist/peer/cli/index.js and everything it imports) into a few
// files under dist/bundle/cli/ with rolldown. Start-up is mostly module loading (about 900 ESM files
// for a command that goes online); one bundle parses in a fraction of that time (BENCHMARKS.md, "gini
// accept"). Each command's lazy import stays a separate chunk, so `gini send` through the daemon
// still loads neither libp2p nor libsodium. node-datachannel stays outside: it loads a native addon
// from its own folder.
//
// bin/gini.js runs the bundle only when it is newer than dist/peer/cli/index.js, so a `tsc` after
// this build (which rewrites every output) makes it fall back to the plain modules, never to stale
// code. `npm run build`, `npm test`, `npm start` and `prepare` run this after tsc.
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { rm } from 'node:fs/promises'
import { isBuiltin } from 'node:module'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const CLI_ENTRY = join(ROOT, 'dist', 'peer', 'cli', 'index.js')
// Three levels below the root, like dist/peer/cli/: index.ts finds package.json at ../../../.
export const CLI_BUNDLE_DIR = join(ROOT, 'dist', 'bundle', 'cli')

/**
 * Node's builtins through process.getBuiltinModule instead of ESM imports. For an ESM import Node
 * builds the builtin's module facade, reading every export, and several exports are lazy getters
 * that load more: node:util's `parseArgs` and `diff`, node:process's `report`, node:crypto's
 * `webcrypto`, node:http's `WebSocket` (all of undici: ≈ 160 ms of a no-daemon `gini accept` on a
 * busy box). Each `import { a, b } from 'node:x'` becomes an import of a small module that reads
 * just `a` and `b` (BENCHMARKS.md "gini accept"). A namespace import (`* as`) stays as it is: its
 * property reads are not known here. The small module is the importer's own (its id names the
 * importer), so it lands in the importer's chunk instead of a chunk of its own.
 */
const BUILTIN = '\0gini-builtin:'
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const builtinsWithoutFacade = {
  name: 'gini-builtins-without-esm-facade',
  async transform (code: string, id: string) {
    // Not in rolldown's own runtime: it would get a chunk of its own for the one import it makes.
    if (id.startsWith('\0') || !/\bimport\b/.test(code)) return null
    const { parseSync } = await import('rolldown/utils')
    const { RolldownMagicString } = await import('rolldown')
    let edited: InstanceType<typeof RolldownMagicString> | undefined
    for (const imp of parseSync(id, code, { sourceType: 'module', lang: 'js' }).module.staticImports) {
      const { value, start, end } = imp.moduleRequest
      if (!isBuiltin(value) || imp.entries.length === 0) continue
      const names = imp.entries.map(e => e.importName.kind === 'Default' ? 'default' : e.importName.kind === 'Name' ? e.importName.name : null)
      if (names.some(n => n == null || (n !== 'default' && !IDENTIFIER.test(n)))) continue
      if (code.slice(start + 1, end - 1) !== value) continue
      const mod = value.startsWith('node:') ? value : `node:${value}`
      edited ??= new RolldownMagicString(code)
      edited.overwrite(start, end, JSON.stringify(`${BUILTIN}${mod}?${[...new Set(names)].sort().join(',')}?${id}`))
    }
    return edited == null ? null : { code: edited }
  },
  resolveId (id: string) { return id.startsWith(BUILTIN) ? id : null },
  load (id: string) {
    if (!id.startsWith(BUILTIN)) return null
    const [mod, list] = id.slice(BUILTIN.length).split('?')
    const names = list.split(',')
    const named = names.filter(n => n !== 'default')
    return `const m = process.getBuiltinModule(${JSON.stringify(mod)})\n` +
      (names.includes('default') ? 'export default m\n' : '') +
      (named.length > 0 ? `export const { ${named.join(', ')} } = m\n` : '')
  }
}

/**
 * @libp2p/websockets' listener (a WebSocket server: the `ws` package, node:https, node:tls,
 * node:zlib) is dead code in `gini`: a peer dials relays over WebSockets (the global WebSocket) but
 * never listens on them (peer/adapters/peer-libp2p-options.ts: /p2p-circuit, /webrtc, TCP), and
 * loading it cost ≈ 20 ms of every command that goes online (BENCHMARKS.md "gini accept").
 */
const WS_LISTENER = /[\\/]@libp2p[\\/]websockets[\\/]dist[\\/]src[\\/]listener\.js$/
const noWebSocketServer = {
  name: 'gini-no-websocket-server',
  load (id: string) {
    if (!WS_LISTENER.test(id)) return null
    return "export function createListener () { throw new Error('gini does not listen on WebSockets (scripts/build-cli.ts)') }\n"
  }
}

/** False when rolldown is not installed (`npm install --omit=dev`): gini then runs the plain modules. */
export async function buildCli (): Promise<boolean> {
  let build: typeof import('rolldown').build
  try {
    ({ build } = await import('rolldown'))
  } catch {
    process.stderr.write('build-cli: rolldown is not installed (a dev dependency); gini runs unbundled.\n')
    return false
  }
  await rm(CLI_BUNDLE_DIR, { recursive: true, force: true })
  await build({
    input: CLI_ENTRY,
    platform: 'node',
    logLevel: 'warn',
    external: [/^node:/, /^node-datachannel(\/|$)/],
    plugins: [builtinsWithoutFacade, noWebSocketServer],
    output: {
      dir: CLI_BUNDLE_DIR,
      format: 'esm',
      entryFileNames: 'index.js',
      sourcemap: true,
      // ASCII only, no comments, no indentation: V8 keeps a script's source in memory, as two bytes
      // a character if a single one is outside Latin-1 (a `§` or `→` in a comment is enough). The
      // sources of an online command were ≈ 6 MB of heap that way, 2.4 MB now; the code itself is
      // untouched (no renaming, no rewriting), and the source map still points into dist/.
      comments: false,
      minify: { compress: false, mangle: false, codegen: { removeWhitespace: true, asciiOnly: true } }
    }
  })
  return true
}

if (process.argv[1] != null && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli()
}
