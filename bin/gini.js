#!/usr/bin/env node
// The `gini` command. Runs the compiled CLI (npm install builds it via `prepare`).
import { requireNode } from './node-version.js'
requireNode('gini')
await import('../dist/peer/cli/index.js')
