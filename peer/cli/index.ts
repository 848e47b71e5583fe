// `gini`: the peer's command line. Global options (--data, --relay, --json) are accepted before or
// after the subcommand. Exit codes: see exit-codes.ts and the README.
import { readFileSync } from 'node:fs'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
// The commands are defined here (for --help and parsing) but each one's module is imported only when
// it runs: a command through the running daemon (daemon-link.ts) never loads libp2p or libsodium.
import { createContext, type CliContext, type GlobalOptions } from './context.js'
import { EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED, UsageError, exitCodeFor } from './exit-codes.js'
import { createOutput } from './output.js'
import { parseDurationMs } from '../../protocols/common/duration.js'
import { MIN_MAILBOX_FETCH_INTERVAL_MS } from '../core/daemon/schedule.js'
import { parseSizeBytes } from '../../protocols/common/size.js'
import { installLightMessageEvent } from '../adapters/webrtc-message-event.js'

function addGlobalOptions (cmd: Command): Command {
  return cmd
    .addOption(new Option('--data <dir>', 'data directory (identity, contacts)').env('GINI_DATA'))
    .addOption(new Option('--relay <multiaddr>', 'the relay (GSS) to meet at').env('GINI_RELAY'))
    .option('--json', 'print one JSON object a line, for scripts')
}

/** The package's version for --version: package.json at the root, above dist/peer/cli/. */
const VERSION: string = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version

type Action = (ctx: CliContext, ...args: any[]) => Promise<void>

/** `2s`, `500ms`, `3m`, `1h`, `3d` (protocols/common/duration.ts) → ms; commander shows the error. */
function parseDuration (text: string, minMs?: number): number {
  try { return parseDurationMs(text, { minMs }) } catch (err) { throw new InvalidArgumentError((err as Error).message) }
}

export function buildProgram (run: (action: Action, cmd: Command, args: unknown[]) => Promise<void>): Command {
  const program = addGlobalOptions(new Command('gini'))
    .description('GiniConnect peer: pair with a spoken Flash Code, keep your contacts.')
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()

  addGlobalOptions(program.command('init'))
    .description('create your identity (once) and set your contact card and default relay')
    .option('--name <name>', 'your name, as your contacts will see it (vCard FN)')
    .option('--email <email>', 'your email address (optional)')
    .option('--phone <phone>', 'your phone number (optional)')
    .option('--photo <file>', 'your photo, a .jpg, .png or .webp file of at most 64 KiB (optional)')
    .action(async (opts, cmd: Command) => {
      await run(async (ctx) => { await (await import('./init.js')).initCommand(ctx, opts, cmd.optsWithGlobals().relay) }, cmd, [])
    })

  addGlobalOptions(program.command('invite'))
    .description('show a new Flash Code and pair with whoever enters it (valid 3 minutes)')
    .option('--long', 'a 10-symbol code (more margin against a hostile relay)')
    .option('--qr', 'also draw the code as a QR code, for the other side to scan (docs/protocol.md §4.4)')
    .action(async (opts, cmd: Command) => { await run(async (ctx) => { await (await import('./pair.js')).inviteCommand(ctx, opts) }, cmd, []) })

  addGlobalOptions(program.command('accept'))
    .description('pair using the Flash Code the other side read out to you (or its QR text)')
    .argument('<code>', 'the Flash Code, e.g. 5H7M-8GQ2 (case, spaces and dashes do not matter), or its QR text GINI:FC/5H7M8GQ2')
    .action(async (code: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./pair.js')).acceptCommand(ctx, code) }, cmd, [code]) })

  addGlobalOptions(program.command('contacts'))
    .description('list your contacts and their state')
    .action(async (_opts, cmd: Command) => { await run(async (ctx) => { await (await import('./contacts.js')).contactsCommand(ctx) }, cmd, []) })

  const contact = addGlobalOptions(program.command('contact'))
    .description("print a contact's card (vCard), or rename, block, unblock or delete a contact")
    .argument('<contact>', 'a contact name, nickname or peer id, or a unique prefix of one')
    .action(async (query: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./contacts.js')).contactCommand(ctx, query) }, cmd, [query]) })
  addGlobalOptions(contact.command('add'))
    .description('enter a contact by hand (--manual): a card only, no key, never synced, dialled or chatted with')
    .option('--manual', 'a manual contact (paired contacts come from `gini invite` / `gini accept`)')
    .option('--name <name>', 'their name')
    .option('--email <email>', 'their email address')
    .option('--tel <phone>', 'their phone number')
    .option('--address <text>', 'their postal address')
    .option('--payment <text>', 'how to pay them (an IBAN, a payto: URI)')
    .option('--photo <file>', 'a .jpg, .png or .webp photo of at most 64 KiB')
    .action(async (opts, cmd: Command) => { await run(async (ctx) => { await (await import('./manual-contacts.js')).addManualCommand(ctx, opts) }, cmd, []) })
  addGlobalOptions(contact.command('rename'))
    .description('give a contact your own nickname (kept on this device, never sent; "" removes it)')
    .argument('<contact>', 'a contact name, nickname or peer id, or a unique prefix of one')
    .argument('<nickname>', 'the nickname')
    .action(async (query: string, nickname: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./contacts.js')).renameCommand(ctx, query, nickname) }, cmd, [query, nickname]) })
  addGlobalOptions(contact.command('block'))
    .description("refuse a contact's messages, files and connections, and stop dialling them")
    .argument('<contact>', 'a contact name, nickname or peer id, or a unique prefix of one')
    .action(async (query: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./contacts.js')).blockCommand(ctx, query, true) }, cmd, [query]) })
  addGlobalOptions(contact.command('unblock'))
    .description('undo `gini contact block`')
    .argument('<contact>', 'a contact name, nickname or peer id, or a unique prefix of one')
    .action(async (query: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./contacts.js')).blockCommand(ctx, query, false) }, cmd, [query]) })
  addGlobalOptions(contact.command('delete'))
    .description('remove a contact and its secrets (your messages with them stay); asks first')
    .argument('<contact>', 'a contact name, nickname or peer id, or a unique prefix of one')
    .option('--yes', 'do not ask')
    .action(async (query: string, opts, cmd: Command) => { await run(async (ctx) => { await (await import('./contacts.js')).deleteCommand(ctx, query, opts) }, cmd, [query]) })
  for (const accept of [true, false]) {
    addGlobalOptions(contact.command(accept ? 'accept-key' : 'reject-key'))
      .description(accept
        ? "accept a contact's new permanent key from a re-pairing (its safety number changes; no longer verified)"
        : "reject a contact's new permanent key from a re-pairing (the contact keeps its old key)")
      .argument('<contact>', 'a contact name, nickname or peer id, or a unique prefix of one')
      .action(async (query: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./contacts.js')).keyChangeCommand(ctx, query, accept) }, cmd, [query]) })
  }

  addGlobalOptions(program.command('safety-number'))
    .description('show the safety number you and a contact compare to check each holds the other\'s keys')
    .argument('<contact>', 'a contact name or peer id')
    .action(async (contact: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./safety.js')).safetyNumberCommand(ctx, contact) }, cmd, [contact]) })

  addGlobalOptions(program.command('verify'))
    .description('mark a contact verified once your safety numbers match (asks unless --number, --payload or --yes)')
    .argument('<contact>', 'a contact name or peer id')
    .option('--number <digits>', 'the 60 digits the contact read out to you (spaces do not matter)')
    .option('--payload <text>', 'the contact\'s safety number QR payload (gini-safety:1:…)')
    .option('--yes', 'you compared the numbers already: do not ask')
    .action(async (contact: string, opts, cmd: Command) => { await run(async (ctx) => { await (await import('./safety.js')).verifyCommand(ctx, contact, opts) }, cmd, [contact]) })

  addGlobalOptions(program.command('send'))
    .description('send a message to a contact (through the running daemon, or going online for this command)')
    .argument('<contact>', 'a contact name, nickname or peer id, or a unique prefix of one')
    .argument('<text>', 'the message (quote it)')
    .action(async (contact: string, text: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./chat.js')).sendCommand(ctx, contact, text) }, cmd, [contact, text]) })

  addGlobalOptions(program.command('messages'))
    .description('print the conversation with a contact (--json: one array)')
    .argument('<contact>', 'a contact name, nickname or peer id, or a unique prefix of one')
    .option('--follow', 'keep printing new messages as they arrive (Ctrl-C to stop)')
    .action(async (contact: string, opts, cmd: Command) => { await run(async (ctx) => { await (await import('./chat.js')).messagesCommand(ctx, contact, opts) }, cmd, [contact]) })

  addGlobalOptions(program.command('chat'))
    .description('chat with a contact interactively: messages, edits, reactions, delivery marks')
    .argument('<contact>', 'a contact name, nickname or peer id, or a unique prefix of one')
    .action(async (contact: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./chat.js')).chatCommand(ctx, contact) }, cmd, [contact]) })

  addGlobalOptions(program.command('send-file'))
    .description('offer a file to a contact; it goes peer to peer once they accept (progress bar)')
    .argument('<contact>', 'a contact name, nickname or peer id, or a unique prefix of one')
    .argument('<path>', 'the file')
    .action(async (contact: string, path: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./files.js')).sendFileCommand(ctx, contact, path) }, cmd, [contact, path]) })

  const files = addGlobalOptions(program.command('files'))
    .description('list file transfers (offered, progress, done, failed); `files accept <id>` to receive one')
    .action(async (_opts, cmd: Command) => { await run(async (ctx) => { await (await import('./files.js')).filesCommand(ctx) }, cmd, []) })
  addGlobalOptions(files.command('accept'))
    .description('accept a file offer and receive it (resumes from the last good chunk)')
    .argument('<id>', 'the transfer id from `gini files`')
    .option('--to <dir>', 'where to save it (default: <data>/downloads)')
    .action(async (id: string, opts, cmd: Command) => { await run(async (ctx) => { await (await import('./files.js')).acceptFileCommand(ctx, id, opts) }, cmd, [id]) })

  addGlobalOptions(program.command('backup'))
    .description('write your identity and contacts to an encrypted file (passphrase: GINI_PASSPHRASE, else asked twice)')
    .requiredOption('--out <file>', 'the backup file to write (owner-only)')
    .action(async (opts, cmd: Command) => { await run(async (ctx) => { await (await import('./backup.js')).backupCommand(ctx, opts) }, cmd, []) })

  addGlobalOptions(program.command('restore'))
    .description('restore your identity and contacts from a backup file into the data dir, or only your identity from its recovery phrase (not while a daemon runs on it)')
    .argument('[file]', 'the file written by `gini backup`')
    .option('--mnemonic', 'restore the peer id and PPK from the recovery phrase of `gini key --mnemonic` (GINI_MNEMONIC, else asked)')
    .option('--force', 'replace the identity the data dir already holds (its records are kept in <data>/replaced-<ms>/)')
    .action(async (file: string | undefined, opts, cmd: Command) => {
      await run(async (ctx) => {
        if (opts.mnemonic === true) {
          if (file != null) throw new UsageError('Give a backup file or --mnemonic, not both.')
          await (await import('./key.js')).restoreMnemonicCommand(ctx, opts)
          return
        }
        if (file == null) throw new UsageError('Which backup file? `gini restore FILE`, or `gini restore --mnemonic` for the recovery phrase.')
        await (await import('./backup.js')).restoreCommand(ctx, file, opts)
      }, cmd, file == null ? [] : [file])
    })

  addGlobalOptions(program.command('key'))
    .description('show your peer id and PPK; with --mnemonic, the recovery phrase that restores them')
    .option('--mnemonic', 'print the 24-word recovery phrase (two of them for an identity made before recovery phrases)')
    .action(async (opts, cmd: Command) => { await run(async (ctx) => { await (await import('./key.js')).keyCommand(ctx, opts) }, cmd, []) })

  addGlobalOptions(program.command('daemon'))
    .description('stay online: keep your contacts connected and restore lost ones (Ctrl-C to stop)')
    .addOption(new Option('--unreachable-after <duration>', 'no session for this long → unreachable, restore starts (default 3d; e.g. 2s for tests)').argParser((text: string) => parseDuration(text)))
    .option('--no-mailbox', 'do not leave messages for offline contacts at the relay, nor fetch ours there')
    .addOption(new Option('--no-direct-tcp', 'do not listen on TCP for contacts nor link to them over it: files and chat then use WebRTC or the relay (the variable: set to any value)').env('GINI_NO_DIRECT_TCP'))
    .addOption(new Option('--mailbox-after <duration>', 'leave messages at the relay for a contact offline this long (default 10m; 0s: at once)').argParser((text: string) => parseDuration(text, 0)))
    .addOption(new Option('--mailbox-fetch-every <duration>', 'fetch our messages from the relay this often (default 15m; at least 1s)').argParser((text: string) => parseDuration(text, MIN_MAILBOX_FETCH_INTERVAL_MS)))
    .addOption(new Option('--accept-files-up-to <size>', 'accept file offers up to this size by itself, into <data>/downloads (e.g. 100MiB)').argParser((text: string) => {
      try { return parseSizeBytes(text) } catch (err) { throw new InvalidArgumentError((err as Error).message) }
    }))
    .addOption(new Option('--crp-schedule <name>', 'restore schedule: seed (60 s … 24 h, 365 days) or fast (the same ÷ 60, for harnesses)').choices(['seed', 'fast']).default('seed'))
    .action(async (opts, cmd: Command) => { await run(async (ctx) => { await (await import('./daemon.js')).daemonCommand(ctx, opts) }, cmd, []) })

  return program
}

export async function main (argv: string[]): Promise<number> {
  const abort = new AbortController()
  const onSignal = (): void => { abort.abort(Object.assign(new Error('Interrupted'), { name: 'AbortError' })) }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  let exitCode = EXIT_OK
  let usedNode = false
  const wantsJson = argv.includes('--json')

  const program = buildProgram(async (action, cmd) => {
    const ctx = createContext(cmd.optsWithGlobals() as GlobalOptions, abort.signal)
    try {
      // libsodium is readied by what needs it: opening the node (GiniNode.open) or the crypto a command calls.
      await action(ctx)
    } catch (err) {
      exitCode = abort.signal.aborted ? EXIT_INTERRUPTED : exitCodeFor(err)
      ctx.out.error(abort.signal.aborted ? new Error('Interrupted') : err)
    } finally {
      usedNode ||= ctx.opened
    }
  })

  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; anything else is bad usage.
      if (err.exitCode === 0) return EXIT_OK
      if (wantsJson) createOutput(true).error(Object.assign(new Error(err.message.replace(/^error: /, '')), { name: 'UsageError' }))
      return EXIT_USAGE
    }
    throw err
  }
  if (usedNode) {
    // node-datachannel's native threads keep the process alive until its cleanup() runs, and libp2p no
    // longer calls it (it would close every peer connection in the process).
    const { releaseWebRtc } = await import('../adapters/peer-libp2p.js')
    await releaseWebRtc().catch(() => {})
  }
  return exitCode
}

// Run when executed (bin/gini.js imports this module). The light MessageEvent replaces a global,
// so only the `gini` process installs it, never the library an embedder loads.
installLightMessageEvent()
process.exit(await main(process.argv.slice(2)))
