/**
 * Jobs already on the server for a command and a resource, before submitting another and after
 * an answer was lost.
 *
 * What the server reports (apache/cloudstack): `listAsyncJobs` (ListAsyncJobsCmd, answered by
 * QueryManagerImpl.searchForAsyncJobs) lists the caller's jobs — every account's with
 * `listall=true` — finished or not, in the order they were created, filtered by `keyword`
 * (`cmd LIKE %keyword%`) and `startdate` (`created >=`); it has no status or resource filter.
 * Each job (AsyncJobJoinDaoImpl.newAsyncJobResponse) has `cmd` (the command's Java class),
 * `jobstatus` (0 while pending), `created`, and `jobinstancetype` / `jobinstanceid` only when the
 * command names its resource (getApiResourceType and getApiResourceId): PrepareForMaintenanceCmd,
 * CancelMaintenanceCmd and IssueOutOfBandManagementPowerActionCmd name their host;
 * UpdatePhysicalNetworkCmd and ProvisionCertificateCmd give a type but no id, so their jobs name
 * nothing; StartRollingMaintenanceCmd names the first id of its scope on newer servers only.
 */
import type {MoldClient, WaitOptions} from './client.js'
import type {AsyncJob, Params} from './types.js'

import {ApiError, JobFailedError, MoldctlError, OutcomeUnknownError} from '../core/errors.js'
import {JobStatus} from './types.js'

/** The Java class (simple name) of each async command moldctl submits: `cmd` ends with it. */
export const JOB_CLASSES: Readonly<Record<string, string>> = {
  cancelHostMaintenance: 'CancelMaintenanceCmd',
  issueOutOfBandManagementPowerAction: 'IssueOutOfBandManagementPowerActionCmd',
  prepareHostForMaintenance: 'PrepareForMaintenanceCmd',
  provisionCertificate: 'ProvisionCertificateCmd',
  releaseDedicatedGuestVlanRange: 'ReleaseDedicatedGuestVlanRangeCmd',
  startRollingMaintenance: 'StartRollingMaintenanceCmd',
  updatePhysicalNetwork: 'UpdatePhysicalNetworkCmd',
}

/** A command on a resource, as listAsyncJobs names it (`jobinstancetype`, `jobinstanceid`). */
export interface JobTarget {
  command: string
  /** The resource's id; undefined to match the command's jobs on any resource. */
  instanceId?: string
  /** Shown in messages (a host name, a cluster name). */
  label?: string
}

export interface FoundJob {
  job: AsyncJob
  /** False when the server's job does not name its resource (it may be for another one). */
  named: boolean
}

/** How far the server's clock may be from ours when telling which job answered a lost request. */
const CLOCK_MARGIN_MS = 120_000

function classOf(command: string): string {
  const name = JOB_CLASSES[command]
  if (!name) throw new MoldctlError(`no job class is known for ${command}`)
  return name
}

/**
 * The command's jobs on the server that are on the target's resource (or name no resource),
 * oldest first. Jobs this client submitted itself are left out.
 */
export async function listJobsOf(client: MoldClient, target: JobTarget): Promise<FoundJob[]> {
  const name = classOf(target.command)
  // No startdate bound: a job can stay pending longer than job.cancel.threshold.minutes, which
  // only fails jobs blocked in a sync queue for that long (AsyncJobManagerImpl's GC task,
  // getBlockedQueueItems); the only age limit of an unfinished job is job.expire.minutes, the
  // same as finished jobs are kept (getExpiredUnfinishedJobs / getExpiredCompletedJobs with one
  // cutTime), so every job of the class is listed.
  const params: Params = {keyword: name, listall: true}
  const jobs = await client.list<AsyncJob>('listAsyncJobs', params, {itemKey: 'asyncjobs'})
  const own = new Set(client.submittedJobs)
  const wanted = target.instanceId?.toLowerCase()
  const found: FoundJob[] = []
  for (const job of jobs) {
    if (own.has(job.jobid)) continue
    if (job.cmd !== name && !job.cmd?.endsWith(`.${name}`)) continue
    const instance = job.jobinstanceid?.toLowerCase()
    if (wanted !== undefined && instance !== undefined && instance !== wanted) continue
    found.push({job, named: instance !== undefined})
  }

  return found
}

/**
 * The command's jobs on the target, or undefined (with a warning through `warn`) when the server
 * answers the listing with an error (no permission, no such command, a failure of its own): the
 * look-up is a precaution, so the caller goes on. A server that cannot be reached (after the
 * read retries) is an error: nothing has been sent then.
 */
async function listOrWarn(
  client: MoldClient,
  target: JobTarget,
  warn?: (line: string) => void,
): Promise<FoundJob[] | undefined> {
  try {
    return await listJobsOf(client, target)
  } catch (error) {
    if (error instanceof ApiError) {
      warn?.(`cannot look for ${target.command} jobs already running (listAsyncJobs: ${error.errortext})`)
      return undefined
    }

    throw error
  }
}

/** A pending job of the command on the target (one naming the resource first, else one naming none). */
export async function findPendingJob(
  client: MoldClient,
  target: JobTarget,
  warn?: (line: string) => void,
): Promise<FoundJob | undefined> {
  const jobs = await listOrWarn(client, target, warn)
  const pending = (jobs ?? []).filter((j) => j.job.jobstatus === JobStatus.InProgress)
  return pending.find((j) => j.named) ?? pending[0]
}

/** The command's pending jobs by the resource they name (one listing for a whole batch). */
export async function pendingJobsByInstance(
  client: MoldClient,
  command: string,
  warn?: (line: string) => void,
): Promise<Map<string, FoundJob>> {
  const jobs = (await listOrWarn(client, {command}, warn)) ?? []
  const byInstance = new Map<string, FoundJob>()
  for (const found of jobs) {
    const id = found.job.jobinstanceid?.toLowerCase()
    if (found.job.jobstatus === JobStatus.InProgress && id !== undefined) byInstance.set(id, found)
  }

  return byInstance
}

/** "a prepareHostForMaintenance job for kvm-host-01 is already running (job ID)". */
export function describeRunningJob(target: JobTarget, found: FoundJob): string {
  const on = target.label ? ` for ${target.label}` : ''
  const unnamed = found.named ? '' : ' (the server does not say for what)'
  return `a ${target.command} job${found.named ? on : ''} is already running (job ${found.job.jobid})${unnamed}`
}

/**
 * After a submission's answer was lost: the job the server made for it, if one can be told — a
 * pending one on the resource, else one created since the submission (give or take the clocks'
 * difference). Undefined when none is found or the jobs cannot be listed.
 */
export async function findJobOfLostAnswer(
  client: MoldClient,
  target: JobTarget,
  sentAtMs: number,
): Promise<FoundJob | undefined> {
  let jobs: FoundJob[]
  try {
    jobs = await listJobsOf(client, target)
  } catch {
    return undefined
  }

  const candidates = jobs.filter((j) => target.instanceId === undefined || j.named)
  const pending = candidates.filter((j) => j.job.jobstatus === JobStatus.InProgress)
  if (pending.length > 0) return pending.at(-1)
  const recent = candidates.filter((j) => {
    const created = j.job.created === undefined ? Number.NaN : Date.parse(j.job.created)
    return created >= sentAtMs - CLOCK_MARGIN_MS
  })
  return recent.at(-1)
}

export interface SubmitOnceOptions {
  command: string
  /** Where the messages go (stderr). */
  note: (line: string) => void
  /**
   * What to do with a pending job that names no resource (it may be for another one): `adopt`
   * waits for it instead of submitting, `wait-first` waits for it and then submits.
   */
  onUnnamed?: 'adopt' | 'wait-first'
  params: Params
  target: JobTarget
  /** Used for the wait of `wait-first`. */
  wait?: WaitOptions
}

export interface SubmitOnceResult {
  /** Set when the job was not submitted here: already running, or found after a lost answer. */
  adopted?: 'lost-answer' | 'pending'
  jobid: string
}

/**
 * Submits an async command unless a job of the same command on the same resource is already
 * pending (then that job is waited for instead, saying so); when the submission's answer is lost
 * (OutcomeUnknownError), looks for the job the server made and takes it, or rethrows with the hint.
 */
export async function submitOnce(client: MoldClient, opts: SubmitOnceOptions): Promise<SubmitOnceResult> {
  const {command, note, target} = opts
  const pending = await findPendingJob(client, target, note)
  if (pending && (pending.named || (opts.onUnnamed ?? 'adopt') === 'adopt')) {
    note(`${describeRunningJob(target, pending)}; waiting for it`)
    return {adopted: 'pending', jobid: pending.job.jobid}
  }

  if (pending) {
    note(`${describeRunningJob(target, pending)}; waiting for it before submitting`)
    await client.waitForJob(pending.job.jobid, {...opts.wait, command}).catch((error: unknown) => {
      // Its failure is its own: this submission goes ahead.
      if (error instanceof JobFailedError) return {}
      throw error
    })
  }

  const sentAt = Date.now()
  try {
    return await client.submitJob(command, opts.params)
  } catch (error) {
    if (!(error instanceof OutcomeUnknownError)) throw error
    const found = await findJobOfLostAnswer(client, target, sentAt)
    if (!found) throw error
    const on = target.label ? ` for ${target.label}` : ''
    note(
      `the answer to ${command}${on} was lost (${error.code ?? 'connection lost'}), but the server has its job ${found.job.jobid}; waiting for it`,
    )
    return {adopted: 'lost-answer', jobid: found.job.jobid}
  }
}
