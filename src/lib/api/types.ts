/** A request parameter value; arrays are sent comma-separated, undefined/null are left out. */
export type ParamValue = boolean | null | number | string | string[] | undefined

export type Params = Record<string, ParamValue>

/** The object under the single `<command>response` key of an answer. */
export type ApiObject = Record<string, unknown>

/** One line of the audit log (secrets already redacted). */
export interface AuditEntry {
  command: string
  endpoint: string
  error?: string
  jobid?: string
  outcome: 'bad-answer' | 'error' | 'job-failed' | 'job-succeeded' | 'ok' | 'submitted' | 'unknown'
  params: Record<string, string>
  time: string
}

/** The one audit record of a bulk action (many hosts), written in place of its calls. */
export interface BulkAuditSummary {
  /** What was done, as the operator would say it (`oobm power status`). */
  action: string
  /** The API changes sent. */
  calls: number
  /** The API command the action is made of. */
  command: string
  /** Hosts per outcome (ok, failed, skipped...). */
  counts: Record<string, number>
  /** Set when the action itself stopped with an error. */
  error?: string
  /** Host names per outcome. */
  hosts: Record<string, string[]>
}

/** The body of queryAsyncJobResult. */
export interface AsyncJob {
  cmd?: string
  completed?: string
  created?: string
  jobid: string
  jobinstanceid?: string
  jobinstancetype?: string
  jobresult?: Record<string, unknown>
  jobresultcode?: number
  jobresulttype?: string
  jobstatus: number
}

export const JobStatus = {Cancelled: 3, Failed: 2, InProgress: 0, Succeeded: 1} as const
