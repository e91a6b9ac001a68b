import {SimApiError} from '../catalog/registry.js'

/*
 * Fault injection (POST /sim/faults). Everything is deterministic: rates are applied as an even
 * spread over the matching requests (rate 0.5 fails every 2nd one, 0.25 every 4th), and
 * command faults apply to the next `times` matching requests.
 */

export interface CommandFault {
  /** Let this many matching requests through first (e.g. 1: a listing fails from its 2nd page). */
  after?: number
  command: string
  errorcode?: number
  errortext?: string
  /** Fail the async job (jobstatus 2) instead of the request. */
  inJob?: boolean
  /** How many matching requests (or jobs) fail; default: all until cleared. */
  times?: number
}

export interface DropFault {
  /** Drop only after the command was executed (its effect happened, the answer is lost). */
  afterExecute?: boolean
  command: string
  times?: number
}

/** An answer followed by `bytes` of white space (still valid JSON): a server that sends without end. */
export interface OversizeFault {
  bytes: number
  command: string
  times?: number
}

/**
 * The ways an answer can be of the wrong shape: `list-not-list` (each list field becomes its first
 * item, an object), `count-not-number` (`count` becomes the string "many"), `no-object` (a
 * change's answer without its object: `{}`), `job-no-object` (a finished job without its
 * `jobresult`; give the command `queryAsyncJobResult`).
 */
export const WRONG_SHAPES = ['list-not-list', 'count-not-number', 'no-object', 'job-no-object'] as const
export type WrongShape = (typeof WRONG_SHAPES)[number]

export interface WrongShapeFault {
  command: string
  shape: WrongShape
  times?: number
}

/**
 * Hold requests of `command` before they run until `count` of them have arrived (or `maxMs` real
 * milliseconds have passed since the first), then let them run in the order they came: two
 * concurrent read-merge-writes then both write what they read before either write lands.
 */
export interface HoldFault {
  command: string
  /** How many requests to gather (default 2). */
  count?: number
  /** The longest hold, real milliseconds (default 5000). */
  maxMs?: number
  /** How many rounds of gathering (default 1). */
  times?: number
}

export interface FaultSpec {
  dropCommand?: DropFault | DropFault[]
  /** Share (0..1) of all API connections destroyed without an answer. */
  dropRate?: number
  /** Share (0..1) of read requests (list*, query*, get*) answered with `status`. */
  errorRate?: number
  failCommand?: CommandFault | CommandFault[]
  holdCommand?: HoldFault | HoldFault[]
  /** Real milliseconds added before every API answer. */
  latencyMs?: number
  /** One object or a list: answers of `command` padded to `bytes`. */
  oversizeAnswer?: OversizeFault | OversizeFault[]
  /** HTTP status for errorRate answers (default 503). */
  status?: number
  /** Async jobs wait (never finish) until this is cleared. */
  stuckJobs?: boolean
  /** One object or a list: answers of `command` in a wrong shape. */
  wrongShape?: WrongShapeFault | WrongShapeFault[]
}

function toList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

function checkRate(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw new Error(`${name} must be a number from 0 to 1`)
  return value
}

/** Validates a fault document received on POST /sim/faults. */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new Error('faults must be a JSON object')
  const spec = input as FaultSpec
  checkRate('errorRate', spec.errorRate)
  checkRate('dropRate', spec.dropRate)
  if (spec.latencyMs !== undefined && !(typeof spec.latencyMs === 'number' && spec.latencyMs >= 0)) {
    throw new Error('latencyMs must be a non-negative number')
  }

  if (
    spec.status !== undefined &&
    !(Number.isInteger(spec.status) && spec.status >= 400 && spec.status <= 599)
  ) {
    throw new Error('status must be an HTTP error status (400-599)')
  }

  checkAnswerFaults(spec)
  for (const fault of [
    ...toList(spec.failCommand),
    ...toList(spec.dropCommand),
    ...toList(spec.oversizeAnswer),
    ...toList(spec.wrongShape),
    ...toList(spec.holdCommand),
  ]) {
    if (!fault || typeof fault.command !== 'string')
      throw new Error('failCommand/dropCommand/oversizeAnswer/wrongShape/holdCommand need a "command"')
    if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 0)) {
      throw new Error('times must be a non-negative integer')
    }
  }

  checkFailAfter(spec)
  return spec
}

function checkHolds(holds: readonly HoldFault[]): void {
  for (const hold of holds) {
    if (hold.count !== undefined && !(Number.isInteger(hold.count) && hold.count >= 1))
      throw new Error('holdCommand.count must be a positive integer')
    if (hold.maxMs !== undefined && !(typeof hold.maxMs === 'number' && hold.maxMs >= 0))
      throw new Error('holdCommand.maxMs must be a non-negative number')
  }
}

/** Lets a gathering's requests go, in the order they came, and counts the round. */
function release(entry: Gathering): void {
  clearTimeout(entry.timer)
  if (entry.waiting.length === 0) return
  entry.left--
  for (const resolve of entry.waiting.splice(0)) resolve()
}

function checkAnswerFaults(spec: FaultSpec): void {
  checkHolds(toList(spec.holdCommand))
  for (const fault of toList(spec.oversizeAnswer)) {
    if (!fault || !(Number.isSafeInteger(fault.bytes) && fault.bytes > 0))
      throw new Error('oversizeAnswer needs "bytes", a positive whole number')
  }

  for (const fault of toList(spec.wrongShape)) {
    if (!fault || !(WRONG_SHAPES as readonly string[]).includes(fault.shape))
      throw new Error(`wrongShape needs "shape": one of ${WRONG_SHAPES.join(', ')}`)
  }
}

function checkFailAfter(spec: FaultSpec): void {
  for (const fault of toList(spec.failCommand)) {
    if (fault.after !== undefined && !(Number.isInteger(fault.after) && fault.after >= 0))
      throw new Error('after must be a non-negative integer')
  }
}

function remaining<T extends {times?: number}>(fault: T): Remaining<T> {
  return {fault, left: fault.times ?? Number.POSITIVE_INFINITY}
}

function take<T extends {command: string}>(
  list: Array<Remaining<T>>,
  command: string | undefined,
  applies: (fault: T) => boolean = () => true,
): T | undefined {
  const entry = list.find((e) => e.left > 0 && e.fault.command === command && applies(e.fault))
  if (!entry) return undefined
  entry.left--
  return entry.fault
}

function isFinishedJob(body: Record<string, unknown>): boolean {
  return body.jobstatus === 1
}

function reshape(shape: WrongShape, body: Record<string, unknown>): Record<string, unknown> {
  switch (shape) {
    case 'count-not-number': {
      return {...body, count: 'many'}
    }

    case 'job-no-object': {
      const rest = {...body}
      delete rest.jobresult
      return rest
    }

    case 'list-not-list': {
      return Object.fromEntries(
        Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? {}) : v]),
      )
    }

    case 'no-object': {
      return {}
    }
  }
}

/** An even spread: the n-th event (from 1) is selected when floor(n·rate) grows. */
class RateCounter {
  private count = 0

  constructor(private readonly rate: number) {}

  next(): boolean {
    this.count++
    return Math.floor(this.count * this.rate) > Math.floor((this.count - 1) * this.rate)
  }
}

interface Remaining<T> {
  fault: T
  left: number
}

interface Gathering extends Remaining<HoldFault> {
  timer?: NodeJS.Timeout
  waiting: Array<() => void>
}

export class FaultState {
  private dropCounter?: RateCounter
  private drops: Array<Remaining<DropFault>> = []
  private errorCounter?: RateCounter
  private failures: Array<Remaining<CommandFault> & {passed: number}> = []
  private holds: Gathering[] = []
  private oversize: Array<Remaining<OversizeFault>> = []
  private shapes: Array<Remaining<WrongShapeFault>> = []
  private spec: FaultSpec = {}

  get latencyMs(): number {
    return this.spec.latencyMs ?? 0
  }

  get stuckJobs(): boolean {
    return this.spec.stuckJobs === true
  }

  clear(): void {
    this.set({})
  }

  current(): FaultSpec {
    return this.spec
  }

  /** Resolves when a request of `command` may run (at once unless a holdCommand gathers it). */
  async hold(command: string | undefined): Promise<void> {
    const entry = this.holds.find((h) => h.left > 0 && h.fault.command === command)
    if (!entry) return
    await new Promise<void>((resolve) => {
      entry.waiting.push(resolve)
      if (entry.waiting.length === 1)
        entry.timer = setTimeout(() => release(entry), entry.fault.maxMs ?? 5000)
      if (entry.waiting.length >= (entry.fault.count ?? 2)) release(entry)
    })
  }

  /** How many bytes of white space to send after the answer of `command` (0: none). */
  padding(command: string | undefined): number {
    return take(this.oversize, command)?.bytes ?? 0
  }

  /** A 5xx answer for this read, if the error rate selects it. */
  readError(isRead: boolean): SimApiError | undefined {
    if (!isRead || !this.errorCounter?.next()) return undefined
    const status = this.spec.status ?? 503
    return new SimApiError(status, `Simulated fault: HTTP ${status}`)
  }

  set(spec: FaultSpec): void {
    // Requests still held run now (clearing or replacing the faults lets them go).
    for (const entry of this.holds) release(entry)
    this.holds = toList(spec.holdCommand).map((fault) => ({fault, left: fault.times ?? 1, waiting: []}))
    this.spec = spec
    this.errorCounter = spec.errorRate ? new RateCounter(spec.errorRate) : undefined
    this.dropCounter = spec.dropRate ? new RateCounter(spec.dropRate) : undefined
    this.failures = toList(spec.failCommand).map((fault) => ({
      fault,
      left: fault.times ?? Number.POSITIVE_INFINITY,
      passed: 0,
    }))
    this.drops = toList(spec.dropCommand).map((fault) => remaining(fault))
    this.oversize = toList(spec.oversizeAnswer).map((fault) => remaining(fault))
    this.shapes = toList(spec.wrongShape).map((fault) => remaining(fault))
  }

  /** Whether to destroy this connection: before (`after` false) or after executing `command`. */
  shouldDrop(command: string | undefined, after: boolean): boolean {
    if (!after && this.dropCounter?.next()) return true
    const entry = this.drops.find(
      (d) => d.left > 0 && d.fault.command === command && (d.fault.afterExecute ?? false) === after,
    )
    if (!entry) return false
    entry.left--
    return true
  }

  /** The injected error for this command, for request-level (`inJob` false) or job-level faults. */
  takeFailure(command: string, inJob: boolean): SimApiError | undefined {
    const entry = this.failures.find(
      (f) => f.left > 0 && f.fault.command === command && (f.fault.inJob ?? false) === inJob,
    )
    if (!entry) return undefined
    if (entry.passed < (entry.fault.after ?? 0)) {
      entry.passed++
      return undefined
    }

    entry.left--
    const code = entry.fault.errorcode ?? 530
    return new SimApiError(
      code,
      entry.fault.errortext ?? `Simulated failure of ${command}`,
      code === 530 ? 4250 : undefined,
    )
  }

  /** The answer body as the faults make it, for a successful answer of `command`. */
  transformAnswer(command: string | undefined, body: Record<string, unknown>): Record<string, unknown> {
    const shape = take(this.shapes, command, (f) => f.shape !== 'job-no-object' || isFinishedJob(body))
    return shape ? reshape(shape.shape, body) : body
  }
}
