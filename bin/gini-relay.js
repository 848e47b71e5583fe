#!/usr/bin/env node
// The `gini-relay` command. Runs the compiled relay CLI (npm install builds it via `prepare`).
import { requireNode } from './node-version.js'
requireNode('gini-relay')
await import('../dist/relay/cli.js')
