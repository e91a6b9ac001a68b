/** The transport's connection pool: kept-alive connections, as many as the batch has in flight. */
import type {AddressInfo} from 'node:net'

import assert from 'node:assert/strict'
import {createServer, type ServerResponse} from 'node:http'
import {describe, it} from 'node:test'

import {HttpTransport} from '../../../src/lib/api/transport.js'
import {startForwardProxy} from '../../helpers/forward-proxy.js'

/**
 * A server that holds every answer until `release()`, counting the connections it was asked on
 * and the most requests it held at once.
 */
async function holdingServer() {
  const sockets = new Set<unknown>()
  const held: ServerResponse[] = []
  let most = 0
  let arrived: () => void = () => {}
  const server = createServer((req, res) => {
    sockets.add(req.socket)
    held.push(res)
    most = Math.max(most, held.length)
    arrived()
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  return {
    close() {
      server.closeAllConnections()
      server.close()
    },
    get most() {
      return most
    },
    /** Resolves once `count` answers are held. */
    async held(count: number) {
      while (held.length < count) {
        await new Promise<void>((resolve) => {
          arrived = resolve
        })
      }
    },
    release() {
      for (const res of held.splice(0)) res.end('{}')
    },
    sockets,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/api`,
  }
}

describe('HttpTransport connection pool', () => {
  for (const through of ['direct', 'a proxy'] as const) {
    it(`opens at most maxSockets connections and reuses them (${through})`, async () => {
      const server = await holdingServer()
      const proxy = through === 'a proxy' ? await startForwardProxy() : undefined
      const transport = new HttpTransport({
        maxSockets: 3,
        proxy: proxy ? {source: 'flag', url: proxy.url} : undefined,
        timeoutMs: 10_000,
        verifyTls: true,
      })
      try {
        const sends = Array.from({length: 12}, (_, i) =>
          transport.send({form: {i: String(i)}, method: 'GET', url: server.url}),
        )
        // Four rounds of three: each round is held until the three are in, then answered.
        for (let round = 0; round < 4; round++) {
          await server.held(3)
          // A fourth request, had the pool allowed it, would be on its way by now.
          await new Promise((resolve) => {
            setTimeout(resolve, 50)
          })
          assert.equal(server.most, 3, `round ${round + 1}: requests in flight at once`)
          server.release()
        }

        const answers = await Promise.all(sends)
        assert.equal(answers.length, 12)
        assert.ok(answers.every((a) => a.status === 200))
        if (proxy) {
          // The proxy opens its own connection per request; the client's connections are to the proxy.
          assert.equal(proxy.relayed.length, 12)
        } else {
          assert.equal(server.sockets.size, 3, 'connections opened')
        }
      } finally {
        server.close()
        await proxy?.close()
      }
    })
  }
})
