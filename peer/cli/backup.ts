// `gini backup --out FILE` and `gini restore FILE` (docs/protocol.md §20.1). Backup only reads the
// data dir (like `gini contacts`, so it works while a daemon runs); restore takes the data dir's
// lock, so it is refused while a daemon (or invite/accept) uses it.
import { readFile, rmdir, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { FileStorage, writeFileAtomically } from '../adapters/file-storage.js'
import { exportBackup, importBackup } from '../core/backup.js'
import type { CliContext } from './context.js'
import { UsageError } from './exit-codes.js'

/** The passphrase: GINI_PASSPHRASE, else typed at the terminal without echo (twice when `confirm`). */
async function passphrase (ctx: CliContext, confirm: boolean): Promise<string> {
  const fromEnv = process.env.GINI_PASSPHRASE
  if (fromEnv != null && fromEnv !== '') return fromEnv
  if (process.stdin.isTTY !== true) throw new UsageError('No passphrase: set GINI_PASSPHRASE, or run this in a terminal to type it.')
  const first = await promptHidden('Backup passphrase: ', ctx.signal)
  if (first === '') throw new UsageError('The passphrase is empty.')
  if (confirm && await promptHidden('The same passphrase again: ', ctx.signal) !== first) throw new UsageError('The two passphrases differ; nothing was written.')
  return first
}

/** One line from the terminal in raw mode, echoing nothing; Ctrl-C aborts. */
export async function promptHidden (question: string, signal: AbortSignal): Promise<string> {
  const stdin = process.stdin
  stdin.setRawMode(true) // before the question, so nothing typed ahead is echoed
  process.stderr.write(question)
  stdin.setEncoding('utf8')
  stdin.resume()
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = ''
      const finish = (err?: Error): void => {
        stdin.off('data', onData)
        signal.removeEventListener('abort', onAbort)
        process.stderr.write('\n')
        if (err != null) reject(err)
        else resolve(text)
      }
      const onAbort = (): void => { finish(Object.assign(new Error('Interrupted'), { name: 'AbortError' })) }
      const onData = (chunk: string): void => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') { finish(); return }
          if (ch === '\u0003') { onAbort(); return }
          if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1)
          else text += ch
        }
      }
      signal.addEventListener('abort', onAbort)
      stdin.on('data', onData)
    })
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
  }
}

export async function backupCommand (ctx: CliContext, opts: { out: string }): Promise<void> {
  const storage = new FileStorage(ctx.dataDir)
  // Fails before asking for a passphrase when there is nothing to back up.
  if (await storage.loadIdentity() == null) throw Object.assign(new Error(`No identity in ${ctx.dataDir}: nothing to back up (run \`gini init\` first).`), { name: 'IdentityMissingError' })
  const pass = await passphrase(ctx, true)
  const { file, peerId, contacts } = await exportBackup(storage, pass)
  const out = resolve(opts.out)
  await writeFileAtomically(out, file)
  ctx.out.data({ file: out, contacts }, `Backed up identity ${peerId} and ${contacts} contact${contacts === 1 ? '' : 's'} to ${out}.\nKeep the passphrase: without it the file cannot be opened.`)
}

export async function restoreCommand (ctx: CliContext, path: string, opts: { force?: boolean }): Promise<void> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (err: any) {
    throw new UsageError(`Cannot read the backup file ${path} (${String(err.code ?? err.message)}).`)
  }
  const storage = new FileStorage(ctx.dataDir)
  const existed = await stat(ctx.dataDir).then(() => true, () => false)
  await storage.lock() // DataDirInUseError while a daemon runs on it
  let restored = false
  try {
    const pass = await passphrase(ctx, false)
    let aside: string | undefined
    const result = await importBackup(storage, bytes, pass, {
      force: opts.force === true,
      beforeReplace: async () => { aside = await storage.setAsideRecords() }
    })
    const n = `${result.contacts} contact${result.contacts === 1 ? '' : 's'}`
    const replaced = result.replaced == null
      ? ''
      : `\nReplaced identity ${result.replaced.peerId} and its ${result.replaced.contacts} contact${result.replaced.contacts === 1 ? '' : 's'}; they are kept in ${aside ?? ''}.`
    ctx.out.data(
      { peerId: result.peerId, contacts: result.contacts, ...(result.replaced == null ? {} : { replaced: { ...result.replaced, keptIn: aside } }) },
      `Restored identity ${result.peerId} and ${n} into ${ctx.dataDir}.${replaced}`
    )
    restored = true
  } finally {
    await storage.unlock()
    // A refused restore into a new data dir leaves no empty dir behind (rmdir only removes an empty one).
    if (!restored && !existed) await rmdir(ctx.dataDir).catch(() => {})
  }
}
