// Builds the web client (client-web/) with Vite into dist/web/. Used by `npm run build:web`, `npm
// start` and the browser tests' before-hook. Vite needs no config file for js-libp2p (the packages'
// `browser` fields pick the browser builds, with no node-datachannel or `node:` import); only the
// folders are set here. Type-checking is `tsc -p client-web` (vite only strips types).
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const WEB_SRC_DIR = join(ROOT, 'client-web')
export const WEB_OUT_DIR = join(ROOT, 'dist', 'web')

/** `outDir`: tests build into their own temp dir so parallel runs never share (or wipe) dist/web. */
export async function buildWeb (opts: { quiet?: boolean, outDir?: string } = {}): Promise<string> {
  const outDir = opts.outDir ?? WEB_OUT_DIR
  const { build } = await import('vite')
  await build({
    root: WEB_SRC_DIR,
    base: './',
    configFile: false,
    logLevel: opts.quiet === true ? 'warn' : 'info',
    // One chunk of ~1.2 MB (libsodium's sumo build alone is most of it); no need for the warning.
    build: { outDir, emptyOutDir: true, reportCompressedSize: opts.quiet !== true, chunkSizeWarningLimit: 2_000 }
  })
  return outDir
}

if (process.argv[1] != null && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWeb()
}
