import type {JobRecord, SimModel} from '../state/model.js'

import {
  type ApiBody,
  type Caller,
  type JobScope,
  type JobSubmission,
  type RegisteredApi,
  SimApiError,
} from '../catalog/registry.js'
import {formatApiDate} from '../state/format.js'
import {ClockClosedError, type SimClock} from './clock.js'

/*
 * The async job engine. A handler validates synchronously, then calls ctx.jobs.submit(): the
 * client gets `{jobid}` at once and the work runs on the simulated clock. queryAsyncJobResult and
 * listAsyncJobs read the job records kept in the model.
 */

export interface JobEngineOptions {
  /** Injected failure for a job of this command (fault injection), if any. */
  jobFault?: (command: string) => SimApiError | undefined
  /** Called after a job settles (used to persist state). */
  onSettled?: () => void
  /** Simulated delay between queueing and running a job (the job queue's pickup time). */
  startDelayMs?: number
}

/** Text of jobs found unfinished when the simulator starts from a saved state. */
export const INTERRUPTED_JOB_TEXT = 'job cancelled because of management server restart or shutdown'

/** The AsyncJobResponse fields of a job (queryAsyncJobResult, listAsyncJobs). */
export function jobResponse(model: SimModel, job: JobRecord): Record<string, unknown> {
  const account = model.accounts.get(job.accountId)
  const domain = account ? model.domains.get(account.domainId) : undefined
  const finished = job.status !== 0
  return {
    accountid: job.accountId,
    account: account?.name,
    domainid: domain?.id,
    domainpath: domain?.path,
    userid: job.userId,
    cmd: job.cmd,
    jobstatus: job.status,
    jobprocstatus: 0,
    jobresultcode: job.resultCode,
    jobresulttype: finished ? 'object' : undefined,
    jobresult: finished ? job.result : undefined,
    // AsyncJobJoinDaoImpl.newAsyncJobResponse names the instance only when the job has both a
    // type and an id (commands whose getApiResourceId() is null, e.g. updatePhysicalNetwork or
    // provisionCertificate, show neither).
    jobinstancetype:
      job.instanceType !== undefined && job.instanceId !== undefined ? job.instanceType : undefined,
    jobinstanceid:
      job.instanceType !== undefined && job.instanceId !== undefined ? job.instanceId : undefined,
    managementserverid: model.state.managementServer.id,
    managementservername: model.state.managementServer.name,
    created: job.created,
    completed: job.completed,
    jobid: job.jobid,
  }
}

export class JobEngine {
  private readonly clock: SimClock
  private readonly model: SimModel
  private readonly options: JobEngineOptions
  private readonly running = new Set<Promise<void>>()
  private stuck = false
  private readonly stuckWaiters: Array<() => void> = []

  constructor(model: SimModel, clock: SimClock, options: JobEngineOptions = {}) {
    this.model = model
    this.clock = clock
    this.options = options
  }

  /** Stops waiting jobs (call after closing the clock). */
  close(): void {
    for (const release of this.stuckWaiters.splice(0)) release()
  }

  /** Resolves once no job is running (jobs held by the stuck fault count as running). */
  async idle(): Promise<void> {
    while (this.running.size > 0) {
      // Jobs may start other jobs while we wait, so look again after each round.
      // eslint-disable-next-line no-await-in-loop
      await Promise.allSettled(this.running)
    }
  }

  scope(api: RegisteredApi, caller: Caller): JobScope {
    return {
      submit: (submission) => this.submit(api, caller, submission),
      submitFor: (instanceType, target, run) =>
        this.submit(api, caller, {instanceId: target.id, instanceType, run: () => run(target)}),
    }
  }

  /** The AsyncJobResponse fields of a job. */
  serialize(job: JobRecord): Record<string, unknown> {
    return jobResponse(this.model, job)
  }

  /** While set, jobs wait before running; clearing it lets them continue. */
  setStuck(stuck: boolean): void {
    this.stuck = stuck
    if (!stuck) for (const release of this.stuckWaiters.splice(0)) release()
  }

  private async execute(job: JobRecord, submission: JobSubmission): Promise<void> {
    try {
      await this.clock.sleep(this.options.startDelayMs ?? 500)
      if (this.stuck)
        await new Promise<void>((resolve) => {
          this.stuckWaiters.push(resolve)
        })
      if (this.clock.isClosed) return
      const injected = this.options.jobFault?.(job.command)
      if (injected) throw injected
      const result = await submission.run(job)
      this.finish(job, 1, 0, result)
    } catch (error) {
      if (error instanceof ClockClosedError) return
      if (error instanceof SimApiError) {
        this.finish(job, 2, error.errorcode, {errorcode: error.errorcode, errortext: error.errortext})
      } else {
        const text = error instanceof Error ? error.message : String(error)
        this.finish(job, 2, 530, {errorcode: 530, errortext: text})
      }
    }
  }

  private finish(job: JobRecord, status: 1 | 2, resultCode: number, result: ApiBody): void {
    if (this.clock.isClosed) return
    job.status = status
    job.resultCode = resultCode
    job.result = result
    job.completed = formatApiDate(this.clock.now())
    this.options.onSettled?.()
  }

  private submit(api: RegisteredApi, caller: Caller, submission: JobSubmission): ApiBody {
    const job: JobRecord = {
      accountId: caller.account.id,
      cmd: api.javaClass,
      command: api.name,
      created: formatApiDate(this.clock.now()),
      instanceId: submission.instanceId,
      instanceType: submission.instanceType,
      jobid: this.model.newJobId(),
      resultCode: 0,
      status: 0,
      userId: caller.user.id,
    }
    this.model.state.jobs.push(job)
    this.model.jobs.set(job.jobid, job)
    const done = this.execute(job, submission).finally(() => this.running.delete(done))
    this.running.add(done)
    return submission.createdId ? {id: submission.createdId, jobid: job.jobid} : {jobid: job.jobid}
  }
}
