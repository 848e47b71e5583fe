#!/usr/bin/env node
// The `gini` command. Runs the compiled CLI (npm install builds it via `prepare`).
import module from 'node:module'
import { requireNode } from './node-version.js'
requireNode('gini')
// Node's on-disk compile cache: later runs skip parsing and compiling the CLI's modules,
// which is most of a short command's start-up time.
module.enableCompileCache?.()
await import('../dist/peer/cli/index.js')
