import {createServer, type IncomingMessage, request, type Server} from 'node:http'
import {type AddressInfo, connect, type Socket} from 'node:net'

/** One request the proxy relayed (or refused). */
export interface RelayedRequest {
  /** The Proxy-Authorization header as sent. */
  authorization?: string
  /** CONNECT for a tunnel (https:// targets), else the method of an absolute-URI request. */
  method: string
  /** What the proxy answered itself (407, 403) instead of relaying; undefined when relayed. */
  refused?: number
  /** `host:port` for CONNECT, the absolute URI otherwise. */
  target: string
}

export interface ForwardProxy {
  close(): Promise<void>
  port: number
  relayed: RelayedRequest[]
  /** http://127.0.0.1:PORT, with the user and password when given. */
  url: string
}

/**
 * A small forward proxy on loopback, like squid in front of a management network: CONNECT
 * tunnels for https:// targets, absolute-URI requests for http:// ones, optional Basic proxy
 * authentication (407 with Proxy-Authenticate when missing or wrong). It records each request.
 * Every host name it is asked for resolves to 127.0.0.1, so tests can use names. A target it
 * cannot reach: an absolute-URI request is answered 503 with an error page, as squid does; a
 * CONNECT is closed unanswered.
 */
export async function startForwardProxy(
  opts: {
    auth?: {password: string; user: string}
    /** Ports it refuses to reach, as squid's access rules do: 403 and an error page. */
    denyPorts?: number[]
  } = {},
): Promise<ForwardProxy> {
  const relayed: RelayedRequest[] = []
  const sockets = new Set<Socket>()
  const expected = opts.auth
    ? `Basic ${Buffer.from(`${opts.auth.user}:${opts.auth.password}`).toString('base64')}`
    : undefined
  const allowed = (req: IncomingMessage) =>
    expected === undefined || req.headers['proxy-authorization'] === expected

  const server: Server = createServer((req, res) => {
    const entry: RelayedRequest = {
      authorization: req.headers['proxy-authorization'],
      method: req.method ?? '',
      target: req.url ?? '',
    }
    relayed.push(entry)
    if (!allowed(req)) {
      entry.refused = 407
      res.writeHead(407, {'Content-Length': '0', 'Proxy-Authenticate': 'Basic realm="test"'})
      res.end()
      return
    }

    let target: URL
    try {
      target = new URL(req.url ?? '')
    } catch {
      entry.refused = 400
      res.writeHead(400).end()
      return
    }

    if (opts.denyPorts?.includes(Number(target.port))) {
      entry.refused = 403
      res.writeHead(403, {'Content-Type': 'text/html', 'X-Squid-Error': 'ERR_ACCESS_DENIED 0'})
      res.end('<html><body><h1>ERROR</h1><p>Access Denied.</p></body></html>')
      return
    }

    const headers = {...req.headers}
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    const upstream = request(
      {
        headers,
        host: '127.0.0.1',
        method: req.method,
        path: target.pathname + target.search,
        port: target.port,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => {
      if (res.headersSent) {
        res.end()
        return
      }

      res.writeHead(503, {'Content-Type': 'text/html', 'X-Squid-Error': 'ERR_CONNECT_FAIL 111'})
      res.end('<html><body><p>The system returned: (111) Connection refused</p></body></html>')
    })
    req.pipe(upstream)
  })

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const entry: RelayedRequest = {
      authorization: req.headers['proxy-authorization'],
      method: 'CONNECT',
      target: req.url ?? '',
    }
    relayed.push(entry)
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => {})
    if (!allowed(req)) {
      entry.refused = 407
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
      )
      return
    }

    const port = Number((req.url ?? '').split(':').pop())
    if (opts.denyPorts?.includes(port)) {
      entry.refused = 403
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
      return
    }

    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const {port} = server.address() as AddressInfo
  const credentials = opts.auth ? `${opts.auth.user}:${opts.auth.password}@` : ''
  return {
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
      })
    },
    port,
    relayed,
    url: `http://${credentials}127.0.0.1:${port}`,
  }
}
