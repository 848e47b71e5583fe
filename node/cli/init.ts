// `gini init`: create the identity (once) and set the own contact card and default relay.
import type { CliContext } from './context.js'
import { validateMultiaddr } from './context.js'
import { loadConfig, saveConfig } from './config.js'
import { UsageError } from './exit-codes.js'

export interface InitOptions { name?: string, email?: string, phone?: string }

export async function initCommand (ctx: CliContext, opts: InitOptions, relayOption: string | undefined): Promise<void> {
  const node = await ctx.node()
  let profile = await node.profile()
  if (opts.name != null || opts.email != null || opts.phone != null) {
    const name = opts.name ?? profile?.fn
    if (name == null || name.trim() === '') throw new UsageError('A name is needed for your contact card: gini init --name "Your Name"')
    profile = await node.setProfile({
      name: name.trim(),
      email: opts.email ?? profile?.email,
      phone: opts.phone ?? profile?.phone
    })
  }
  if (relayOption != null) {
    const config = await loadConfig(ctx.dataDir)
    await saveConfig(ctx.dataDir, { ...config, relay: validateMultiaddr(relayOption) })
  }
  const relay = (await loadConfig(ctx.dataDir)).relay
  ctx.out.event({
    event: 'initialized',
    peerId: node.peerId.toString(),
    name: profile?.fn ?? null,
    email: profile?.email ?? null,
    relay: relay ?? null,
    dataDir: ctx.dataDir,
    created: node.created
  }, [
    node.created ? `Created a new identity in ${ctx.dataDir}` : `Identity in ${ctx.dataDir}`,
    `  Peer id: ${node.peerId.toString()}`,
    `  Name:    ${profile?.fn ?? '(none yet: gini init --name "Your Name")'}`,
    ...(profile?.email != null ? [`  Email:   ${profile.email}`] : []),
    `  Relay:   ${relay ?? '(none yet: gini init --relay <multiaddr>)'}`
  ].join('\n'))
}
