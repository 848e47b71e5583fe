// A data dir as the file-per-contact FileStorage wrote it (before contacts.sqlite): the files in
// old-data-dir.json were written by that version of peer/adapters/file-storage.ts (commit c60bd4b)
// and copied byte for byte — four contacts (`contacts/<id>.json` + `<id>.vcf`), one of them set
// aside by that version as `.corrupt-<ms>`, one torn record it had not read yet, a temp file a
// killed write left, a manual contact, the card and the node state. Its secrets are made up.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import old from './old-data-dir.json' with { type: 'json' }

export const OLD_DATA_DIR_FILES: Readonly<Record<string, string>> = old.files

/** The ids of the contacts whose records parse (the ones an import must bring over). */
export const OLD_DATA_DIR_CONTACTS = Object.entries(OLD_DATA_DIR_FILES)
  .filter(([name, text]) => /^contacts\/[A-Za-z0-9]+\.json$/.test(name) && isJson(text))
  .map(([, text]) => JSON.parse(text) as { id: string, pairedAtMs: number })

/** Writes the old data dir into `dir` (0700 directories, 0600 files, as that version made them). */
export async function writeOldDataDir (dir: string): Promise<void> {
  for (const [name, text] of Object.entries(OLD_DATA_DIR_FILES)) {
    const path = join(dir, name)
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    await writeFile(path, text, { mode: 0o600 })
  }
}

function isJson (text: string): boolean {
  try { JSON.parse(text); return true } catch { return false }
}
