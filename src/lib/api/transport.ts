import type {Agent, request as httpRequest} from 'node:http'
import type {Agent as HttpsAgent, request as httpsRequest} from 'node:https'

import {readFileSync} from 'node:fs'

import {ConfigError, TransportError} from '../core/errors.js'

export interface TransportOptions {
  caFile?: string
  timeoutMs: number
  verifyTls: boolean
}

export interface HttpAnswer {
  body: unknown
  headers: Record<string, string | string[] | undefined>
  status: number
}

export interface HttpRequest {
  cookie?: string
  form: Record<string, string>
  method: 'GET' | 'POST'
  url: string
}

/** Connection errors after which nothing reached the server: safe to try the next endpoint. */
const NOT_CONNECTED = new Set(['EAI_AGAIN', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND'])
/** Errors where the request may or may not have reached the server. */
const TRANSIENT = new Set([
  'ECONNABORTED',
  'ECONNRESET',
  'EPIPE',
  'ERR_BAD_RESPONSE',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ETIMEDOUT',
  ...NOT_CONNECTED,
])
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO|HOSTNAME/

export class ConnectionFailure extends TransportError {
  readonly connected: boolean

  constructor(message: string, code: string | undefined, connected: boolean) {
    super(message, code, undefined, connectionHints(code))
    this.connected = connected
  }
}

/** What to check when the server could not be reached (the same advice as `moldctl doctor`'s endpoint check). */
function connectionHints(code: string | undefined): string[] {
  const doctor = 'moldctl doctor checks the connection step by step'
  switch (code) {
    case 'EAI_AGAIN':
    case 'ENOTFOUND': {
      return ['the host name does not resolve: check the URL (--url, MOLDCTL_URL or the profile)', doctor]
    }

    case 'ECONNREFUSED': {
      return [
        'is the management server running (systemctl status cloudstack-management)?',
        'is the URL right (host, port: usually 8080 for http, 443 or 8443 for https)?',
        doctor,
      ]
    }

    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT': {
      return ['is the host reachable from here (routes, firewall, VPN)?', doctor]
    }

    default: {
      return []
    }
  }
}

/**
 * Sends form-encoded requests with node's http/https clients over kept-alive connections, with
 * the TLS settings applied. (A bulk power action makes thousands of small requests; a plain
 * client spends a fraction of the CPU a general-purpose one does per request.)
 */
export class HttpTransport {
  private agents?: {
    http: Agent
    https: HttpsAgent
    request: typeof httpRequest
    requestTls: typeof httpsRequest
  }
  private readonly options: TransportOptions

  constructor(options: TransportOptions) {
    this.options = options
  }

  async send(req: HttpRequest): Promise<HttpAnswer> {
    const agents = await this.load()
    const body = new URLSearchParams(req.form).toString()
    const headers: Record<string, number | string> = {Accept: 'application/json'}
    if (req.cookie) headers.Cookie = req.cookie
    const tls = req.url.startsWith('https:')
    const target = req.method === 'GET' ? `${req.url}?${body}` : req.url
    if (req.method === 'POST') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
      headers['Content-Length'] = Buffer.byteLength(body)
    }

    try {
      return await new Promise<HttpAnswer>((resolve, reject) => {
        const request = (tls ? agents.requestTls : agents.request)(
          target,
          {agent: tls ? agents.https : agents.http, headers, method: req.method},
          (res) => {
            const chunks: Buffer[] = []
            res.on('data', (chunk: Buffer) => chunks.push(chunk))
            res.on('error', reject)
            res.on('end', () => {
              clearTimeout(timer)
              resolve({
                body: parseMaybeJson(Buffer.concat(chunks).toString('utf8')),
                headers: res.headers,
                status: res.statusCode ?? 0,
              })
            })
          },
        )
        const timer = setTimeout(() => {
          request.destroy(
            Object.assign(new Error(`timeout of ${this.options.timeoutMs} ms exceeded`), {code: 'ETIMEDOUT'}),
          )
        }, this.options.timeoutMs)
        request.on('error', (error) => {
          clearTimeout(timer)
          reject(error)
        })
        request.end(req.method === 'POST' ? body : undefined)
      })
    } catch (error) {
      throw this.describe(error as NodeJS.ErrnoException & {cause?: NodeJS.ErrnoException}, req.url)
    }
  }

  private describe(error: NodeJS.ErrnoException & {cause?: NodeJS.ErrnoException}, url: string): Error {
    const code = error.code ?? error.cause?.code
    const host = safeHost(url)
    if (code && TLS_CODES.test(code)) {
      return new ConfigError(`TLS verification of ${host} failed: ${error.message}`, [
        'pass --ca-file with the CA that signed the server certificate',
        'or --insecure to skip verification (not recommended)',
      ])
    }

    if (code === 'ETIMEDOUT' || /timeout/i.test(error.message)) {
      return new ConnectionFailure(
        `${host} did not answer within ${this.options.timeoutMs / 1000} s`,
        'ETIMEDOUT',
        true,
      )
    }

    const connected = !code || !NOT_CONNECTED.has(code)
    return new ConnectionFailure(`cannot reach ${host}: ${code ?? error.message}`, code, connected)
  }

  private async load(): Promise<NonNullable<HttpTransport['agents']>> {
    if (this.agents) return this.agents
    const [http, https] = await Promise.all([import('node:http'), import('node:https')])
    let ca: Buffer | undefined
    if (this.options.caFile) {
      try {
        ca = readFileSync(this.options.caFile)
      } catch (error) {
        throw new ConfigError(`cannot read the CA file ${this.options.caFile}: ${(error as Error).message}`)
      }
    }

    this.agents = {
      http: new http.Agent({keepAlive: true, scheduling: 'lifo', timeout: 5000}),
      https: new https.Agent({
        ca,
        keepAlive: true,
        rejectUnauthorized: this.options.verifyTls,
        scheduling: 'lifo',
        timeout: 5000,
      }),
      request: http.request,
      requestTls: https.request,
    }
    return this.agents
  }
}

export function isTransient(error: unknown): boolean {
  return error instanceof ConnectionFailure && (error.code === undefined || TRANSIENT.has(error.code))
}

function parseMaybeJson(data: string): unknown {
  if (typeof data !== 'string') return data
  try {
    return JSON.parse(data)
  } catch {
    return data
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
