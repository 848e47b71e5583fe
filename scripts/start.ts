// `npm start`: the one-command demo. A local GSS relay with embedded defaults (data in ./.gini/relay,
// loopback TCP + WebSocket), the web client built and served on http://127.0.0.1:<port> with a
// /config.json that points it at that relay, and instructions for pairing two tabs (or two CLI
// peers). Ctrl-C stops everything.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { createRelay } from '../relay/index.js'
import { buildWeb } from './build-web.js'
import { serveWeb } from './serve-web.js'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    'tcp-port': { type: 'string', default: process.env.GINI_RELAY_TCP_PORT ?? '4001' },
    'ws-port': { type: 'string', default: process.env.GINI_RELAY_WS_PORT ?? '4002' },
    data: { type: 'string', default: './.gini/relay' },
    'skip-build': { type: 'boolean', default: false },
    'web-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' }
  }
})
if (values.help === true) {
  console.log(`Usage: npm start -- [--port 8080] [--tcp-port 4001] [--ws-port 4002] [--data ./.gini/relay] [--skip-build]

  --port        the web client's http port on 127.0.0.1 (default: $PORT or 8080)
  --tcp-port    the relay's TCP port, for CLI peers (default 4001)
  --ws-port     the relay's WebSocket port, for browsers (default 4002)
  --data        the relay's data dir (its identity, so its address stays the same)
  --skip-build  serve the web client already in dist/web instead of building it
  --web-dir     serve a web client built elsewhere (implies --skip-build)`)
  process.exit(0)
}
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port "${values.port}": use a number from 0 to 65535.`)
  process.exit(2)
}

const relay = await createRelay({
  dataDir: values.data,
  listen: [`/ip4/127.0.0.1/tcp/${values['tcp-port']}`, `/ip4/127.0.0.1/tcp/${values['ws-port']}/ws`]
})
const addrs = relay.multiaddrs.map(ma => ma.toString())
const tcpAddr = addrs.find(a => !a.includes('/ws')) ?? addrs[0]
const wsAddr = addrs.find(a => a.includes('/ws/')) ?? addrs[0]

if (values['skip-build'] !== true && values['web-dir'] == null) {
  process.stdout.write('Building the web client… ')
  await buildWeb({ quiet: true })
  process.stdout.write('done.\n')
}
let web
try {
  web = await serveWeb({ config: { relay: wsAddr }, port, dir: values['web-dir'] != null ? resolve(values['web-dir']) : undefined })
} catch (err: any) {
  await relay.stop()
  console.error(err?.code === 'EADDRINUSE'
    ? `Port ${port} is in use. Try: npm start -- --port ${port + 1}   (or PORT=${port + 1} npm start)`
    : `Could not serve the web client: ${String(err?.message ?? err)}`)
  process.exit(1)
}
const url = web.url.replace(/\/$/, '')

console.log(`
GiniConnect is running.

  Web client:   ${url}
  Relay (GSS):  ${wsAddr}   (browsers)
                ${tcpAddr}   (CLI peers)

Pair two people in the browser: open these two tabs (each ?profile is its own person with its
own identity and contacts in IndexedDB; a private window works as a second person too):

  ${url}/?profile=alice
  ${url}/?profile=bob

Enter a name in each. In one tab choose New Secure Contact → Show my code; in the other,
New Secure Contact → Enter a code, and type it. Each tab then lists the other; tap it for the card.

Or pair from a terminal, each peer in its own:

  npx gini --data ./.gini/alice init --name Alice --relay ${tcpAddr}
  npx gini --data ./.gini/alice invite          # shows a Flash Code
  npx gini --data ./.gini/bob init --name Bob --relay ${tcpAddr}
  npx gini --data ./.gini/bob accept <code>     # the code Alice reads out

A browser and a CLI peer pair the same way. Press Ctrl-C to stop.`)

const stop = async (): Promise<void> => {
  await web.close().catch(() => {})
  await relay.stop()
  process.exit(0)
}
process.once('SIGINT', () => { void stop() })
process.once('SIGTERM', () => { void stop() })
