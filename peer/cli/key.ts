// `gini key [--mnemonic]` and `gini restore --mnemonic` (docs/protocol.md §20.2): the identity's
// recovery phrase, and a new data dir restored from one. The phrase restores the peer id and the
// PPK only; contacts and their secrets come back from a backup file (§20.1).
import { rmdir, stat } from 'node:fs/promises'
import { FileStorage } from '../adapters/file-storage.js'
import { identityFromMnemonic, identityMnemonic } from '../core/identity.js'
import { IdentityExistsError, peerIdOf } from '../core/backup.js'
import { MnemonicError, ready, splitMnemonic, toHex, x25519PublicFromPrivate } from '../../protocols/crypto/index.js'
import type { CliContext } from './context.js'
import { UsageError } from './exit-codes.js'
import { promptHidden } from './backup.js'

/** Four words a line, numbered, so a person can copy them onto paper and check the count. */
function numbered (words: string[], first = 1): string {
  const lines: string[] = []
  for (let i = 0; i < words.length; i += 4) {
    lines.push('  ' + words.slice(i, i + 4).map((w, j) => `${String(first + i + j).padStart(2)}. ${w.padEnd(9)}`).join(' ').trimEnd())
  }
  return lines.join('\n')
}

export async function keyCommand (ctx: CliContext, opts: { mnemonic?: boolean }): Promise<void> {
  const identity = await new FileStorage(ctx.dataDir).loadIdentity()
  if (identity == null) throw Object.assign(new Error(`No identity in ${ctx.dataDir} yet: create one with \`gini init --name "Your Name"\`.`), { name: 'IdentityMissingError' })
  await ready()
  const peerId = peerIdOf(identity)
  const ppk = toHex(x25519PublicFromPrivate(identity.ppkPrivate))
  const m = identityMnemonic(identity)
  if (opts.mnemonic !== true) {
    ctx.out.data({ peerId, ppk, recovery: m.kind }, [
      `Peer id:  ${peerId}`,
      `PPK:      ${ppk}`,
      m.kind === 'root'
        ? 'Recovery phrase: 24 words (`gini key --mnemonic` shows them).'
        : 'Recovery phrase: two of 24 words, one per key, as this identity was made before recovery phrases (`gini key --mnemonic` shows them).'
    ].join('\n'))
    return
  }
  const warning = 'Anyone who reads these words can take over your identity. Write them on paper and keep them offline; never type them into a website or a message.\nThey restore your peer id and PPK only (`gini restore --mnemonic`): contacts come back from a backup file.'
  if (m.kind === 'root') {
    ctx.out.data({ peerId, ppk, recovery: 'root', mnemonic: m.words.join(' ') },
      `Recovery phrase of ${peerId}:\n\n${numbered(m.words)}\n\n${warning}`)
  } else {
    ctx.out.data({ peerId, ppk, recovery: 'keys', peerKeyMnemonic: m.peerKeyWords.join(' '), ppkMnemonic: m.ppkWords.join(' ') },
      `This identity was made before recovery phrases, so it has two, one per key; keep both, in this order.\n\nPeer key (${peerId}):\n\n${numbered(m.peerKeyWords)}\n\nPPK:\n\n${numbered(m.ppkWords, 25)}\n\n${warning}`)
  }
}

/** The words: GINI_MNEMONIC, else typed at the terminal without echo. */
async function typedWords (ctx: CliContext): Promise<string[]> {
  const fromEnv = process.env.GINI_MNEMONIC
  if (fromEnv != null && fromEnv.trim() !== '') return splitMnemonic(fromEnv)
  if (process.stdin.isTTY !== true) throw new UsageError('No recovery phrase: set GINI_MNEMONIC, or run this in a terminal to type it.')
  return splitMnemonic(await promptHidden('Recovery phrase (24 words, or 48 for an identity made before recovery phrases; not shown): ', ctx.signal))
}

export async function restoreMnemonicCommand (ctx: CliContext, opts: { force?: boolean }): Promise<void> {
  const storage = new FileStorage(ctx.dataDir)
  const existed = await stat(ctx.dataDir).then(() => true, () => false)
  // Refused before the words are asked for: nothing to type for a data dir that will not take them.
  const before = await storage.loadIdentity()
  if (before != null && opts.force !== true) throw new IdentityExistsError(peerIdOf(before))
  await ready()
  const words = await typedWords(ctx)
  let record
  try {
    record = await identityFromMnemonic(words, Date.now())
  } catch (err) {
    if (err instanceof MnemonicError) throw new UsageError(`The recovery phrase is not valid: ${err.message}. Nothing was written.`)
    throw err
  }
  await storage.lock() // DataDirInUseError while a daemon runs on it
  let restored = false
  try {
    const existing = await storage.loadIdentity()
    let aside: string | undefined
    let replaced: { peerId: string, contacts: number } | undefined
    if (existing != null) {
      if (opts.force !== true) throw new IdentityExistsError(peerIdOf(existing))
      replaced = { peerId: peerIdOf(existing), contacts: (await storage.listContacts()).length }
      aside = await storage.setAsideRecords()
    }
    await storage.saveIdentity(record)
    const peerId = peerIdOf(record)
    const ppk = toHex(x25519PublicFromPrivate(record.ppkPrivate))
    const replacedText = replaced == null
      ? ''
      : `\nReplaced identity ${replaced.peerId} and its ${replaced.contacts} contact${replaced.contacts === 1 ? '' : 's'}; they are kept in ${aside ?? ''}.`
    ctx.out.data(
      { peerId, ppk, recovery: record.rootEntropy != null ? 'root' : 'keys', ...(replaced == null ? {} : { replaced: { ...replaced, keptIn: aside } }) },
      `Restored identity ${peerId} (its peer id and PPK) into ${ctx.dataDir}.${replacedText}\nSet your card with \`gini init --name "Your Name"\`; contacts come back from a backup file (\`gini restore FILE --force\`) or by pairing again.`
    )
    restored = true
  } finally {
    await storage.unlock()
    if (!restored && !existed) await rmdir(ctx.dataDir).catch(() => {})
  }
}
