import {after, afterEach, before, beforeEach} from 'node:test'

import type {FaultSpec} from '../../src/sim/http/faults.js'

import {MoldClient} from '../../src/lib/api/client.js'
import {FLAVOR_ALGORITHM, signParams} from '../../src/lib/api/sign.js'
import {
  type LoggedRequest,
  type SimServer,
  type SimulatorOptions,
  startSimulator,
} from '../../src/sim/http/server.js'

export type {FaultSpec} from '../../src/sim/http/faults.js'
export type {LoggedRequest, SimServer} from '../../src/sim/http/server.js'

export interface RawResponse {
  /** Parsed JSON body (undefined when the body is not JSON). */
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers
  status: number
  text: string
}

export interface SignedCallOptions {
  /** Send the parameters as a form body (POST) instead of the query string (GET). */
  method?: 'GET' | 'POST'
  /** Sign with this secret instead of the simulator's. */
  secretKey?: string
}

export interface TestSim extends SimServer {
  /** Signed API call with the simulator's admin keys; `response=json` is added. */
  call(command: string, params?: Record<string, string>, options?: SignedCallOptions): Promise<RawResponse>
  clearFaults(): Promise<void>
  clearRequests(): Promise<void>
  /** Base URL of the test hooks, e.g. http://127.0.0.1:PORT */
  hooksUrl: string
  requests(): Promise<LoggedRequest[]>
  setFaults(faults: FaultSpec): Promise<void>
}

export async function readResponse(response: Response): Promise<RawResponse> {
  const text = await response.text()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }

  return {body, headers: response.headers, status: response.status, text}
}

/** Starts an in-process simulator on a free loopback port (speed 1000 unless given). */
export async function startTestSim(opts: SimulatorOptions = {}): Promise<TestSim> {
  const sim = await startSimulator({port: 0, speed: 1000, ...opts})
  const hooksUrl = sim.url.replace(/\/client\/api$/, '')
  const hook = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${hooksUrl}${path}`, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? undefined : {'Content-Type': 'application/json'},
      method,
    })
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`)
    return response.json() as Promise<unknown>
  }

  return Object.assign(sim, {
    async call(command: string, params: Record<string, string> = {}, options: SignedCallOptions = {}) {
      const signed: Record<string, string> = {...params, apiKey: sim.apiKey, command, response: 'json'}
      signed.signature = signParams(signed, options.secretKey ?? sim.secretKey, FLAVOR_ALGORITHM[sim.flavor])
      const query = new URLSearchParams(signed).toString().replaceAll('+', '%20')
      const response =
        options.method === 'POST'
          ? await fetch(sim.url, {
              body: query,
              headers: {'Content-Type': 'application/x-www-form-urlencoded'},
              method: 'POST',
            })
          : await fetch(`${sim.url}?${query}`)
      return readResponse(response)
    },
    async clearFaults() {
      await hook('DELETE', '/sim/faults')
    },
    async clearRequests() {
      await hook('DELETE', '/sim/requests')
    },
    hooksUrl,
    async requests() {
      return (await hook('GET', '/sim/requests')) as LoggedRequest[]
    },
    async setFaults(faults: FaultSpec) {
      await hook('POST', '/sim/faults', faults)
    },
  })
}

export interface UseSimOptions {
  /**
   * Runs once the simulator is up, in the same hook. A file-level `before` registered after
   * useSim() would not wait for the start (node's test runner runs those hooks at once).
   */
  afterStart?: () => Promise<void> | void
  /** Clear the injected faults and the request log before each test (of a shared simulator). */
  clearEachTest?: boolean
  /** A fresh simulator for each test instead of one for the suite. */
  perTest?: boolean
}

/**
 * The simulator of the enclosing suite (or file): started before its tests, closed after them
 * (with `perTest`, before and after each test). The returned object stands for the running
 * simulator: use it in hooks and tests, not while the suite is being defined. Hooks the suite
 * registers after this call see the simulator already started.
 */
export function useSim(opts: SimulatorOptions = {}, fixture: UseSimOptions = {}): TestSim {
  let current: TestSim | undefined
  const running = (): TestSim => {
    if (!current) throw new Error('useSim: the simulator is not running here (outside a hook or test?)')
    return current
  }

  const start = async () => {
    current = await startTestSim(opts)
    await fixture.afterStart?.()
  }

  const stop = async () => {
    await current?.close()
    current = undefined
  }

  const clear = async () => {
    await running().clearFaults()
    await running().clearRequests()
  }

  const [setUp, tearDown] = fixture.perTest ? [beforeEach, afterEach] : [before, after]
  setUp(start)
  tearDown(stop)
  // A fresh simulator per test has nothing to clear.
  if (fixture.clearEachTest && !fixture.perTest) beforeEach(clear)

  return new Proxy({} as TestSim, {
    get(_target, property) {
      const sim = running()
      const value: unknown = Reflect.get(sim, property, sim)
      return typeof value === 'function' ? value.bind(sim) : value
    },
    has: (_target, property) => Reflect.has(running(), property),
    set: (_target, property, value) => Reflect.set(running(), property, value),
  })
}

/** The library's API client for a test simulator (API keys, TLS verified), without the CLI. */
export function simClient(
  sim: Pick<SimServer, 'apiKey' | 'secretKey' | 'url'>,
  timeoutMs = 5000,
): MoldClient {
  return new MoldClient({
    apiKey: sim.apiKey,
    flavor: 'mold',
    secretKey: sim.secretKey,
    timeoutMs,
    urls: [sim.url],
    verifyTls: true,
  })
}
