// The web client's static server (scripts/serve-web.ts, what `npm start` runs) on a real loopback
// socket: a malformed URL answers 400 and the server keeps serving; every answer carries the CSP.
import { expect } from 'chai'
import { request } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serveWeb, CONTENT_SECURITY_POLICY, type WebServer } from '../../../scripts/serve-web.js'

interface Answer { status: number, headers: Record<string, string | string[] | undefined>, body: string }

/** A raw GET: `path` goes on the request line exactly as given (fetch would re-encode it). */
async function get (url: string, path: string): Promise<Answer> {
  const { hostname, port } = new URL(url)
  return await new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('serve-web', () => {
  let dir: string
  let web: WebServer

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gini-serve-web-'))
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>')
    web = await serveWeb({ config: { relay: '/ip4/127.0.0.1/tcp/4002/ws' }, dir })
  })
  after(async () => {
    await web.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('a malformed percent-escape → 400, and the server still serves', async () => {
    const bad = await get(web.url, '/%E0%A4%A')
    expect(bad.status).to.equal(400)
    const page = await get(web.url, '/')
    expect(page.status).to.equal(200)
    expect(page.body).to.include('<title>t</title>')
  })

  it('the page, config.json, a 404 and a 400 carry the Content-Security-Policy', async () => {
    for (const path of ['/', '/config.json', '/missing.js', '/%E0%A4%A']) {
      const answer = await get(web.url, path)
      expect(answer.headers['content-security-policy'], path).to.equal(CONTENT_SECURITY_POLICY)
    }
    expect(CONTENT_SECURITY_POLICY).to.include("default-src 'self'")
    expect(CONTENT_SECURITY_POLICY).to.match(/connect-src 'self' ws: wss:/)
    expect(CONTENT_SECURITY_POLICY).to.not.include('unsafe-inline')
  })
})
