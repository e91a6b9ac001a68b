import type {AddressInfo} from 'node:net'

import assert from 'node:assert/strict'
import {createServer, type IncomingMessage, request, type Server, type ServerResponse} from 'node:http'
import {after, before, describe, it} from 'node:test'

import {answerBody, ConnectionFailure, HttpTransport} from '../../../src/lib/api/transport.js'

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void

async function listen(handler: Handler): Promise<{server: Server; url: string}> {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => {
      body += d.toString()
    })
    req.on('end', () => handler(req, body, res))
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  return {server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/api`}
}

describe('HttpTransport', () => {
  let echo: {server: Server; url: string}
  const transport = new HttpTransport({timeoutMs: 2000, verifyTls: true})

  before(async () => {
    echo = await listen((req, body, res) => {
      if (req.url?.includes('bom=1')) {
        res.writeHead(200, {'Content-Type': 'application/json'})
        res.end('\uFEFF{"a":"é"}')
        return
      }

      if (req.url?.includes('text=1')) {
        res.writeHead(500, {'Content-Type': 'text/html'})
        res.end('<html>oops</html>')
        return
      }

      res.writeHead(200, {'Content-Type': 'application/json', 'Set-Cookie': ['a=1', 'b=2']})
      res.end(
        JSON.stringify({
          body,
          cookie: req.headers.cookie,
          method: req.method,
          type: req.headers['content-type'],
          url: req.url,
        }),
      )
    })
  })

  after(() => echo.server.close())

  it('sends GET parameters in the query string and parses the JSON answer', async () => {
    const answer = await transport.send({
      form: {command: 'listZones', name: 'a b+c'},
      method: 'GET',
      url: echo.url,
    })
    assert.equal(answer.status, 200)
    const body = answer.body as Record<string, string>
    assert.equal(body.method, 'GET')
    assert.equal(body.url, '/client/api?command=listZones&name=a+b%2Bc')
    assert.deepEqual(answer.headers['set-cookie'], ['a=1', 'b=2'])
  })

  it('sends POST parameters as a form body, with the cookie', async () => {
    const answer = await transport.send({
      cookie: 'JSESSIONID=x',
      form: {command: 'updateHost', id: '1'},
      method: 'POST',
      url: echo.url,
    })
    const body = answer.body as Record<string, string>
    assert.deepEqual(
      [body.method, body.url, body.body, body.type, body.cookie],
      ['POST', '/client/api', 'command=updateHost&id=1', 'application/x-www-form-urlencoded', 'JSESSIONID=x'],
    )
  })

  it('returns a body that is not JSON as text, with its status', async () => {
    const answer = await transport.send({form: {text: '1'}, method: 'GET', url: echo.url})
    assert.deepEqual([answer.status, answer.body], [500, '<html>oops</html>'])
  })

  it('reports a refused connection as not connected (another endpoint may be tried)', async () => {
    const closed = await listen(() => {})
    await new Promise<void>((resolve) => {
      closed.server.close(() => resolve())
    })
    await assert.rejects(transport.send({form: {}, method: 'GET', url: closed.url}), (error: unknown) => {
      assert.ok(error instanceof ConnectionFailure)
      assert.equal(error.code, 'ECONNREFUSED')
      assert.equal(error.connected, false)
      return true
    })
  })

  it('gives up after the timeout, as a connected failure', async () => {
    const silent = await listen(() => {})
    const quick = new HttpTransport({timeoutMs: 100, verifyTls: true})
    await assert.rejects(quick.send({form: {}, method: 'GET', url: silent.url}), (error: unknown) => {
      assert.ok(error instanceof ConnectionFailure)
      assert.equal(error.code, 'ETIMEDOUT')
      assert.equal(error.connected, true)
      assert.match(error.message, /did not answer within 0.1 s/)
      return true
    })
    silent.server.closeAllConnections()
    silent.server.close()
  })

  it('reports a dropped connection as connected (a mutating call must not be repeated)', async () => {
    const dropping = await listen((req) => req.socket.destroy())
    await assert.rejects(transport.send({form: {}, method: 'POST', url: dropping.url}), (error: unknown) => {
      assert.ok(error instanceof ConnectionFailure)
      assert.equal(error.connected, true)
      return true
    })
    dropping.server.close()
  })

  it('reuses connections across requests', async () => {
    const sockets = new Set<unknown>()
    const counting = await listen((req, _body, res) => {
      sockets.add(req.socket)
      res.end('{}')
    })
    for (let i = 0; i < 20; i++)
      await transport.send({form: {i: String(i)}, method: 'GET', url: counting.url})
    assert.equal(sockets.size, 1)
    counting.server.closeAllConnections()
    counting.server.close()
  })

  it('hands the bytes back unread when asked (raw), read by answerBody as send reads them', async () => {
    const forms: Array<Record<string, string>> = [{command: 'listZones'}, {bom: '1'}, {text: '1'}]
    for (const form of forms) {
      const read = await transport.send({form, method: 'GET', url: echo.url})
      const raw = await transport.send({form, method: 'GET', url: echo.url}, {raw: true})
      assert.ok(raw.bytes, 'the bytes')
      assert.equal(raw.body, undefined)
      assert.equal(raw.status, read.status)
      assert.deepEqual(answerBody(raw.bytes), read.body)
    }

    const bom = await transport.send({form: {bom: '1'}, method: 'GET', url: echo.url}, {raw: true})
    assert.deepEqual(answerBody(bom.bytes!), {a: 'é'})
  })

  it('reads the answer as always through a proxy, raw or not (the proxy’s refusals are in the text)', async () => {
    // A forwarding proxy for http:// (absolute URIs).
    const proxy = createServer((req, res) => {
      const forwarded = request(req.url!, {headers: req.headers, method: req.method}, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      })
      req.pipe(forwarded)
    })
    await new Promise<void>((resolve) => {
      proxy.listen(0, '127.0.0.1', resolve)
    })
    try {
      const proxyUrl = new URL(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`)
      const proxied = new HttpTransport({
        proxy: {source: 'flag', url: proxyUrl.href},
        timeoutMs: 2000,
        verifyTls: true,
      })
      const answer = await proxied.send(
        {form: {command: 'listZones'}, method: 'GET', url: echo.url},
        {raw: true},
      )
      assert.equal(answer.bytes, undefined)
      assert.equal((answer.body as Record<string, string>).method, 'GET')
    } finally {
      proxy.closeAllConnections()
      proxy.close()
    }
  })
})
