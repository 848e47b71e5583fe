// `gini init`: create the identity (once) and set the own contact card and default relay. A changed
// card on an existing identity is queued for every contact as a signed update (docs/protocol.md §19).
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { PROFILE_PHOTO_MAX_BYTES, buildVCard, parseVCard, type Profile, type ProfilePhoto, type PhotoMediaType } from '../../protocols/contact/index.js'
import type { CliContext } from './context.js'
import { validateMultiaddr } from './context.js'
import { loadConfig, saveConfig } from './config.js'
import { UsageError } from './exit-codes.js'
import { ask, connectDaemon } from './daemon-link.js'

export interface InitOptions { name?: string, email?: string, phone?: string, photo?: string }

const PHOTO_TYPES: Record<string, PhotoMediaType> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp' }

/** `--photo <file>`: JPEG, PNG or WebP by extension, at most PROFILE_PHOTO_MAX_BYTES. */
export async function readPhoto (file: string): Promise<ProfilePhoto> {
  const mediaType = PHOTO_TYPES[extname(file).toLowerCase()]
  if (mediaType == null) throw new UsageError(`--photo must be a .jpg, .jpeg, .png or .webp file: ${file}`)
  let data: Uint8Array
  try {
    data = new Uint8Array(await readFile(file))
  } catch (err) {
    throw new UsageError(`Cannot read --photo ${file}: ${(err as Error).message}`)
  }
  if (data.byteLength === 0) throw new UsageError(`--photo ${file} is empty`)
  if (data.byteLength > PROFILE_PHOTO_MAX_BYTES) throw new UsageError(`Photo too large: at most ${PROFILE_PHOTO_MAX_BYTES / 1024} KiB (${file} has ${Math.ceil(data.byteLength / 1024)} KiB)`)
  return { mediaType, data }
}

export async function initCommand (ctx: CliContext, opts: InitOptions, relayOption: string | undefined): Promise<void> {
  const changes = opts.name != null || opts.email != null || opts.phone != null || opts.photo != null
  // A running daemon owns the data dir (so the identity exists): a new card goes through it, and it
  // sends the §19 update at once; the rest is only read here.
  const client = await connectDaemon(ctx.dataDir)
  if (!changes) client?.close()
  const node = client != null ? await ctx.existingNode() : await ctx.node({ exclusive: true })
  let profile = await node.profile()
  if (changes) {
    const photo = opts.photo != null ? await readPhoto(opts.photo) : profile?.photo
    const name = opts.name ?? profile?.fn
    if (name == null || name.trim() === '') throw new UsageError('A name is needed for your contact card: gini init --name "Your Name"')
    const next: Profile = { name: name.trim(), email: opts.email ?? profile?.email, phone: opts.phone ?? profile?.phone, photo }
    if (client != null) {
      try {
        await ask(client, 'setProfile', { profile: { ...next, photo: photo == null ? undefined : { mediaType: photo.mediaType, data: Buffer.from(photo.data).toString('base64') } } })
      } finally {
        client.close()
      }
      profile = parseVCard(buildVCard(next))
    } else {
      profile = await node.setProfile(next)
    }
  }
  let relays: number | null = null
  if (relayOption != null) {
    const config = await loadConfig(ctx.dataDir)
    const set = await validateMultiaddr(relayOption)
    await saveConfig(ctx.dataDir, { ...config, relay: set })
    // docs/protocol.md §22.2: the relay's list of its network, remembered (relays.json) so that a
    // pairing still starts when this relay is down. Best effort: the relay is saved either way.
    if (!ctx.json) process.stdout.write('Asking the relay for the other relays of its network…\n')
    relays = await node.learnRelays(set, { signal: ctx.signal }).catch((err: unknown) => { if (ctx.signal.aborted) throw err; return null })
  }
  const relay = (await loadConfig(ctx.dataDir)).relay
  ctx.out.event({
    event: 'initialized',
    peerId: node.peerId.toString(),
    name: profile?.fn ?? null,
    email: profile?.email ?? null,
    photo: profile?.photo != null ? { mediaType: profile.photo.mediaType, bytes: profile.photo.data.byteLength } : null,
    relay: relay ?? null,
    ...(relayOption != null ? { relays } : {}),
    dataDir: ctx.dataDir,
    created: node.created
  }, [
    node.created ? `Created a new identity in ${ctx.dataDir}` : `Identity in ${ctx.dataDir}`,
    `  Peer id: ${node.peerId.toString()}`,
    `  Name:    ${profile?.fn ?? '(none yet: gini init --name "Your Name")'}`,
    ...(profile?.email != null ? [`  Email:   ${profile.email}`] : []),
    ...(profile?.photo != null ? [`  Photo:   ${profile.photo.mediaType}, ${Math.ceil(profile.photo.data.byteLength / 1024)} KiB`] : []),
    `  Relay:   ${relay ?? '(none yet: gini init --relay <multiaddr>)'}`,
    ...(relayOption == null
      ? []
      : [`  Network: ${relays == null ? 'the relay did not answer now; its list is asked for again at each pairing' : relays > 1 ? `${relays} relays, remembered for when this one is down` : 'a relay on its own'}`])
  ].join('\n'))
}
