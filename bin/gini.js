#!/usr/bin/env node
// The `gini` command. Runs the compiled CLI (npm install builds it via `prepare`): the bundle of
// scripts/build-cli.ts when it is at least as new as the plain build (one file to load instead of
// hundreds), else the plain modules, so a bundle older than the last `tsc` is never run.
import module from 'node:module'
import { statSync } from 'node:fs'
import { requireNode } from './node-version.js'
requireNode('gini')
// Node's on-disk compile cache: later runs skip parsing and compiling the CLI's modules.
module.enableCompileCache?.()
const PLAIN = new URL('../dist/peer/cli/index.js', import.meta.url)
const BUNDLE = new URL('../dist/bundle/cli/index.js', import.meta.url)
function bundleIsCurrent () {
  try {
    return statSync(BUNDLE).mtimeMs >= statSync(PLAIN).mtimeMs
  } catch {
    return false
  }
}
await import((process.env.GINI_NO_BUNDLE !== '1' && bundleIsCurrent() ? BUNDLE : PLAIN).href)
