import type {MoldClient} from '../api/client.js'
import type {ProgressSink, Ui} from '../core/ui.js'

import {fetchHosts} from '../api/fetch.js'
import {submitOnce} from '../api/pending-jobs.js'
import {
  ApiError,
  ConfigError,
  ExitCode,
  InterruptedError,
  JobFailedError,
  MoldctlError,
  OutcomeUnknownError,
  PartialFailureError,
  UsageError,
  WaitTimeoutError,
} from '../core/errors.js'
import {hostsOfCluster} from '../infra/list.js'
import {type Entity, resolveEntities, resolveEntity} from '../infra/resolve.js'

/*
 * The CA framework: provisioning certificates to KVM hosts (provisionCertificate, which restarts
 * the agent and libvirtd on each host), and reading the CA certificate.
 */

/** `unknown`: the answer was lost after the request was sent and its job could not be found. */
export type ProvisionOutcome = 'failed' | 'interrupted' | 'ok' | 'skipped' | 'timeout' | 'unknown'

/** One host's line of the summary (also the --json output). */
export interface ProvisionResult {
  detail: string
  hostid: string
  ipaddress: string
  jobid?: string
  name: string
  result: ProvisionOutcome
  /** The host's `secured` detail as listHosts shows it afterwards. */
  secured?: string
}

export interface ProvisionPlan {
  /** Hosts that cannot be provisioned now (agent not connected), with the reason. */
  skipped: ProvisionResult[]
  targets: Entity[]
}

const AGENT_SETUP_FAILED =
  'the agent could not set up its keystore or import the certificate (see /var/log/cloudstack/agent/agent.log on the host)'

/**
 * The hosts to provision: named hosts, or every host of a cluster. Only KVM hosts take
 * certificates; naming any other host is a usage error before anything changes. Hosts whose
 * agent is not connected (state other than Up) are set aside as skipped.
 */
export async function planProvisioning(
  client: MoldClient,
  opts: {cluster?: string; hosts: string[]},
): Promise<ProvisionPlan> {
  if (opts.cluster && opts.hosts.length > 0) throw new UsageError('give hosts or --cluster, not both')
  if (!opts.cluster && opts.hosts.length === 0) {
    throw new UsageError('no host given', ['name one or more hosts, or a cluster with --cluster'])
  }

  let hosts: Entity[]
  if (opts.cluster) {
    const cluster = await resolveEntity(client, 'cluster', opts.cluster)
    if (cluster.hypervisortype !== undefined && cluster.hypervisortype !== 'KVM') {
      throw new UsageError(
        `cluster ${cluster.name} is ${String(cluster.hypervisortype)}: the CA framework provisions certificates to KVM hosts only`,
      )
    }

    hosts = await hostsOfCluster(client, cluster.id)
    if (hosts.length === 0) throw new UsageError(`cluster ${cluster.name} has no hosts`)
  } else {
    hosts = await resolveEntities(client, 'host', opts.hosts)
  }

  const notKvm = hosts.filter((h) => h.hypervisor !== 'KVM')
  if (notKvm.length > 0) {
    throw new UsageError(
      'the CA framework provisions certificates to KVM hosts only; not KVM:',
      notKvm.map((h) => `${h.name} (${String(h.hypervisor)})`),
    )
  }

  const skipped: ProvisionResult[] = hosts
    .filter((h) => h.state !== 'Up')
    .map((h) => ({
      detail: `the agent is ${String(h.state)}; provisioning needs a connected (Up) agent`,
      hostid: h.id,
      ipaddress: String(h.ipaddress ?? ''),
      name: h.name,
      result: 'skipped',
    }))
  return {skipped, targets: hosts.filter((h) => h.state === 'Up')}
}

/** One provisionCertificate call of a plan (a row of the --dry-run --json output). */
export interface PlannedProvisionCall {
  command: string
  host: string
  hostid: string
  reconnect?: boolean
}

/** The provisionCertificate calls a plan makes (what --dry-run shows). */
export function plannedCalls(plan: ProvisionPlan, reconnect: boolean | undefined): PlannedProvisionCall[] {
  return plan.targets.map((h) => ({command: 'provisionCertificate', hostid: h.id, reconnect, host: h.name}))
}

export function describeCall(call: PlannedProvisionCall): string {
  const reconnect = call.reconnect === undefined ? '' : ` reconnect=${call.reconnect}`
  return `${call.command} hostid=${call.hostid}${reconnect}  # ${call.host}`
}

export interface ProvisionOptions {
  concurrency: number
  /** Sent as `reconnect` when given; the server's default otherwise. */
  reconnect?: boolean
  /** How long to wait for each host's job. */
  timeoutMs: number
}

/**
 * provisionCertificate for every target, at most `concurrency` at a time, each job waited for.
 * Never throws for one host's failure: every host gets a result line. After Ctrl-C no new host
 * is started and the running ones are reported `interrupted` with their job ids.
 */
export async function provisionCertificates(
  client: MoldClient,
  targets: Entity[],
  opts: ProvisionOptions,
  ui: Ui,
): Promise<ProvisionResult[]> {
  const {default: pLimit} = await import('p-limit')
  const limit = pLimit(Math.max(1, opts.concurrency))
  const lines = await ui.progress()
  const run = {...opts, lines, signal: ui.signal}
  const results = await Promise.all(targets.map((host) => limit(() => provisionOne(client, host, run))))
  lines.done()
  return results
}

async function provisionOne(
  client: MoldClient,
  host: Entity,
  opts: ProvisionOptions & {lines: ProgressSink; signal: AbortSignal},
): Promise<ProvisionResult> {
  const line: ProvisionResult = {
    detail: '',
    hostid: host.id,
    ipaddress: String(host.ipaddress ?? ''),
    name: host.name,
    result: 'failed',
  }
  const progress = (text: string) => opts.lines.set(host.id, `${host.name}: ${text}`)
  if (opts.signal?.aborted) {
    progress('not started (interrupted)')
    return {...line, detail: 'not started: interrupted', result: 'interrupted'}
  }

  try {
    progress('provisioning: keystore, certificate, agent and libvirtd restart')
    // A provisioning already pending for the host is waited for instead of sending another; a
    // pending one that names no host (upstream's ProvisionCertificateCmd gives no resource id)
    // is waited for first, then the host is provisioned.
    const {jobid} = await submitOnce(client, {
      command: 'provisionCertificate',
      note: (text) => opts.lines.note(text),
      onUnnamed: 'wait-first',
      params: {hostid: host.id, reconnect: opts.reconnect},
      target: {command: 'provisionCertificate', instanceId: host.id, label: host.name},
      wait: {signal: opts.signal, timeoutMs: opts.timeoutMs},
    })
    line.jobid = jobid
    const answer = await client.waitForJob(jobid, {
      command: 'provisionCertificate',
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
    })
    if (answer.success === false) {
      progress('failed')
      return {...line, detail: AGENT_SETUP_FAILED}
    }

    line.secured = await securedDetail(client, host.id)
    progress('done')
    return {...line, detail: 'provisioned', result: 'ok'}
  } catch (error) {
    const outcome = failureOf(error)
    progress(outcome.result)
    return {...line, ...outcome}
  }
}

/** The host's `secured` detail after provisioning (empty when it cannot be read). */
async function securedDetail(client: MoldClient, hostid: string): Promise<string | undefined> {
  try {
    const [host] = await fetchHosts(client, {id: hostid, type: 'Routing'})
    const details = host?.details as Record<string, string> | undefined
    return details?.secured
  } catch {
    return undefined
  }
}

function failureOf(error: unknown): Pick<ProvisionResult, 'detail' | 'result'> {
  if (error instanceof OutcomeUnknownError)
    return {
      detail: `the answer was lost after sending (${error.code ?? 'connection lost'}); check before repeating (moldctl job list --pending)`,
      result: 'unknown',
    }
  if (error instanceof JobFailedError) return {detail: error.errortext, result: 'failed'}
  if (error instanceof WaitTimeoutError) return {detail: 'still running on the server', result: 'timeout'}
  if (error instanceof InterruptedError)
    return {detail: 'stopped waiting; the job goes on', result: 'interrupted'}
  if (error instanceof ApiError) return {detail: error.errortext, result: 'failed'}
  if (error instanceof ConfigError) throw error
  return {detail: (error as Error).message, result: 'failed'}
}

/**
 * The error a provisioning run ends with, if any: interrupted (exit 130, with the jobs to
 * watch), only timeouts (exit 5), every host failed (exit 1), some failed (exit 4).
 */
export function provisioningError(results: ProvisionResult[]): MoldctlError | undefined {
  const running = results.filter((r) => (r.result === 'interrupted' || r.result === 'timeout') && r.jobid)
  if (results.some((r) => r.result === 'interrupted')) {
    const error = new InterruptedError('stopped; the jobs already submitted go on on the server')
    error.suggestions.push(...running.map((r) => `${r.name}: moldctl job wait ${r.jobid}`))
    return error
  }

  const bad = results.filter((r) => r.result !== 'ok')
  if (bad.length === 0) return undefined
  const names = bad.map((r) => r.name).join(', ')
  if (bad.every((r) => r.result === 'unknown')) {
    return new MoldctlError(
      `the outcome of provisioning ${names} is unknown: the answer was lost after sending`,
      {
        exitCode: ExitCode.Unknown,
        suggestions: [
          'check before repeating: moldctl job list --pending, moldctl host list (the secured detail)',
        ],
      },
    )
  }

  const watch = running.map((r) => `${r.name}: moldctl job wait ${r.jobid}`)
  if (bad.every((r) => r.result === 'timeout')) {
    const timedOut = new WaitTimeoutError(`timed out waiting for ${names}; the jobs may still be running`)
    timedOut.suggestions.push(...watch)
    return timedOut
  }

  if (bad.length === results.length) {
    return new MoldctlError(`no certificate was provisioned (${names})`, {suggestions: watch})
  }

  const partial = new PartialFailureError(
    `${bad.length} of ${results.length} hosts were not provisioned: ${names}`,
  )
  partial.suggestions.push(...watch)
  return partial
}
