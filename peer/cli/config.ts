// The CLI's own settings in the data dir (not secret): which relay to use by default.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

export interface CliConfig {
  relay?: string
}

export function defaultDataDir (): string {
  const fromEnv = process.env.GINI_DATA
  return fromEnv != null && fromEnv.trim() !== '' ? fromEnv : join(homedir(), '.gini')
}

export function resolveDataDir (dir: string | undefined): string {
  return resolve(dir ?? defaultDataDir())
}

export async function loadConfig (dataDir: string): Promise<CliConfig> {
  try {
    return JSON.parse(await readFile(join(dataDir, 'config.json'), 'utf8'))
  } catch (err: any) {
    if (err.code === 'ENOENT') return {}
    throw new Error(`Cannot read ${join(dataDir, 'config.json')}: ${err.message}`)
  }
}

export async function saveConfig (dataDir: string, config: CliConfig): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const target = join(dataDir, 'config.json')
  await writeFile(`${target}.tmp`, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 })
  await rename(`${target}.tmp`, target)
}
