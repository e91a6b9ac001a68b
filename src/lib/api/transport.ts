import type {AxiosInstance} from 'axios'

import {readFileSync} from 'node:fs'

import {ConfigError, TransportError} from '../errors.js'

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
    super(message, code)
    this.connected = connected
  }
}

/** Sends form-encoded requests with axios (loaded on first use) and TLS settings applied. */
export class HttpTransport {
  private client?: AxiosInstance
  private readonly options: TransportOptions

  constructor(options: TransportOptions) {
    this.options = options
  }

  async send(req: HttpRequest): Promise<HttpAnswer> {
    const client = await this.axios()
    const body = new URLSearchParams(req.form).toString()
    const headers: Record<string, string> = {Accept: 'application/json'}
    if (req.cookie) headers.Cookie = req.cookie
    try {
      const res =
        req.method === 'GET'
          ? await client.get(`${req.url}?${body}`, {headers})
          : await client.post(req.url, body, {
              headers: {...headers, 'Content-Type': 'application/x-www-form-urlencoded'},
            })
      return {body: res.data, headers: res.headers as HttpAnswer['headers'], status: res.status}
    } catch (error) {
      throw this.describe(error as NodeJS.ErrnoException & {cause?: NodeJS.ErrnoException}, req.url)
    }
  }

  private async axios(): Promise<AxiosInstance> {
    if (this.client) return this.client
    const [{default: axios}, http, https] = await Promise.all([
      import('axios'),
      import('node:http'),
      import('node:https'),
    ])
    let ca: Buffer | undefined
    if (this.options.caFile) {
      try {
        ca = readFileSync(this.options.caFile)
      } catch (error) {
        throw new ConfigError(`cannot read the CA file ${this.options.caFile}: ${(error as Error).message}`)
      }
    }

    this.client = axios.create({
      // Kept-alive connections: a bulk power action makes thousands of small requests.
      httpAgent: new http.Agent({keepAlive: true, scheduling: 'lifo'}),
      httpsAgent: new https.Agent({
        ca,
        keepAlive: true,
        rejectUnauthorized: this.options.verifyTls,
        scheduling: 'lifo',
      }),
      maxRedirects: 0,
      // The body is parsed here so that HTML/XML error pages do not throw inside axios.
      responseType: 'text',
      timeout: this.options.timeoutMs,
      transformResponse: [(data: string) => parseMaybeJson(data)],
      validateStatus: () => true,
    })
    return this.client
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

    if (code === 'ECONNABORTED' || /timeout/i.test(error.message)) {
      return new ConnectionFailure(
        `${host} did not answer within ${this.options.timeoutMs / 1000} s`,
        'ETIMEDOUT',
        true,
      )
    }

    const connected = !code || !NOT_CONNECTED.has(code)
    return new ConnectionFailure(`cannot reach ${host}: ${code ?? error.message}`, code, connected)
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
