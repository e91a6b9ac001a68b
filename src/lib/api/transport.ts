import type {AxiosInstance, AxiosResponse} from 'axios'
import type {HttpsProxyAgent as TunnelAgentBase} from 'https-proxy-agent'
import type {ClientRequest, Agent as HttpAgent, IncomingMessage} from 'node:http'
import type {Agent as HttpsAgent} from 'node:https'

import {readFileSync} from 'node:fs'

import {ConfigError, MoldctlError, TransportError} from '../core/errors.js'
import {type ChosenProxy, proxyFor, type ProxySettings, ProxyUrlError, showProxyUrl} from './proxy.js'

export interface TransportOptions {
  caFile?: string
  /** The largest answer body accepted, and where that limit was set (named in the error). */
  maxAnswer?: {bytes: number; source: string}
  /** Connections kept open per server: the most requests a batch has in flight (default 50). */
  maxSockets?: number
  /** The proxy settings (undefined: no proxy). */
  proxy?: ProxySettings
  /** Names the profile in messages about its `proxy:` setting. */
  proxyProfileLabel?: string
  timeoutMs: number
  verifyTls: boolean
}

export interface HttpAnswer {
  /** The answer as JSON (its text where it is no JSON); undefined when `bytes` are given instead. */
  body: unknown
  /** The answer's bytes, unread: given when asked for (`raw`) and the request went to the server directly. */
  bytes?: Buffer
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
const DEFAULT_MAX_SOCKETS = 50

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

interface Agents {
  http: HttpAgent
  https: HttpsAgent
}

type RequestError = NodeJS.ErrnoException & {cause?: NodeJS.ErrnoException}

/**
 * Sends form-encoded requests with axios (one instance per connection) over kept-alive
 * connections, sized for the batch concurrency, with the TLS settings applied, directly or
 * through a proxy: absolute-URI requests for http:// endpoints, a CONNECT tunnel for https://
 * ones (the TLS settings then apply to the server at the tunnel's end, not to the proxy).
 */
export class HttpTransport {
  /** axios and the agents, made once: requests sent together before it is ready share them. */
  private axios?: Promise<AxiosInstance>
  private direct?: Agents
  private readonly options: TransportOptions
  /** Agents by proxy URL and target scheme, made once (as `axios`). */
  private readonly proxied = new Map<string, Promise<HttpAgent | HttpsAgent>>()
  /** The proxy's answer to a CONNECT that it did not accept, by request. */
  private readonly refusedConnects = new WeakMap<ClientRequest, {statusCode?: number; statusText?: string}>()
  private tls?: {ca?: Buffer; rejectUnauthorized: boolean}

  constructor(options: TransportOptions) {
    this.options = options
  }

  /**
   * Sends the request. `raw`: the answer's bytes are handed back unread (HttpAnswer.bytes, read
   * with answerBody when needed), for a reader that can take what it needs from them straight;
   * through a proxy the answer is read as always (its refusals are recognised in the text).
   */
  async send(req: HttpRequest, opts: {raw?: boolean} = {}): Promise<HttpAnswer> {
    const axios = await this.load()
    const proxy = this.chooseProxy(req.url)
    const agent = proxy ? await this.proxyAgent(proxy, req.url) : undefined
    const body = new URLSearchParams(req.form).toString()
    const headers: Record<string, string> = {Accept: 'application/json', 'User-Agent': 'moldctl'}
    if (req.cookie) headers.Cookie = req.cookie
    if (req.method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded'
    const tls = req.url.startsWith('https:')
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, this.options.timeoutMs)
    const raw = opts.raw === true && !proxy
    let response: AxiosResponse<Buffer | string>
    try {
      response = await axios.request<Buffer | string>({
        data: req.method === 'POST' ? body : undefined,
        headers,
        httpAgent: tls ? undefined : (agent ?? this.direct!.http),
        httpsAgent: tls ? (agent ?? this.direct!.https) : undefined,
        maxBodyLength: Infinity,
        maxContentLength: this.options.maxAnswer?.bytes ?? -1,
        method: req.method,
        responseType: raw ? 'arraybuffer' : 'text',
        signal: controller.signal,
        url: req.method === 'GET' ? `${req.url}?${body}` : req.url,
      })
    } catch (error) {
      throw this.describe(error as RequestError, req.url, proxy, timedOut)
    } finally {
      clearTimeout(timer)
    }

    const answerHeaders = (response.request as ClientRequest & {res?: IncomingMessage}).res?.headers ?? {}
    const {data} = response
    if (Buffer.isBuffer(data))
      return {body: undefined, bytes: data, headers: answerHeaders, status: response.status}
    const refused = this.refusedConnects.get(response.request as ClientRequest)
    const {status, statusText} = response
    const answer = proxy
      ? proxiedAnswer(proxy, req.url, refused, {data, status, statusText})
      : parseMaybeJson(data)
    return {body: answer, headers: answerHeaders, status: response.status}
  }

  private agentOptions(): {
    keepAlive: true
    maxFreeSockets: number
    maxSockets: number
    scheduling: 'lifo'
    timeout: number
  } {
    const size = Math.max(1, this.options.maxSockets ?? DEFAULT_MAX_SOCKETS)
    return {keepAlive: true, maxFreeSockets: size, maxSockets: size, scheduling: 'lifo', timeout: 5000}
  }

  private chooseProxy(url: string): ChosenProxy | undefined {
    try {
      return proxyFor(url, this.options.proxy, this.options.proxyProfileLabel)
    } catch (error) {
      if (error instanceof ProxyUrlError) throw new ConfigError(error.message)
      throw error
    }
  }

  private async create(): Promise<AxiosInstance> {
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

    this.tls = {ca, rejectUnauthorized: this.options.verifyTls}
    this.direct = {
      http: new http.Agent(this.agentOptions()),
      https: new https.Agent({...this.agentOptions(), ...this.tls}),
    }
    return axios.create({
      // node's http/https only: scripts/build.mjs bundles axios without its fetch and xhr
      // adapters, form-data, follow-redirects and its own proxy agent, which these settings
      // (adapter, maxRedirects, proxy, a string body) leave unused.
      adapter: 'http',
      // Redirects are not followed (the API never redirects; a redirect is reported as it is).
      maxRedirects: 0,
      // The proxy is chosen here (proxy.ts), never from axios' own reading of the environment.
      proxy: false,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
    })
  }

  private describe(
    error: RequestError,
    url: string,
    proxy: ChosenProxy | undefined,
    timedOut: boolean,
  ): Error {
    const code = error.code ?? error.cause?.code
    const host = safeHost(url)
    // axios stops reading at maxContentLength ("maxContentLength size of N exceeded").
    if (this.options.maxAnswer && /maxContentLength size of/.test(error.message))
      return new AnswerTooLargeError(host, this.options.maxAnswer)
    if (timedOut || code === 'ETIMEDOUT' || /timeout/i.test(error.message)) {
      return new ConnectionFailure(
        `${host} did not answer within ${this.options.timeoutMs / 1000} s${proxy ? ` (through the proxy ${showProxyUrl(proxy.url)})` : ''}`,
        'ETIMEDOUT',
        true,
      )
    }

    if (code && TLS_CODES.test(code)) {
      return new ConfigError(`TLS verification of ${host} failed: ${error.message}`, [
        'pass --ca-file with the CA that signed the server certificate',
        'or --insecure to skip verification (not recommended)',
      ])
    }

    // https-proxy-agent's words for a proxy that closed the connection instead of answering CONNECT.
    if (proxy && /before receiving CONNECT response/.test(error.message)) {
      return new ConfigError(
        `the proxy ${showProxyUrl(proxy.url)} (from ${proxy.label}) closed the connection to ${host} without answering the CONNECT`,
        ["check that the proxy allows connections to this server, or bypass it with NO_PROXY or --proxy ''"],
      )
    }

    // Through a proxy every connection is made to the proxy: one not made is the proxy's failure.
    if (proxy && code && NOT_CONNECTED.has(code)) {
      return new ConfigError(
        `cannot reach the proxy ${showProxyUrl(proxy.url)} (from ${proxy.label}): ${code}`,
        [
          'check the proxy URL and that the proxy is running',
          "or turn the proxy off for this server: NO_PROXY, the profile's proxy: none, or --proxy ''",
        ],
      )
    }

    const connected = !code || !NOT_CONNECTED.has(code)
    return new ConnectionFailure(`cannot reach ${host}: ${code ?? error.message}`, code, connected)
  }

  private load(): Promise<AxiosInstance> {
    this.axios ??= this.create()
    return this.axios
  }

  private async makeProxyAgent(proxy: ChosenProxy, tls: boolean): Promise<HttpAgent | HttpsAgent> {
    if (tls) {
      const {HttpsProxyAgent} = await import('https-proxy-agent')
      const serverTls = this.tls!
      const refused = this.refusedConnects
      // The TLS settings are for the server at the end of the tunnel; the library takes them
      // from each request's options, which axios does not fill in.
      class TunnelAgent extends HttpsProxyAgent<string> {
        override async connect(req: ClientRequest, opts: Parameters<TunnelAgentBase<string>['connect']>[1]) {
          return super.connect(req, {...opts, ...serverTls})
        }
      }
      const tunnel = new TunnelAgent(proxy.url.href, this.agentOptions())
      tunnel.on('proxyConnect', (connect: {statusCode?: number; statusText?: string}, req: ClientRequest) => {
        if (connect.statusCode !== 200) refused.set(req, connect)
      })
      return tunnel
    }

    const {HttpProxyAgent} = await import('http-proxy-agent')
    return new HttpProxyAgent(proxy.url.href, this.agentOptions())
  }

  private proxyAgent(proxy: ChosenProxy, target: string): Promise<HttpAgent | HttpsAgent> {
    const tls = target.startsWith('https:')
    const key = `${tls ? 'https' : 'http'} ${proxy.url.href}`
    let agent = this.proxied.get(key)
    if (!agent) {
      agent = this.makeProxyAgent(proxy, tls)
      this.proxied.set(key, agent)
    }

    return agent
  }
}

/**
 * An answer larger than the limit: not a connection failure (never retried), exit 1. A broken or
 * hostile server must not make moldctl read without end.
 */
export class AnswerTooLargeError extends MoldctlError {
  constructor(host: string, limit: {bytes: number; source: string}) {
    super(
      `${host} sent an answer larger than ${formatBytes(limit.bytes)} (${limit.bytes} bytes, the limit from ${limit.source}); it was not read`,
      {
        suggestions: [
          'a real answer is rarely over a few MB: check that the URL is the management server',
          'to allow larger answers: MOLDCTL_MAX_ANSWER_BYTES=BYTES (or maxanswerbytes: BYTES in the profile)',
        ],
      },
    )
    this.name = 'AnswerTooLargeError'
  }
}

function formatBytes(bytes: number): string {
  const MiB = 1024 * 1024
  if (bytes >= MiB) return `${Number((bytes / MiB).toFixed(1))} MiB`
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`
  return `${bytes} B`
}

export function isTransient(error: unknown): boolean {
  return error instanceof ConnectionFailure && (error.code === undefined || TRANSIENT.has(error.code))
}

function proxyRefused(
  proxy: ChosenProxy,
  url: string,
  connect: undefined | {statusCode?: number; statusText?: string},
  response: {status: number; statusText?: string},
): ConfigError {
  const status = connect?.statusCode ?? response.status
  const text = connect?.statusText ?? response.statusText
  const shown = showProxyUrl(proxy.url)
  const hints =
    status === 407
      ? [
          proxy.url.username === ''
            ? 'the proxy wants a user and password: http://USER:PASSWORD@proxy:port'
            : 'check the user and password in the proxy URL',
        ]
      : status >= 502 && status <= 504
        ? [
            `the proxy could not reach ${safeHost(url)}: is the management server running, and the URL right?`,
            "or bypass the proxy for this server with NO_PROXY or --proxy ''",
          ]
        : ["check that the proxy allows connections to this server, or bypass it with NO_PROXY or --proxy ''"]
  return new ConfigError(
    `the proxy ${shown} (from ${proxy.label}) refused the connection to ${safeHost(url)}: HTTP ${status}${text ? ` ${text}` : ''}`,
    hints,
  )
}

/**
 * The body of an answer that came through a proxy, or the proxy's refusal. For an http:// request
 * an error page that is not the API's JSON is the proxy's (squid's ERR_ACCESS_DENIED is a 403,
 * ERR_CONNECT_FAIL a 503) or a gateway's behind it: a 403 is the proxy refusing, other pages keep
 * their status (reads are retried on 5xx) with the proxy named in their text.
 */
function proxiedAnswer(
  proxy: ChosenProxy,
  url: string,
  refused: undefined | {statusCode?: number; statusText?: string},
  response: {data: string; status: number; statusText?: string},
): unknown {
  if (refused || response.status === 407) throw proxyRefused(proxy, url, refused, response)
  const answer = parseMaybeJson(response.data)
  if (url.startsWith('https:') || typeof answer !== 'string' || response.status < 400) return answer
  if (response.status === 403) throw proxyRefused(proxy, url, undefined, response)
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
  return `${status} through the proxy ${showProxyUrl(proxy.url)} (from ${proxy.label})${answer.trim() === '' ? '' : `: ${answer}`}`
}

/** What `send` makes of an answer's bytes when not asked for them raw: its text (BOM removed, as axios does), as JSON where it is JSON. */
export function answerBody(bytes: Buffer): unknown {
  const text = bytes.toString('utf8')
  return parseMaybeJson(text.codePointAt(0) === 0xfe_ff ? text.slice(1) : text)
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
