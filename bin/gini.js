#!/usr/bin/env node
// The `gini` command. Runs the compiled CLI (npm install builds it via `prepare`).
import '../dist/peer/cli/index.js'
