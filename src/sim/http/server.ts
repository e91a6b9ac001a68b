import type {AddressInfo} from 'node:net'

import {once} from 'node:events'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer, type Server as HttpsServer} from 'node:https'

import {ClockClosedError, SimClock} from '../behaviour/clock.js'
import {INTERRUPTED_JOB_TEXT, JobEngine} from '../behaviour/jobs.js'
import {rebootHook} from '../behaviour/reboot-hook.js'
import {apiForFlavor, ApiRegistry, type RegisteredApi} from '../catalog/registry.js'
import {ALL_APIS} from '../handlers/index.js'
import {SimModel, type SimState} from '../state/model.js'
import {SessionStore} from './auth.js'
import {createDispatcher} from './dispatch.js'
import {serializeJson, serializeXml} from './envelope.js'
import {FaultState, parseFaultSpec} from './faults.js'
import {FLAVOR_VERSION, type SimFlavor} from './flavor.js'
export {FLAVOR_VERSION, type SimFlavor} from './flavor.js'
import {loadStateFile, saveStateFile} from '../state/state-file.js'
import {buildState} from '../state/topology/build.js'
import {largeTopology, smallTopology} from '../state/topology/presets.js'
import {readTopologyFile, type TopologySpec} from '../state/topology/spec.js'
import {type SimTlsOptions, simulatorTls} from './tls.js'
export type {SimTlsOptions} from './tls.js'

export interface SimulatorOptions {
  /** Password of the root admin user (default "password"). */
  adminPassword?: string
  /** Username of the root admin user (default "admin"). */
  adminUsername?: string
  /** API key of the root admin (random unless given). */
  apiKey?: string
  /** Extra commands served beside the built-in ones (e.g. test-only commands). */
  apis?: RegisteredApi[]
  /** Test knob: seconds the server's clock is ahead (negative: behind); Date headers and signature expiry use it. */
  clockSkewSeconds?: number
  flavor?: SimFlavor
  /** Default 127.0.0.1. */
  host?: string
  /** Host count for the `large` topology (default 1000). */
  hosts?: number
  /** Simulated milliseconds a job waits in the queue before it runs (default 500). */
  jobStartDelayMs?: number
  /** 0 = a free port (default 0). */
  port?: number
  secretKey?: string
  /** Simulated-time factor: 1 = real seconds, 1000 = a simulated second takes 1 ms. */
  speed?: number
  /** Load the model from this file if it exists; save it after each change and on close. */
  statePath?: string
  /** Serve HTTPS with a certificate issued by the simulator's root CA. */
  tls?: boolean | SimTlsOptions
  /** `small` (default), `large`, a topology file path, or a topology object. */
  topology?: string | TopologySpec
  /** Test knob: built-in commands to leave out (as on a server without them, e.g. an older version). */
  withoutApis?: string[]
}

export interface LoggedRequest {
  command?: string
  /** True when the connection was destroyed by a drop fault. */
  dropped?: boolean
  method: string
  /** Request parameters with secrets replaced by `***`. */
  params: Record<string, string>
  /** HTTP status answered (0 when dropped). */
  status: number
  /** ISO time the request arrived (real time). */
  time: string
}

export interface SimServer {
  adminPassword: string
  adminUsername: string
  apiKey: string
  /** TLS mode: the CA certificate (PEM) that signed the server certificate. */
  caCertificatePem?: string
  clock: SimClock
  close(): Promise<void>
  faults: FaultState
  flavor: SimFlavor
  jobs: JobEngine
  model: SimModel
  port: number
  registry: ApiRegistry
  requestLog: LoggedRequest[]
  /** Writes the state file now (no-op without statePath). */
  save(): void
  secretKey: string
  /** e.g. http://127.0.0.1:8080/client/api */
  url: string
}

const SECRET_NAMES = new Set(['apikey', 'sessionkey', 'signature'])

/** Replaces secret values (keys, signatures, passwords) by `***` for the request log. */
export function redactParams(params: Readonly<Record<string, string>>): Record<string, string> {
  const redacted: Record<string, string> = {}
  for (const [name, value] of Object.entries(params)) {
    const lower = name.toLowerCase()
    const secret =
      SECRET_NAMES.has(lower) ||
      lower.includes('password') ||
      lower.includes('secret') ||
      lower.includes('privatekey') ||
      lower.endsWith('apikey')
    redacted[name] = secret ? '***' : value
  }

  return redacted
}

const MAX_BODY_BYTES = 16 * 1024 * 1024
/** The request log keeps at most this many entries (the oldest are dropped). */
const MAX_LOGGED_REQUESTS = 100_000
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }

  return Buffer.concat(chunks).toString('utf8')
}

/** Query string and form body merged; the first value of a repeated name wins. */
function mergeParams(
  query: URLSearchParams,
  body: string,
  contentType: string | undefined,
): Record<string, string> {
  const params: Record<string, string> = {}
  const add = (source: URLSearchParams) => {
    for (const [name, value] of source) if (!(name in params)) params[name] = value
  }

  add(query)
  if (body && (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    add(new URLSearchParams(body))
  }

  return params
}

async function initialState(opts: SimulatorOptions): Promise<SimState> {
  const buildOptions = {
    adminPassword: opts.adminPassword,
    adminUsername: opts.adminUsername,
    apiKey: opts.apiKey,
    secretKey: opts.secretKey,
  }
  const topology = opts.topology ?? 'small'
  if (typeof topology === 'object') return buildState(topology, buildOptions)
  if (topology === 'small') return buildState(smallTopology(), buildOptions)
  if (topology === 'large') return buildState(largeTopology(opts.hosts ?? 1000), buildOptions)
  return buildState(await readTopologyFile(topology), buildOptions)
}

/** Applies the key/user options to a state loaded from a file, and fails interrupted jobs. */
function adoptLoadedState(state: SimState, opts: SimulatorOptions, model: SimModel): void {
  const admin = model.rootAdmin()
  if (opts.apiKey) admin.apiKey = opts.apiKey
  if (opts.secretKey) admin.secretKey = opts.secretKey
  if (opts.adminUsername) admin.username = opts.adminUsername
  if (opts.adminPassword) admin.password = opts.adminPassword
  for (const job of state.jobs) {
    if (job.status === 0) {
      job.status = 2
      job.resultCode = 530
      job.result = {errorcode: 530, errortext: INTERRUPTED_JOB_TEXT}
    }
  }
}

/** Starts the management-API simulator. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<SimServer> {
  const flavor: SimFlavor = opts.flavor ?? 'mold'
  const loaded = opts.statePath ? loadStateFile(opts.statePath) : undefined
  const model = new SimModel(loaded ?? (await initialState(opts)))
  if (loaded) adoptLoadedState(loaded, opts, model)
  const skewMs = (opts.clockSkewSeconds ?? 0) * 1000
  const serverNow = () => Date.now() + skewMs
  const clock = new SimClock(opts.speed ?? 1, serverNow())
  // Whatever a job or behaviour changes later, it changes after a timer of the clock.
  clock.onTimer = () => model.changed()
  const builtIn = ALL_APIS.filter((api) => !opts.withoutApis?.includes(api.name)).map((api) =>
    apiForFlavor(api, flavor),
  )
  const registry = new ApiRegistry([...builtIn, ...(opts.apis ?? [])])
  const faults = new FaultState()
  const sessions = new SessionStore()
  const requestLog: LoggedRequest[] = []
  const version = FLAVOR_VERSION[flavor]
  let closed = false

  const save = () => {
    if (opts.statePath && !closed) saveStateFile(opts.statePath, model.state)
  }

  const jobs = new JobEngine(model, clock, {
    jobFault: (command) => faults.takeFailure(command, true),
    onSettled: save,
    startDelayMs: opts.jobStartDelayMs,
  })
  const dispatch = createDispatcher({clock, faults, flavor, jobs, model, registry, save, serverNow, sessions})

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET'
    const params = mergeParams(url.searchParams, await readBody(req), req.headers['content-type'])
    const entry: LoggedRequest = {
      command: params.command,
      method,
      params: redactParams(params),
      status: 0,
      time: new Date().toISOString(),
    }
    requestLog.push(entry)
    if (requestLog.length > MAX_LOGGED_REQUESTS) requestLog.splice(0, requestLog.length - MAX_LOGGED_REQUESTS)
    if (faults.shouldDrop(params.command, false)) {
      entry.dropped = true
      req.socket.destroy()
      return
    }

    if (faults.latencyMs > 0) await clock.sleepReal(faults.latencyMs)
    await faults.hold(params.command)
    const reply = await dispatch(req, method, params)
    if (faults.shouldDrop(params.command, true)) {
      entry.dropped = true
      req.socket.destroy()
      return
    }

    entry.status = reply.status
    if (reply.status === 200) reply.body = faults.transformAnswer(params.command, reply.body)
    const json = (params.response ?? '').toLowerCase() === 'json'
    const text = json
      ? serializeJson(reply.responseName, reply.body)
      : serializeXml(reply.responseName, reply.body, version)
    res.writeHead(reply.status, {
      ...(skewMs === 0 ? {} : {Date: new Date(serverNow()).toUTCString()}),
      'Content-Type': json ? 'application/json; charset=UTF-8' : 'text/xml; charset=UTF-8',
      ...reply.headers,
    })
    const padding = faults.padding(params.command)
    if (padding > 0) {
      res.write(text)
      // In chunks: a fault of hundreds of MB must not need that much memory here.
      const chunk = ' '.repeat(Math.min(padding, 1024 * 1024))
      const closed = once(res, 'close')
      for (let left = padding; left > 0 && !res.destroyed; left -= chunk.length) {
        const full = res.write(left >= chunk.length ? chunk : chunk.slice(0, left))
        // eslint-disable-next-line no-await-in-loop -- one chunk after the other
        if (!full) await Promise.race([once(res, 'drain'), closed])
      }

      res.end()
      return
    }

    res.end(text)
  }

  async function handleHooks(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const sendJson = (status: number, value: unknown) => {
      res.writeHead(status, {'Content-Type': 'application/json; charset=UTF-8'})
      res.end(JSON.stringify(value))
    }

    const route = `${req.method} ${url.pathname.replace(/\/$/, '')}`
    model.changed()
    switch (route) {
      case 'DELETE /sim/faults': {
        faults.clear()
        jobs.setStuck(false)
        sendJson(200, {})
        return
      }

      case 'DELETE /sim/requests': {
        requestLog.length = 0
        sendJson(200, {})
        return
      }

      case 'GET /sim/faults': {
        sendJson(200, faults.current())
        return
      }

      case 'GET /sim/requests': {
        sendJson(200, requestLog)
        return
      }

      case 'POST /sim/faults': {
        try {
          const spec = parseFaultSpec(JSON.parse((await readBody(req)) || '{}'))
          faults.set(spec)
          jobs.setStuck(faults.stuckJobs)
          sendJson(200, spec)
        } catch (error) {
          sendJson(400, {error: error instanceof Error ? error.message : String(error)})
        }

        return
      }

      default: {
        const reboot = /^POST \/sim\/hosts\/([^/]+)\/reboot$/.exec(route)
        if (reboot) {
          const answer = rebootHook(
            {clock, model, onChange: save},
            decodeURIComponent(reboot[1]),
            url.searchParams,
          )
          sendJson(answer.status, answer.body)
          return
        }

        sendJson(404, {error: `no such simulator hook: ${route}`})
      }
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://simulator')
    const path = url.pathname.replace(/\/$/, '')
    const work =
      path === '/client/api'
        ? handleApi(req, res, url)
        : path.startsWith('/sim/')
          ? handleHooks(req, res, url)
          : Promise.resolve().then(() => {
              res.writeHead(404, {'Content-Type': 'text/plain; charset=UTF-8'})
              res.end('Not found: the API is at /client/api\n')
            })
    work.catch((error: unknown) => {
      if (error instanceof ClockClosedError || res.headersSent) {
        res.destroy()
        return
      }

      res.writeHead(500, {'Content-Type': 'text/plain; charset=UTF-8'})
      res.end(`simulator error: ${error instanceof Error ? error.message : String(error)}\n`)
    })
  }

  const host = opts.host ?? '127.0.0.1'
  // TLS mode: HTTPS with a server certificate from the simulator's root CA.
  const tls = opts.tls ? await simulatorTls(model, host, opts.tls === true ? {} : opts.tls) : undefined
  const server: HttpsServer | Server = tls
    ? createHttpsServer({cert: tls.certificateChainPem, key: tls.privateKeyPem}, listener)
    : createServer(listener)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const {port} = server.address() as AddressInfo
  const admin = model.rootAdmin()
  const urlHost = host.includes(':') ? `[${host}]` : host
  if (opts.statePath) save()

  return {
    adminPassword: admin.password,
    adminUsername: admin.username,
    apiKey: admin.apiKey!,
    caCertificatePem: tls?.caCertificatePem,
    clock,
    async close() {
      if (closed) return
      save()
      closed = true
      clock.close()
      jobs.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
    faults,
    flavor,
    jobs,
    model,
    port,
    registry,
    requestLog,
    save,
    secretKey: admin.secretKey!,
    url: `${tls ? 'https' : 'http'}://${urlHost}:${port}/client/api`,
  }
}
