#!/usr/bin/env node
// The `gini-relay` command. Runs the compiled relay CLI (npm install builds it via `prepare`).
import '../dist/relay/cli.js'
