import type {JobRecord} from '../state/model.js'

import {jobResponse} from '../behaviour/jobs.js'
import {
  accountParam,
  domainIdParam,
  LIST_ALL_PROJECT_TEXT,
  listAllParam,
  PAGING_PARAMS,
} from '../catalog/params.js'
import {defineApi, type RegisteredApi, responseFields, SimApiError} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'

/* queryAsyncJobResult and listAsyncJobs. */

/** Each job's `created` in ms, parsed once (a job's `created` never changes). */
const createdCache = new WeakMap<JobRecord, number>()

function createdMs(job: JobRecord): number {
  let ms = createdCache.get(job)
  if (ms === undefined) {
    ms = Date.parse(job.created)
    createdCache.set(job, ms)
  }

  return ms
}

/** How far each job list is known to be in `created` order (jobs are only ever appended). */
const sortedPrefix = new WeakMap<JobRecord[], number>()

/**
 * The index from which jobs may have been created at or after `since`: found by bisection over
 * the part of the list known to be in `created` order (checked once per job as jobs are added),
 * so that a listing of recent jobs costs what it returns, not every job kept.
 */
function firstCreatedSince(jobs: JobRecord[], since: number): number {
  let sorted = sortedPrefix.get(jobs) ?? 0
  while (sorted < jobs.length && (sorted === 0 || createdMs(jobs[sorted - 1]) <= createdMs(jobs[sorted])))
    sorted++
  sortedPrefix.set(jobs, sorted)
  // Out of order after `sorted` (a clock set back): the rest is scanned in full.
  let lo = 0
  let hi = sorted
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (createdMs(jobs[mid]) < since) lo = mid + 1
    else hi = mid
  }

  return lo
}

const JOB_FIELDS =
  'account:string accountid:string cmd:string completed:date created:date domainid:string domainpath:string jobid:string jobinstanceid:string jobinstancetype:string jobprocstatus:integer jobresult:responseobject jobresultcode:integer jobresulttype:string jobstatus:integer managementserverid:string userid:string'
const JOB_DESCRIPTIONS = {
  cmd: 'the async command executed',
  jobresult: 'the result reason',
  jobresultcode: 'the result code for the job',
  jobresulttype: 'the result type',
  jobstatus: 'the current job status-should be 0 for PENDING',
}

export const queryAsyncJobResultApi = defineApi({
  description: 'Retrieves the current status of asynchronous job.',
  handler({caller, model, params}) {
    const job = model.jobs.get(params.jobid)!
    if (caller.account.type !== 1 && job.accountId !== caller.account.id) {
      throw SimApiError.permissionDenied(
        `Account ${caller.account.name} does not have permission to access job ${job.jobid}`,
      )
    }

    return jobResponse(model, job)
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.user.job.QueryAsyncJobResultCmd',
  name: 'queryAsyncJobResult',
  params: [
    {
      description: 'the ID of the asynchronous job',
      entity: 'job',
      name: 'jobid',
      required: true,
      type: 'uuid',
    },
  ],
  response: responseFields('async job', JOB_FIELDS, {}, JOB_DESCRIPTIONS),
})

export const listAsyncJobsApi = defineApi({
  description: 'Lists all pending asynchronous jobs for the account.',
  handler({caller, model, paging, params}) {
    const account = params.account
      ? model.state.accounts.find(
          (a) =>
            a.name === params.account && (params.domainid === undefined || a.domainId === params.domainid),
        )
      : undefined
    const since = params.startdate?.getTime()
    const keyword = params.keyword?.toLowerCase()
    // In the order they were created (upstream: QueryManagerImpl.searchForAsyncJobs orders by id).
    const from = since === undefined ? 0 : firstCreatedSince(model.state.jobs, since)
    const jobs: JobRecord[] = []
    for (let i = from; i < model.state.jobs.length; i++) {
      const job = model.state.jobs[i]
      if (
        (params.listall || params.account ? true : job.accountId === caller.account.id) &&
        (!params.account || job.accountId === account?.id) &&
        (since === undefined || createdMs(job) >= since) &&
        (keyword === undefined || job.cmd.toLowerCase().includes(keyword))
      )
        jobs.push(job)
    }

    return listBody('asyncjobs', jobs, paging, (job) => jobResponse(model, job))
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.user.job.ListAsyncJobsCmd',
  name: 'listAsyncJobs',
  params: [
    accountParam('list resources by account. Must be used with the domainId parameter.'),
    domainIdParam('list only resources belonging to the domain specified'),
    listAllParam(LIST_ALL_PROJECT_TEXT),
    {
      description: "The start date of the async job (use format \"yyyy-MM-dd'T'HH:mm:ss'+'SSSS\")",
      name: 'startdate',
      type: 'date',
    },
    ...PAGING_PARAMS,
  ],
  response: responseFields('async job', JOB_FIELDS, {}, JOB_DESCRIPTIONS),
})

export const jobApis: RegisteredApi[] = [listAsyncJobsApi, queryAsyncJobResultApi]
