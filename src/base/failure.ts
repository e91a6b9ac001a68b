import type {MoldClient} from '../lib/api/client.js'

import {
  ApiError,
  InterruptedError,
  type MoldctlError,
  NotFoundError,
  TransportError,
  UsageError,
} from '../lib/core/errors.js'
import {visibleLines} from '../lib/output/visible.js'

/* How a command that failed says so: one line on stderr (and the error as JSON on stdout). */

/** Where a request about the cloud went: the profile and the endpoint. */
export interface CloudAsked {
  endpoint: string
  profile?: string
}

export interface Failure {
  asked?: CloudAsked
  exitCode: number
  message: string
  suggestions: string[]
}

/**
 * For an error about the cloud — anything that went wrong once a request was sent (API and
 * connection errors, unknown names, failed jobs) — the profile and the endpoint asked; an
 * interruption by the operator is not about the cloud. After failing over, every endpoint.
 */
export function cloudAsked(
  error: MoldctlError,
  client: MoldClient | undefined,
  profileName: string | undefined,
): CloudAsked | undefined {
  if (!client?.asked || error instanceof InterruptedError) return undefined
  // Bad input found by moldctl itself (a wrong value, an unknown column) is not about the
  // cloud, even when found after reading from it; an unknown name is.
  if (error instanceof UsageError && !(error instanceof NotFoundError)) return undefined
  const endpoint = error instanceof TransportError ? client.endpoints.join(', ') : client.endpoint
  return {endpoint, profile: profileName}
}

/**
 * One error line (and its hints) on stderr, written directly because oclif silences
 * logToStderr under --json; with `json` the error is also printed as JSON on stdout so that
 * scripts parsing stdout see what went wrong. The stack follows under --debug.
 */
export function writeFailure(error: Error, failure: Failure, opts: {debug: boolean; json: boolean}): void {
  const {asked, exitCode, message, suggestions} = failure
  const where = asked
    ? ` (${asked.profile ? `profile ${asked.profile}` : 'no profile'}, ${asked.endpoint})`
    : ''
  process.stderr.write(
    visibleLines(`Error: ${message}${where}\n${suggestions.map((s) => `  ${s}\n`).join('')}`),
  )
  if (opts.debug && error.stack) process.stderr.write(`${error.stack}\n`)
  if (opts.json) {
    const details =
      error instanceof ApiError
        ? {cserrorcode: error.cserrorcode, errorcode: error.errorcode, errortext: error.errortext}
        : {}
    const jobid = (error as {jobId?: string}).jobId
    const context = asked ? {endpoint: asked.endpoint, profile: asked.profile ?? null} : {}
    process.stdout.write(
      `${JSON.stringify({error: {exitCode, message, suggestions, ...details, jobid, ...context}}, null, 2)}\n`,
    )
  }
}
