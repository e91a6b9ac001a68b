import {visibleText} from '../output/visible.js'

/** Exit codes: a contract with users' runbooks (see the README). */
export const ExitCode = {
  Config: 3,
  Failed: 1,
  Interrupted: 130,
  Partial: 4,
  Success: 0,
  Timeout: 5,
  /** A change request whose answer was lost after it may have reached the server. */
  Unknown: 6,
  Usage: 2,
} as const

/** An expected failure: shown as one line (plus an optional hint), never with a stack. */
export class MoldctlError extends Error {
  readonly exitCode: number
  readonly suggestions: string[]

  constructor(message: string, opts: {exitCode?: number; suggestions?: string[]} = {}) {
    super(message)
    this.name = 'MoldctlError'
    this.exitCode = opts.exitCode ?? ExitCode.Failed
    this.suggestions = opts.suggestions ?? []
  }
}

/** Bad arguments or input; nothing was changed. */
export class UsageError extends MoldctlError {
  constructor(message: string, suggestions: string[] = []) {
    super(message, {exitCode: ExitCode.Usage, suggestions})
    this.name = 'UsageError'
  }
}

/** A named zone, pod, cluster or host that the cloud does not have (a usage error: exit 2). */
export class NotFoundError extends UsageError {
  constructor(message: string, suggestions: string[] = []) {
    super(message, suggestions)
    this.name = 'NotFoundError'
  }
}

/** Missing or wrong configuration, credentials or TLS. */
export class ConfigError extends MoldctlError {
  constructor(message: string, suggestions: string[] = []) {
    super(message, {exitCode: ExitCode.Config, suggestions})
    this.name = 'ConfigError'
  }
}

/** An error answer from the management server (HTTP status = errorcode). */
export class ApiError extends MoldctlError {
  readonly command: string
  readonly cserrorcode?: number
  readonly errorcode: number
  readonly errortext: string

  constructor(command: string, errorcode: number, errortext: string, cserrorcode?: number) {
    const code = cserrorcode === undefined ? `${errorcode}` : `${errorcode}/${cserrorcode}`
    // The server's text is shown, not obeyed (an escape or newline in it stays visible).
    super(`${command} failed (${code}): ${visibleText(errortext)}`, {
      exitCode: errorcode === 401 || errorcode === 531 ? ExitCode.Config : ExitCode.Failed,
      suggestions:
        errorcode === 401
          ? [
              'check the API and secret keys and the flavor (mold signs with HmacSHA256, cloudstack with HmacSHA1)',
            ]
          : [],
    })
    this.name = 'ApiError'
    this.command = command
    this.errorcode = errorcode
    this.errortext = errortext
    this.cserrorcode = cserrorcode
  }
}

/** An async job that ended with jobstatus 2. */
export class JobFailedError extends MoldctlError {
  readonly errorcode: number
  readonly errortext: string
  readonly jobId: string

  constructor(command: string, jobId: string, errorcode: number, errortext: string) {
    super(`${command} job ${jobId} failed (${errorcode}): ${visibleText(errortext)}`)
    this.name = 'JobFailedError'
    this.jobId = jobId
    this.errorcode = errorcode
    this.errortext = errortext
  }
}

/** Waiting ran out of time; the operation may still be running on the server. */
export class WaitTimeoutError extends MoldctlError {
  readonly jobId?: string

  constructor(message: string, jobId?: string) {
    super(message, {
      exitCode: ExitCode.Timeout,
      suggestions: jobId ? [`the job may still be running: moldctl job wait ${jobId}`] : [],
    })
    this.name = 'WaitTimeoutError'
    this.jobId = jobId
  }
}

/** The operator pressed Ctrl-C while we waited; nothing was cancelled on the server. */
export class InterruptedError extends MoldctlError {
  readonly jobId?: string

  constructor(message: string, resume?: string, jobId?: string) {
    super(message, {exitCode: ExitCode.Interrupted, suggestions: resume ? [`resume with: ${resume}`] : []})
    this.name = 'InterruptedError'
    this.jobId = jobId
  }
}

/** Some targets of a bulk operation failed. */
export class PartialFailureError extends MoldctlError {
  constructor(message: string) {
    super(message, {exitCode: ExitCode.Partial})
    this.name = 'PartialFailureError'
  }
}

/** Connection-level failure (refused, reset, DNS, TLS) after retries and failover. */
export class TransportError extends MoldctlError {
  readonly code?: string

  constructor(
    message: string,
    code?: string,
    exitCode: number = ExitCode.Failed,
    suggestions: string[] = [],
  ) {
    super(message, {exitCode, suggestions})
    this.name = 'TransportError'
    this.code = code
  }
}

/**
 * A change request (not a read) whose answer was lost after it may have reached the server: the
 * connection was reset or timed out once the request had been sent. The change may or may not
 * have been carried out (exit 6); it is never repeated blindly.
 */
export class OutcomeUnknownError extends MoldctlError {
  override readonly cause?: unknown
  readonly code?: string
  readonly command: string

  constructor(
    command: string,
    reason: string,
    opts: {cause?: unknown; code?: string; suggestions?: string[]} = {},
  ) {
    super(`the outcome of ${command} is unknown: ${reason}; the request may have been carried out`, {
      exitCode: ExitCode.Unknown,
      suggestions: opts.suggestions ?? [
        'check before repeating it: moldctl job list --pending shows what the server is still doing',
      ],
    })
    this.name = 'OutcomeUnknownError'
    this.command = command
    this.code = opts.code
    this.cause = opts.cause
  }
}

/**
 * The server answered, but not in the API's shape (a list field that is no list, a `count` that
 * is no number, an update without its object, a finished job without its result): nothing in it
 * is trusted. Exit 1; a change that was sent may or may not have been made.
 */
export class BadAnswerError extends MoldctlError {
  readonly command: string

  constructor(command: string, problem: string) {
    super(`${command}: the server's answer is not in the API's shape (${problem}); nothing in it was used`, {
      suggestions: [
        'run again with --debug to see the answer',
        'a change may or may not have been made: check the resource before repeating it',
      ],
    })
    this.name = 'BadAnswerError'
    this.command = command
  }
}
