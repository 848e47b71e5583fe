// The daemon's control socket (`<data>/control.sock`): while `gini daemon` runs, other `gini`
// commands ask it instead of starting a second node with the same identity. Owner-only (the data dir
// is 0700 and the socket 0600); newline-delimited JSON, one request → one reply, and `subscribe` for
// a stream of events. Nothing secret crosses it: requests and events are the CLI's own words.
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { chmod, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export const CONTROL_SOCKET_FILE = 'control.sock'
/** A request line longer than this closes the connection (a local client, but still bounded). */
export const CONTROL_LINE_MAX_BYTES = 64 * 1024
/** Clients at once (a few CLI commands and followers). */
export const CONTROL_MAX_CLIENTS = 32

export function controlSocketPath (dataDir: string): string {
  return join(dataDir, CONTROL_SOCKET_FILE)
}

export interface ControlRequest { id: number, method: string, params?: Record<string, unknown> }
export type ControlReply = { id: number, result: unknown } | { id: number, error: { name: string, message: string, code?: string } }
export interface ControlEvent { event: string, [key: string]: unknown }

/** What a handler may do besides answering: send progress events to the client that asked. */
export interface ControlCall {
  emit(event: ControlEvent): void
  /** Aborted when the asking client goes away. */
  signal: AbortSignal
}

/** What the daemon answers. A thrown error goes back as {name, message}: write messages for people. */
export interface ControlHandlers {
  [method: string]: (params: Record<string, unknown>, call: ControlCall) => Promise<unknown>
}

export class ControlServer {
  private readonly subscribers = new Set<Socket>()

  private constructor (private readonly server: Server, readonly path: string) {}

  static async listen (dataDir: string, handlers: ControlHandlers): Promise<ControlServer> {
    const path = controlSocketPath(dataDir)
    // A socket file left by a killed daemon: the data-dir lock proves no other daemon owns it.
    await rm(path, { force: true })
    const server = createServer()
    server.maxConnections = CONTROL_MAX_CLIENTS
    const control = new ControlServer(server, path)
    server.on('connection', (socket) => { control.serve(socket, handlers) })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => { server.off('error', reject); resolve() })
    })
    await chmod(path, 0o600)
    return control
  }

  /** Sends an event line to every subscribed client. */
  publish (event: ControlEvent): void {
    const line = JSON.stringify(event) + '\n'
    for (const s of this.subscribers) s.write(line)
  }

  async close (): Promise<void> {
    for (const s of this.subscribers) s.destroy()
    await new Promise<void>(resolve => { this.server.close(() => { resolve() }) })
    await rm(this.path, { force: true })
  }

  private serve (socket: Socket, handlers: ControlHandlers): void {
    socket.setEncoding('utf8')
    socket.on('error', () => {})
    socket.on('close', () => { this.subscribers.delete(socket) })
    const lines = createInterface({ input: socket, crlfDelay: Infinity })
    let pending = ''
    socket.on('data', (chunk: string) => {
      pending += chunk
      const nl = pending.lastIndexOf('\n')
      if (nl >= 0) pending = pending.slice(nl + 1)
      if (pending.length > CONTROL_LINE_MAX_BYTES) socket.destroy()
    })
    lines.on('line', (line) => {
      void this.answer(socket, handlers, line)
    })
  }

  private async answer (socket: Socket, handlers: ControlHandlers, line: string): Promise<void> {
    let req: ControlRequest
    try {
      req = JSON.parse(line)
      if (typeof req.id !== 'number' || typeof req.method !== 'string') throw new Error('bad request')
    } catch {
      socket.destroy()
      return
    }
    let reply: ControlReply
    if (req.method === 'subscribe') {
      this.subscribers.add(socket)
      reply = { id: req.id, result: true }
    } else {
      const handler = Object.hasOwn(handlers, req.method) ? handlers[req.method] : undefined
      const gone = new AbortController()
      const onClose = (): void => { gone.abort() }
      socket.once('close', onClose)
      const call: ControlCall = {
        emit: (event) => { if (!socket.destroyed) socket.write(JSON.stringify({ ...event, request: req.id }) + '\n') },
        signal: gone.signal
      }
      try {
        if (handler == null) throw Object.assign(new Error(`unknown request "${req.method}"`), { name: 'UsageError' })
        reply = { id: req.id, result: await handler(req.params ?? {}, call) }
      } catch (err: any) {
        reply = { id: req.id, error: { name: err?.name ?? 'Error', message: err?.message ?? String(err), ...(typeof err?.code === 'string' ? { code: err.code } : {}) } }
      } finally {
        socket.off('close', onClose)
      }
    }
    if (!socket.destroyed) socket.write(JSON.stringify(reply) + '\n')
  }
}

/** An error the daemon answered with; `name` is the daemon-side error's name. */
export class ControlError extends Error {
  /** The daemon-side error's wire code, when it had one (GiniError). */
  readonly code?: string

  constructor (name: string, message: string, code?: string) {
    super(message)
    this.name = name
    if (code != null) this.code = code
  }
}

export class ControlClient {
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void, reject: (e: Error) => void }>()
  private readonly eventListeners = new Set<(e: ControlEvent) => void>()
  private readonly requestListeners = new Map<number, (e: ControlEvent) => void>()
  private closedError?: Error

  private constructor (private readonly socket: Socket) {
    socket.setEncoding('utf8')
    createInterface({ input: socket, crlfDelay: Infinity }).on('line', (line) => { this.onLine(line) })
    socket.on('error', (err) => { this.fail(err) })
    socket.on('close', () => { this.fail(new Error('the daemon closed the control connection')) })
  }

  /** Connects to a running daemon; undefined when none listens on this data dir. */
  static async connect (dataDir: string): Promise<ControlClient | undefined> {
    const socket = createConnection(controlSocketPath(dataDir))
    return await new Promise((resolve, reject) => {
      socket.once('connect', () => { resolve(new ControlClient(socket)) })
      socket.once('error', (err: any) => {
        // No file, nobody listening, or a plain file left behind: no daemon.
        if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'ENOTSOCK') resolve(undefined)
        else reject(err)
      })
    })
  }

  /** One request; `onEvent` gets the progress events the daemon sends for it until the reply. */
  async request<T = unknown> (method: string, params: Record<string, unknown> = {}, onEvent?: (e: ControlEvent) => void): Promise<T> {
    if (this.closedError != null) throw this.closedError
    const id = this.nextId++
    const reply = new Promise<unknown>((resolve, reject) => { this.waiting.set(id, { resolve, reject }) })
    if (onEvent != null) this.requestListeners.set(id, onEvent)
    this.socket.write(JSON.stringify({ id, method, params }) + '\n')
    try {
      return await reply as T
    } finally {
      this.requestListeners.delete(id)
    }
  }

  /** Events from the daemon until close(). */
  async subscribe (listener: (e: ControlEvent) => void): Promise<void> {
    this.eventListeners.add(listener)
    await this.request('subscribe')
  }

  close (): void {
    this.socket.destroy()
  }

  private onLine (line: string): void {
    let msg: any
    try { msg = JSON.parse(line) } catch { return }
    if (typeof msg.event === 'string') {
      if (typeof msg.request === 'number') {
        const { request, ...event } = msg
        this.requestListeners.get(request)?.(event)
        return
      }
      for (const l of this.eventListeners) l(msg)
      return
    }
    const w = this.waiting.get(msg.id)
    if (w == null) return
    this.waiting.delete(msg.id)
    if (msg.error != null) w.reject(new ControlError(msg.error.name, msg.error.message, msg.error.code))
    else w.resolve(msg.result)
  }

  private fail (err: Error): void {
    this.closedError ??= err
    for (const w of this.waiting.values()) w.reject(err)
    this.waiting.clear()
  }
}
