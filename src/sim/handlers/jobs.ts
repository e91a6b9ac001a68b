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
    const jobs = model.state.jobs.filter(
      (job) =>
        (params.listall || params.account ? true : job.accountId === caller.account.id) &&
        (!params.account || job.accountId === account?.id) &&
        (since === undefined || Date.parse(job.created) >= since) &&
        (keyword === undefined || job.cmd.toLowerCase().includes(keyword)),
    )
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
