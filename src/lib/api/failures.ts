import type {AuditEntry} from './types.js'

import {ApiError, OutcomeUnknownError} from '../core/errors.js'
import {ConnectionFailure, isTransient} from './transport.js'

/* What a failed call means to the client (client.ts): whether a read is tried again, what a change's lost answer is. */

const RETRY_STATUS = new Set([429, 500, 502, 503, 504])

/** A change whose answer was lost once the request was sent may have been carried out: unknown. */
export function changeFailure(command: string, error: unknown): unknown {
  if (!(error instanceof ConnectionFailure) || !error.connected) return error
  return new OutcomeUnknownError(command, error.message, {cause: error, code: error.code})
}

export function failureOutcome(error: unknown): AuditEntry['outcome'] {
  return error instanceof OutcomeUnknownError ? 'unknown' : 'error'
}

/** Connection errors that may pass, 429 and 5xx: a read is tried again. */
export function isRetryable(error: unknown): boolean {
  if (isTransient(error)) return true
  return error instanceof ApiError && RETRY_STATUS.has(error.errorcode)
}
