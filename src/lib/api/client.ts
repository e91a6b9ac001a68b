import type {Activity} from '../output/spinner.js'
import type {ProxySettings} from './proxy.js'

import {ApiError, BadAnswerError, MoldctlError} from '../core/errors.js'
import {sleep} from '../core/sleep.js'
import {
  changeAnswerProblem,
  isJobSubmission,
  isReadCommand,
  toWireParams,
  unwrapResponse,
} from './envelope.js'
import {changeFailure, failureOutcome, isRetryable} from './failures.js'
import {endedJobResult, jobCommandName, pollUntilEnded, type WaitOptions} from './job-wait.js'
import {toAsyncJob} from './models.js'
import {
  type AnswerDecoder,
  DecodedAnswer,
  listPageIterator,
  type PageDecoder,
  type PageOptions,
  type PageSource,
  type PageStream,
} from './paging.js'
import {redactDeep, redactParams} from './redact.js'
import {login, type Session} from './session.js'
import {type Flavor, FLAVOR_ALGORITHM, formatExpires, signParams} from './sign.js'
import {answerBody, ConnectionFailure, HttpTransport} from './transport.js'
import {type ApiObject, type AsyncJob, type AuditEntry, type BulkAuditSummary, type Params} from './types.js'

export type {WaitOptions} from './job-wait.js'

export interface ClientOptions {
  /** Shows a long wait (logging in, reading many pages): a spinner at a terminal. */
  activity?: (text: string) => Promise<Activity>
  apiKey?: string
  audit?: (entry: AuditEntry) => void
  /** The summary of a bulk action (auditedBulk), which stands for its calls. */
  auditBulk?: (summary: BulkAuditSummary) => void
  caFile?: string
  debug?: (line: string) => void
  domain?: string
  flavor: 'auto' | Flavor
  /** The largest answer accepted (transport.ts); none when absent. */
  maxAnswer?: {bytes: number; source: string}
  /** The most requests in flight at once (a batch's concurrency): connections kept per server. */
  maxSockets?: number
  /** Called once when `auto` found out which MAC the server verifies. */
  onFlavorDetected?: (flavor: Flavor) => Promise<void> | void
  password?: string
  /** Job polling: first interval and the ceiling it backs off to. */
  poll?: {maxMs: number; minMs: number}
  /** Named in messages about the profile's `proxy:`. */
  profileName?: string
  proxy?: ProxySettings
  /** Reads: how many tries in all, and the first backoff delay. */
  retry?: {attempts: number; baseDelayMs: number}
  secretKey?: string
  timeoutMs: number
  urls: string[]
  username?: string
  verifyTls: boolean
}

const SIGNATURE_LIFETIME_MS = 10 * 60 * 1000

/**
 * A signed client of the management API: API-key signing (HmacSHA256 for Mold, HmacSHA1 for
 * CloudStack, detected when `auto`) or a login session; endpoint failover; retries for reads only;
 * paging; async-job polling with backoff; an audit hook for every mutating call.
 */
export class MoldClient {
  /** Whether anything was sent yet (errors after that are about this cloud). */
  asked = false
  /** Whether a command that changes something was sent (then an error cannot say "nothing changed"). */
  changed = false
  /** Changes sent during the bulk action under way (auditedBulk), which are not audited one by one. */
  private bulk?: {calls: number}
  private current = 0
  private detected?: Flavor
  private readonly jobCommands = new Map<string, string>()
  private readonly options: ClientOptions
  private pageSize = 500
  private session?: Session
  private readonly transport: HttpTransport

  constructor(options: ClientOptions) {
    if (options.urls.length === 0) throw new MoldctlError('no API endpoint given')
    this.options = options
    this.detected = options.flavor === 'auto' ? undefined : options.flavor
    this.transport = new HttpTransport({
      caFile: options.caFile,
      maxAnswer: options.maxAnswer,
      maxSockets: options.maxSockets,
      proxy: options.proxy,
      proxyProfileLabel: options.profileName === undefined ? undefined : `profile "${options.profileName}"`,
      timeoutMs: options.timeoutMs,
      verifyTls: options.verifyTls,
    })
  }

  /** The endpoint that answered last; later calls start there. */
  get endpoint(): string {
    return this.options.urls[this.current]
  }

  /** Every endpoint, in failover order. */
  get endpoints(): string[] {
    return [...this.options.urls]
  }

  /** The flavor in use (undefined until `auto` has been resolved by a first call). */
  get flavor(): Flavor | undefined {
    return this.detected
  }

  /** Job ids this client submitted (answers received), in order. */
  get submittedJobs(): string[] {
    return [...this.jobCommands.keys()]
  }

  /**
   * Runs a bulk action (the same change on many hosts): instead of a record per call and per
   * job, the audit gets one summary, made from the action's result (or its error).
   */
  async auditedBulk<T>(
    fn: () => Promise<T>,
    summarize: (result: T | undefined) => Omit<BulkAuditSummary, 'calls' | 'error'>,
  ): Promise<T> {
    if (this.bulk || !this.options.auditBulk) return fn()
    const bulk = {calls: 0}
    this.bulk = bulk
    let result: T | undefined
    let failure: unknown
    try {
      result = await fn()
      return result
    } catch (error) {
      failure = error
      throw error
    } finally {
      this.bulk = undefined
      const error = failure === undefined ? {} : {error: (failure as Error).message}
      this.options.auditBulk({...summarize(result), calls: bulk.calls, ...error})
    }
  }

  /** A sync call, or for an async command: submit, then wait for the job and return its result. */
  async call(command: string, params: Params = {}, wait: WaitOptions = {}): Promise<ApiObject> {
    const inner = await this.request(command, params, {expect: wait.expect})
    if (!isJobSubmission(inner)) return inner
    return this.waitForJob(inner.jobid, {command, ...wait})
  }

  /** Every item of a list command, over all pages (the first page gives the count; the rest are fetched concurrently). */
  async list<T = ApiObject>(command: string, params: Params = {}, opts: PageOptions = {}): Promise<T[]> {
    return (await this.listWithKey<T>(command, params, opts)).items
  }

  /**
   * Every item of a list command, page by page and in order, while the next pages are fetched:
   * the first page gives the count, then up to 4 pages are in flight at once, and no more than 4
   * wait to be taken — so a reader that writes each page as it comes holds a few pages, not the
   * whole list. `key` is the answer's item key once the first page arrived; `decoded` gives the
   * same pages as a PageDecoder reads them from the answers' bytes.
   */
  listPages<T = ApiObject>(command: string, params: Params = {}, opts: PageOptions = {}): PageStream<T> {
    const iterate = <U>(decoder: PageDecoder<T, U>) =>
      listPageIterator<T, U>(this.pageSource(), command, params, {
        ...opts,
        decoder,
        onKey(key) {
          stream.key = key
        },
      })
    const stream: PageStream<T> = {
      [Symbol.asyncIterator]: () => iterate<T[]>({fromItems: (items) => items}),
      decoded: (decoder) => ({[Symbol.asyncIterator]: () => iterate(decoder)}),
    }
    return stream
  }

  /** Like list(), also naming the answer's item key (`host`, `virtualmachine`...; undefined when empty). */
  async listWithKey<T = ApiObject>(
    command: string,
    params: Params = {},
    opts: PageOptions = {},
  ): Promise<{items: T[]; key?: string}> {
    const items: T[] = []
    const pages = this.listPages<T>(command, params, opts)
    for await (const page of pages) items.push(...page)
    return {items, key: pages.key}
  }

  /** queryAsyncJobResult: the job as the server reports it now (BadAnswerError if not a job). */
  async queryJob(jobid: string): Promise<AsyncJob> {
    const answer = await this.request('queryAsyncJobResult', {jobid})
    try {
      return toAsyncJob(answer)
    } catch (error) {
      throw new BadAnswerError('queryAsyncJobResult', (error as Error).message)
    }
  }

  /**
   * Hands the client to the next command of a `moldctl shell` session: its own audit sink,
   * spinner and --debug log, and fresh "asked"/"changed" marks. The connection (kept-alive
   * sockets, the login session, the detected flavor) stays.
   */
  rebind(run: Pick<ClientOptions, 'activity' | 'audit' | 'auditBulk' | 'debug' | 'onFlavorDetected'>): void {
    this.options.activity = run.activity
    this.options.audit = run.audit
    this.options.auditBulk = run.auditBulk
    this.options.debug = run.debug
    this.options.onFlavorDetected = run.onFlavorDetected
    this.asked = false
    this.changed = false
  }

  /** Sends one API command and returns the object under its response key. */
  async request(
    command: string,
    params: Params = {},
    opts: {expect?: string; method?: 'GET' | 'POST'} = {},
  ): Promise<ApiObject> {
    const answer = await this.exchange<never>(command, params, opts)
    if (answer instanceof DecodedAnswer) throw new TypeError('an answer decoded without a decoder')
    return answer
  }

  /** Submits an async command without waiting; returns `{jobid}` (and `id` for create commands). */
  async submitJob(command: string, params: Params = {}): Promise<{id?: string; jobid: string}> {
    const inner = await this.request(command, params)
    if (!isJobSubmission(inner)) {
      throw new MoldctlError(`${command} is not an asynchronous command (its answer has no jobid)`)
    }

    return inner
  }

  /**
   * Polls the job until it ends (job-wait.ts: fast at first, then backing off; transient errors
   * tolerated); resolves with the job result, throws JobFailedError, BadAnswerError,
   * WaitTimeoutError (exit 5) or InterruptedError (Ctrl-C, exit 130).
   */
  async waitForJob(jobid: string, opts: WaitOptions = {}): Promise<ApiObject> {
    const command = opts.command ?? this.jobCommands.get(jobid)
    const what = command ? `${command} job ${jobid}` : `job ${jobid}`
    const job = await pollUntilEnded(jobid, what, opts, {
      fetchJob: (id) => this.queryJob(id),
      isRetryable,
      log: (line) => this.log(line),
      poll: this.options.poll,
    })
    const name = command ?? jobCommandName(job)
    const audit = this.jobCommands.has(jobid)
      ? (outcome: AuditEntry['outcome'], error?: string) => this.auditJob(name, jobid, outcome, error)
      : undefined
    return endedJobResult(name, jobid, job, {audit, expect: opts.expect})
  }

  /** A change's answer: checked (BadAnswerError), audited, its job remembered. */
  private acceptChange(
    command: string,
    wire: Record<string, string>,
    inner: ApiObject,
    expect?: string,
  ): void {
    const submitted = isJobSubmission(inner)
    const problem = submitted ? undefined : changeAnswerProblem(inner, expect)
    if (problem) {
      this.auditCall(command, wire, {error: problem, outcome: 'bad-answer'})
      throw new BadAnswerError(command, problem)
    }

    this.auditCall(command, wire, {
      jobid: inner.jobid as string | undefined,
      outcome: submitted ? 'submitted' : 'ok',
    })
    if (submitted) this.jobCommands.set(inner.jobid, command)
  }

  /** An answer was accepted: with `auto`, the flavor that signed it is the server's. */
  private async accepted(flavor: Flavor): Promise<void> {
    if (this.detected || !this.options.apiKey) return
    this.detected = flavor
    await this.options.onFlavorDetected?.(flavor)
  }

  private auditCall(
    command: string,
    wire: Record<string, string>,
    {error, jobid, outcome}: {error?: unknown; jobid?: string; outcome: AuditEntry['outcome']},
  ): void {
    if (this.bulk) {
      this.bulk.calls++
      return
    }

    if (!this.options.audit) return
    const params = {...wire}
    delete params.command
    delete params.response
    delete params.signature
    delete params.apiKey
    delete params.expires
    delete params.signatureversion
    delete params.sessionkey
    this.options.audit({
      command,
      endpoint: this.endpoint,
      error: typeof error === 'string' ? error : error ? (error as Error).message : undefined,
      jobid,
      outcome,
      params: redactParams(params),
      time: new Date().toISOString(),
    })
  }

  private auditJob(command: string, jobid: string, outcome: AuditEntry['outcome'], error?: string): void {
    if (this.bulk) return
    this.options.audit?.({
      command,
      endpoint: this.endpoint,
      error,
      jobid,
      outcome,
      params: {},
      time: new Date().toISOString(),
    })
  }

  private authenticate(wire: Record<string, string>, flavor: Flavor): Record<string, string> {
    const {apiKey, secretKey} = this.options
    if (!apiKey || !secretKey) {
      return this.session ? {...wire, sessionkey: this.session.key} : wire
    }

    const signed: Record<string, string> = {
      ...wire,
      apiKey,
      expires: formatExpires(new Date(Date.now() + SIGNATURE_LIFETIME_MS)),
      signatureversion: '3',
    }
    signed.signature = signParams(signed, secretKey, FLAVOR_ALGORITHM[flavor])
    return signed
  }

  /**
   * request(), with the answer's bytes handed to `decode` first: what it makes of them, or (when
   * it gives undefined, for an error or an answer of another shape) the object under the
   * response key as always. Not under --debug, whose log shows the answer read.
   */
  private async exchange<D>(
    command: string,
    params: Params,
    opts: {decode?: AnswerDecoder<D>; expect?: string; method?: 'GET' | 'POST'},
  ): Promise<ApiObject | DecodedAnswer<D>> {
    const read = isReadCommand(command)
    const method = opts.method ?? (read ? 'GET' : 'POST')
    const wire = {...toWireParams(params), command, response: 'json'}
    const attempts = read ? (this.options.retry?.attempts ?? 4) : 1
    const decode = this.options.debug ? undefined : opts.decode
    let lastError: unknown
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        // eslint-disable-next-line no-await-in-loop
        const answer = await this.sendWithFailover(command, wire, method, decode)
        if (!read && !(answer instanceof DecodedAnswer)) this.acceptChange(command, wire, answer, opts.expect)
        return answer
      } catch (error_) {
        const error = read ? error_ : changeFailure(command, error_)
        lastError = error
        if (error instanceof BadAnswerError) throw error
        if (!read) this.auditCall(command, wire, {error, outcome: failureOutcome(error)})
        if (!read || attempt === attempts || !isRetryable(error)) throw error
        const delay = (this.options.retry?.baseDelayMs ?? 250) * 2 ** (attempt - 1)
        this.log(`retrying ${command} in ${delay} ms after: ${(error as Error).message}`)
        // eslint-disable-next-line no-await-in-loop
        await sleep(delay)
      }
    }

    throw lastError
  }

  /** A --debug line; given as a function, it is built only under --debug (answers can be large). */
  private log(line: (() => string) | string): void {
    if (this.options.debug) this.options.debug(typeof line === 'string' ? line : line())
  }

  /** What listPageIterator reads pages through. */
  private pageSource(): PageSource {
    return {
      activity: this.options.activity,
      pageSize: {
        lower: (size) => {
          this.pageSize = size
        },
        size: this.pageSize,
      },
      request: (command, params, decode) => this.exchange(command, params, {decode}),
    }
  }

  private async sendOnce<D>(
    command: string,
    wire: Record<string, string>,
    method: 'GET' | 'POST',
    {decode, endpoint}: {decode?: AnswerDecoder<D>; endpoint: number},
  ): Promise<ApiObject | DecodedAnswer<D>> {
    this.asked = true
    if (!isReadCommand(command)) this.changed = true
    const url = this.options.urls[endpoint]
    if (!this.options.apiKey && this.session?.endpoint !== endpoint) {
      const {activity, domain, password, username} = this.options
      this.session = await login(this.transport, {
        activity,
        domain,
        endpoint,
        log: (line) => this.log(line),
        password,
        url,
        username,
      })
    }

    const flavors: Flavor[] = this.detected ? [this.detected] : ['mold', 'cloudstack']
    let lastError: unknown
    for (const flavor of flavors) {
      const form = this.authenticate(wire, flavor)
      const started = Date.now()
      this.log(() => `${method} ${url} ${JSON.stringify(redactParams(form))}`)
      // eslint-disable-next-line no-await-in-loop
      const answer = await this.transport.send(
        {cookie: this.session?.cookie, form, method, url},
        {raw: decode !== undefined},
      )
      const decoded = answer.bytes && answer.status === 200 ? decode?.(answer.bytes) : undefined
      if (decoded !== undefined) {
        // eslint-disable-next-line no-await-in-loop
        await this.accepted(flavor)
        return new DecodedAnswer(decoded)
      }

      const body = answer.bytes ? answerBody(answer.bytes) : answer.body
      const ms = Date.now() - started
      this.log(
        () =>
          `${command} answered HTTP ${answer.status} in ${ms} ms: ${truncate(JSON.stringify(redactDeep(body)))}`,
      )
      try {
        const inner = unwrapResponse(command, answer.status, body)
        // eslint-disable-next-line no-await-in-loop
        await this.accepted(flavor)
        return inner
      } catch (error) {
        lastError = error
        const authFailure = error instanceof ApiError && error.errorcode === 401
        if (!authFailure || this.detected || !this.options.apiKey) throw error
        this.log(`signature not accepted as ${flavor}; trying the other flavor`)
      }
    }

    throw lastError
  }

  private async sendWithFailover<D>(
    command: string,
    wire: Record<string, string>,
    method: 'GET' | 'POST',
    decode?: AnswerDecoder<D>,
  ): Promise<ApiObject | DecodedAnswer<D>> {
    const {urls} = this.options
    let lastError: unknown
    for (let i = 0; i < urls.length; i++) {
      const endpoint = (this.current + i) % urls.length
      try {
        // eslint-disable-next-line no-await-in-loop
        const answer = await this.sendOnce(command, wire, method, {decode, endpoint})
        this.current = endpoint
        return answer
      } catch (error) {
        lastError = error
        // Only when nothing reached the server is another endpoint tried (a mutating call is never repeated).
        if (!(error instanceof ConnectionFailure) || error.connected) throw error
        if (urls.length > 1)
          this.log(`${urls[endpoint]} unreachable (${error.code}); trying the next endpoint`)
      }
    }

    throw lastError
  }
}

function truncate(text: string | undefined, max = 2000): string {
  if (!text) return ''
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text
}
