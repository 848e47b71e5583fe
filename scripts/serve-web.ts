// Serves the built web client (dist/web) and its `/config.json` (the relay it should use) over
// plain http on loopback: what `npm start` runs, and what the browser tests and bench load.
import { createServer, type Server } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { AddressInfo } from 'node:net'
import { WEB_OUT_DIR } from './build-web.js'

export interface WebConfig {
  /** The relay's /ws multiaddr with /p2p/<id>. */
  relay?: string
  iceServers?: Array<{ urls: string | string[], username?: string, credential?: string }>
  /** The relay mailbox's timings in ms (client-web/src/config.ts); the daemon's defaults when absent. */
  mailbox?: { fetchIntervalMs?: number, depositAfterMs?: number }
  /** The largest file the client accepts, in bytes (client-web/src/config.ts); 4 GiB when absent. */
  files?: { maxBytes?: number }
}

export interface WebServer {
  server: Server
  url: string
  /** Replaces what /config.json returns (tests point pages at another relay). */
  setConfig(config: WebConfig): void
  close(): Promise<void>
}

/**
 * Content-Security-Policy of every response. Scripts, styles and fetches only from this server;
 * libsodium compiles its WebAssembly from bytes ('wasm-unsafe-eval'); photos and the favicon are
 * data: URIs. WebSockets may go to any ws:/wss: host because the settings page lets a person pick
 * another relay than the configured one; WebRTC is not governed by CSP.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer'
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon'
}

export async function serveWeb (opts: { config: WebConfig, port?: number, host?: string, dir?: string }): Promise<WebServer> {
  const dir = opts.dir ?? WEB_OUT_DIR
  let config = opts.config
  const server = createServer((req, res) => {
    void (async () => {
      const path = requestPath(req.url)
      // A malformed escape (`/%E0%A4%A`) must not throw out of the handler: that would end the process.
      if (path == null) { res.writeHead(400, { 'content-type': 'text/plain', ...SECURITY_HEADERS }).end('bad request'); return }
      if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, SECURITY_HEADERS).end(); return }
      if (path === '/config.json') {
        res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store', ...SECURITY_HEADERS })
        res.end(JSON.stringify(config))
        return
      }
      const file = normalize(join(dir, path === '/' ? 'index.html' : path))
      if (!file.startsWith(dir + sep)) { res.writeHead(403, SECURITY_HEADERS).end(); return }
      try {
        const body = await readFile(file)
        // Vite puts a content hash in every asset name; index.html must always be fetched fresh.
        const immutable = file.includes(`${sep}assets${sep}`)
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
          ...SECURITY_HEADERS
        })
        res.end(req.method === 'HEAD' ? undefined : body)
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain', ...SECURITY_HEADERS }).end('not found')
      }
    })().catch(() => {
      // Whatever else fails answers this request only; the server (and `npm start`'s relay) stays up.
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS)
      res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => { server.off('error', reject); resolve() })
  })
  const { port } = server.address() as AddressInfo
  return {
    server,
    url: `http://${opts.host ?? '127.0.0.1'}:${port}/`,
    setConfig: (c) => { config = c },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => { resolve() }))
    }
  }
}

/** The request's decoded path, or undefined when it does not parse or decode (a 400). */
function requestPath (url: string | undefined): string | undefined {
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://x').pathname)
  } catch {
    return undefined
  }
}
