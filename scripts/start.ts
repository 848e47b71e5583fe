// `npm start`: a local GSS relay with embedded defaults (data in ./.gini/relay, loopback TCP +
// WebSocket), plus instructions for pairing two peers against it. Ctrl-C stops it.
import { parseArgs } from 'node:util'
import { createRelay } from '../relay/index.js'

const { values } = parseArgs({
  options: {
    'tcp-port': { type: 'string', default: process.env.GINI_RELAY_TCP_PORT ?? '4001' },
    'ws-port': { type: 'string', default: process.env.GINI_RELAY_WS_PORT ?? '4002' },
    data: { type: 'string', default: './.gini/relay' },
    help: { type: 'boolean', short: 'h' }
  }
})
if (values.help === true) {
  console.log('Usage: npm start -- [--tcp-port 4001] [--ws-port 4002] [--data ./.gini/relay]')
  process.exit(0)
}

const relay = await createRelay({
  dataDir: values.data,
  listen: [`/ip4/127.0.0.1/tcp/${values['tcp-port']}`, `/ip4/127.0.0.1/tcp/${values['ws-port']}/ws`]
})
const tcpAddr = relay.multiaddrs.find(ma => !ma.toString().includes('/ws'))?.toString() ?? relay.multiaddrs[0].toString()

console.log(`GiniConnect relay (GSS) running, peer id ${relay.peerId.toString()}`)
for (const ma of relay.multiaddrs) console.log(`  listening on ${ma.toString()}`)
console.log(`
Pair two peers against it, each in its own terminal:

  Terminal 1 (Alice):
    npx gini --data ./.gini/alice init --name Alice --relay ${tcpAddr}
    npx gini --data ./.gini/alice invite          # shows a Flash Code

  Terminal 2 (Bob):
    npx gini --data ./.gini/bob init --name Bob --relay ${tcpAddr}
    npx gini --data ./.gini/bob accept <code>     # the code Alice reads out

  Then: npx gini --data ./.gini/bob contacts

The web client is not built yet; press Ctrl-C to stop the relay.`)

const stop = async (): Promise<void> => {
  await relay.stop()
  process.exit(0)
}
process.once('SIGINT', () => { void stop() })
process.once('SIGTERM', () => { void stop() })
