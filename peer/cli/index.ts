// `gini`: the peer's command line. Global options (--data, --relay, --json) are accepted before or
// after the subcommand. Exit codes: see exit-codes.ts and the README.
import { readFileSync } from 'node:fs'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
// The commands are defined here (for --help and parsing) but each one's module is imported only when
// it runs: a command through the running daemon (daemon-link.ts) never loads libp2p or libsodium.
import { createContext, type CliContext, type GlobalOptions } from './context.js'
import { EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED, exitCodeFor } from './exit-codes.js'
import { createOutput } from './output.js'
import { parseDurationMs } from '../../protocols/common/duration.js'
import { parseSizeBytes } from '../../protocols/common/size.js'

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
function parseDuration (text: string): number {
  try { return parseDurationMs(text) } catch (err) { throw new InvalidArgumentError((err as Error).message) }
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
    .action(async (opts, cmd: Command) => { await run(async (ctx) => { await (await import('./pair.js')).inviteCommand(ctx, opts) }, cmd, []) })

  addGlobalOptions(program.command('accept'))
    .description('pair using the Flash Code the other side read out to you')
    .argument('<code>', 'the Flash Code, e.g. 5H7M-8GQ2 (case, spaces and dashes do not matter)')
    .action(async (code: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./pair.js')).acceptCommand(ctx, code) }, cmd, [code]) })

  addGlobalOptions(program.command('contacts'))
    .description('list your contacts and their state')
    .action(async (_opts, cmd: Command) => { await run(async (ctx) => { await (await import('./contacts.js')).contactsCommand(ctx) }, cmd, []) })

  addGlobalOptions(program.command('contact'))
    .description("print a contact's card (vCard)")
    .argument('<name-or-id>', 'a contact name or peer id')
    .action(async (nameOrId: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./contacts.js')).contactCommand(ctx, nameOrId) }, cmd, [nameOrId]) })

  addGlobalOptions(program.command('send'))
    .description('send a message to a contact (through the running daemon, or going online for this command)')
    .argument('<contact>', 'a contact name or peer id')
    .argument('<text>', 'the message (quote it)')
    .action(async (contact: string, text: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./chat.js')).sendCommand(ctx, contact, text) }, cmd, [contact, text]) })

  addGlobalOptions(program.command('messages'))
    .description('print the conversation with a contact (--json: one array)')
    .argument('<contact>', 'a contact name or peer id')
    .option('--follow', 'keep printing new messages as they arrive (Ctrl-C to stop)')
    .action(async (contact: string, opts, cmd: Command) => { await run(async (ctx) => { await (await import('./chat.js')).messagesCommand(ctx, contact, opts) }, cmd, [contact]) })

  addGlobalOptions(program.command('chat'))
    .description('chat with a contact interactively: messages, edits, reactions, delivery marks')
    .argument('<contact>', 'a contact name or peer id')
    .action(async (contact: string, _opts, cmd: Command) => { await run(async (ctx) => { await (await import('./chat.js')).chatCommand(ctx, contact) }, cmd, [contact]) })

  addGlobalOptions(program.command('send-file'))
    .description('offer a file to a contact; it goes peer to peer once they accept (progress bar)')
    .argument('<contact>', 'a contact name or peer id')
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

  addGlobalOptions(program.command('daemon'))
    .description('stay online: keep your contacts connected and restore lost ones (Ctrl-C to stop)')
    .addOption(new Option('--unreachable-after <duration>', 'no session for this long → unreachable, restore starts (default 3d; e.g. 2s for tests)').argParser(parseDuration))
    .option('--no-mailbox', 'do not leave messages for offline contacts at the relay, nor fetch ours there')
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

// Run when executed (bin/gini.js imports this module).
process.exit(await main(process.argv.slice(2)))
