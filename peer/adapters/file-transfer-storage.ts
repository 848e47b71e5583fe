// FileTransferStorage on the local file system (docs/protocol.md §17.4): one JSON state file per
// transfer in `stateDir` (written to a temp file, fsynced, renamed), downloads as `<dir>/<name>.part`
// beside them until the whole-file hash matched, then fsynced and moved to `<name>` — never over an
// existing file (" (1)", " (2)", … instead).
import { createReadStream } from 'node:fs'
import { link, mkdir, open, readFile, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
import { createHash, randomBytes, type Hash } from 'node:crypto'
import { basename, extname, join } from 'node:path'
import type { FileSinkHandle, FileSourceHandle, FileTransferStorage, TransferRecord } from '../core/files/file-transfers.js'
import type { Sha256State } from '../../protocols/files/index.js'
import type { Uint8ArrayList } from 'uint8arraylist'

const DIR_MODE = 0o700
const FILE_MODE = 0o600
/** Names tried before giving up on a free one (" (1)" … " (999)"). */
const UNIQUE_NAME_ATTEMPTS = 1000
/** Chunk writes a sink keeps on their way to the file at once (each holds its chunk's bytes). */
const WRITES_IN_FLIGHT = 4

/** SHA-256 (hex) of one chunk: node:crypto hashes in place, synchronously (no copy, no thread-pool hop), piece by piece. */
export function nodeChunkSha256 (data: Uint8Array | Uint8ArrayList): string {
  if (data instanceof Uint8Array) return createHash('sha256').update(data).digest('hex')
  const hash = createHash('sha256')
  for (const piece of data) hash.update(piece)
  return hash.digest('hex')
}

/** A node:crypto SHA-256 fed piece by piece (the offer's whole-file hash). */
export function nodeSha256State (): Sha256State {
  const hash = createHash('sha256')
  return { update: (data) => { hash.update(data) }, hex: () => hash.digest('hex') }
}

export class NodeFileTransferStorage implements FileTransferStorage {
  readonly chunkSha256 = nodeChunkSha256
  readonly sha256State = nodeSha256State

  private stateDirMade = false

  constructor (readonly stateDir: string, readonly downloadDir: string) {}

  async list (): Promise<TransferRecord[]> {
    let names: string[]
    try {
      names = await readdir(this.stateDir)
    } catch (err: any) {
      if (err.code === 'ENOENT') return []
      throw err
    }
    const out: TransferRecord[] = []
    for (const n of names.filter(n => /^[0-9a-f]{32}\.json$/.test(n))) {
      try {
        out.push(JSON.parse(await readFile(join(this.stateDir, n), 'utf8')))
      } catch {} // a torn or foreign file: that one transfer is forgotten, the others load
    }
    return out
  }

  async save (record: TransferRecord): Promise<void> {
    if (!/^[0-9a-f]{32}$/.test(record.id)) throw new Error('bad transfer id')
    const target = join(this.stateDir, `${record.id}.json`)
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`
    // The state dir is made once, not at every checkpoint's save (a recursive mkdir each time cost
    // more than the save's own writes); one that went away since is made again.
    if (!this.stateDirMade) {
      await mkdir(this.stateDir, { recursive: true, mode: DIR_MODE })
      this.stateDirMade = true
    }
    let file: FileHandle
    try {
      file = await open(tmp, 'wx', FILE_MODE)
    } catch (err: any) {
      if (err.code !== 'ENOENT') throw err
      await mkdir(this.stateDir, { recursive: true, mode: DIR_MODE })
      file = await open(tmp, 'wx', FILE_MODE)
    }
    try {
      await file.writeFile(JSON.stringify(record))
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(tmp, target)
  }

  async openSource (ref: string): Promise<FileSourceHandle> {
    const file = await open(ref, 'r')
    const size = (await file.stat()).size
    return {
      name: basename(ref),
      size,
      readAt: async (offset, length) => {
        const buf = Buffer.allocUnsafe(length) // every byte is read into, or cut off below
        let got = 0
        while (got < length) {
          const { bytesRead } = await file.read(buf, got, length - got, offset + got)
          if (bytesRead === 0) break
          got += bytesRead
        }
        return new Uint8Array(buf.buffer, buf.byteOffset, got)
      },
      close: async () => { await file.close() }
    }
  }

  async preparePart (record: TransferRecord, dir?: string): Promise<void> {
    const where = dir ?? this.downloadDir
    await mkdir(where, { recursive: true, mode: DIR_MODE })
    // The name is sanitized (§17.2): it cannot leave `where`.
    const part = await freeName(where, record.offer.name, '.part')
    await (await open(part, 'wx', FILE_MODE)).close()
    record.partPath = part
  }

  async openSink (record: TransferRecord): Promise<FileSinkHandle> {
    const part = record.partPath
    if (part == null) throw new Error('no .part file for this transfer')
    let file: FileHandle
    try {
      file = await open(part, 'r+')
    } catch (err: any) {
      if (err.code !== 'ENOENT') throw err
      file = await open(part, 'wx+', FILE_MODE)
    }
    const { chunkBytes } = record.offer
    // Chunks past the last checkpoint may be torn: the pull asks for them again.
    const kept = Math.min(record.next * chunkBytes, record.offer.size)
    await file.truncate(kept)
    // The whole-file hash (§17.4 item 5) runs as chunks come, in order, from an empty part; a resumed
    // part (whose prefix node:crypto cannot pick up from a saved state) is read back at the end instead.
    let running: Hash | undefined = kept === 0 ? createHash('sha256') : undefined
    let nextIndex = record.next
    // Writes go on while the next chunks arrive; a checkpoint waits for those issued before it.
    const writes = new Set<Promise<void>>()
    let failed: { err: unknown } | undefined
    const settle = async (all: Iterable<Promise<void>>): Promise<void> => {
      await Promise.all(all)
      if (failed != null) throw failed.err
    }
    let closed = false
    const close = async (): Promise<void> => {
      if (closed) return
      closed = true
      await Promise.all(writes)
      await file.close()
    }
    return {
      write: async (index, data) => {
        if (failed != null) throw failed.err
        // A chunk may come as the stream's pieces: hashed and written (writev) as they are, not joined.
        const pieces = data instanceof Uint8Array ? [data] : [...data]
        if (index === nextIndex) { for (const piece of pieces) running?.update(piece) } else running = undefined // not in order: only a read back can tell
        nextIndex = index + 1
        const w: Promise<void> = writeAllAt(file, pieces, index * chunkBytes).then(
          () => {}, (err) => { failed ??= { err } }
        ).finally(() => { writes.delete(w) })
        writes.add(w)
        if (writes.size >= WRITES_IN_FLIGHT) await Promise.race(writes)
      },
      checkpoint: async () => {
        await settle([...writes])
        await file.datasync()
      },
      sha256: async () => {
        await settle([...writes])
        if (running == null) return await hashFile(part)
        const digest = running.digest('hex')
        running = undefined // a digest ends the hash; asked again, the file is read back
        return digest
      },
      finish: async () => {
        await settle([...writes])
        await file.sync()
        await close()
        const dir = join(part, '..')
        const final = await linkFree(part, dir, record.offer.name)
        await unlink(part)
        await syncDir(dir)
        return final
      },
      close
    }
  }
}

/** Writes every byte of `pieces` at `position` (a short writev goes on where it stopped). */
async function writeAllAt (file: FileHandle, pieces: Uint8Array[], position: number): Promise<void> {
  let rest = pieces
  while (rest.length > 0) {
    const { bytesWritten } = await file.writev(rest, position)
    position += bytesWritten
    let skip = bytesWritten
    const next: Uint8Array[] = []
    for (const piece of rest) {
      if (skip >= piece.byteLength) { skip -= piece.byteLength; continue }
      next.push(skip > 0 ? piece.subarray(skip) : piece)
      skip = 0
    }
    if (next.length > 0 && bytesWritten === 0) throw new Error('the file took no bytes')
    rest = next
  }
}

async function hashFile (path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** `name`, else `base (1).ext`, … : the first that does not exist (with `suffix` appended). */
async function freeName (dir: string, name: string, suffix = ''): Promise<string> {
  for (let i = 0; i < UNIQUE_NAME_ATTEMPTS; i++) {
    const p = join(dir, candidate(name, i) + suffix)
    try {
      await stat(p)
    } catch (err: any) {
      if (err.code === 'ENOENT') return p
      throw err
    }
  }
  throw new Error(`no free file name for ${name}`)
}

/** Hard-links `from` under the first free name: link() fails on an existing file, so nothing is overwritten. */
async function linkFree (from: string, dir: string, name: string): Promise<string> {
  for (let i = 0; i < UNIQUE_NAME_ATTEMPTS; i++) {
    const p = join(dir, candidate(name, i))
    try {
      await link(from, p)
      return p
    } catch (err: any) {
      if (err.code !== 'EEXIST') throw err
    }
  }
  throw new Error(`no free file name for ${name}`)
}

function candidate (name: string, i: number): string {
  if (i === 0) return name
  const ext = extname(name)
  return `${name.slice(0, name.length - ext.length)} (${i})${ext}`
}

async function syncDir (dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch {} finally {
    await handle?.close()
  }
}
