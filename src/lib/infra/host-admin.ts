import type {MoldClient} from '../api/client.js'
import type {Host} from '../api/models.js'
import type {ApiObject, Params} from '../api/types.js'

import {MoldctlError, UsageError} from '../core/errors.js'
import {listVmsOnHost} from '../maintenance/fetch.js'
import {type PlannedCall} from './allocation.js'
import {resolveEntity} from './resolve.js'
import {
  decideHostAllocation,
  decideRemove,
  type HostAllocationAction,
  type RemoveDecision,
} from './resource-state.js'

/*
 * `host enable|disable|reconnect|add|remove`: one call each, checked first against the
 * server's rules so that a refusal costs no mutating call.
 */

/** A host after reconnectHost: as the job answered, or as submitted (the job id) without waiting. */
export type ReconnectedHost = Host & {jobid: string}

export interface HostAllocationOutcome {
  changed: boolean
  host: Host
  message: string
}

/** updateHost allocationstate=Enable|Disable; a host already there is left alone. */
export async function setHostAllocation(
  client: MoldClient,
  ref: string,
  action: HostAllocationAction,
): Promise<HostAllocationOutcome> {
  const {call, host, message} = await planHostAllocation(client, ref, action)
  if (!call) return {changed: false, host, message: message!}
  const answer = await client.request(call.command, call.params, {expect: 'host'})
  const updated = answer.host as Host
  return {changed: true, host: updated, message: `${host.name} is now ${updated.resourcestate}`}
}

/** Reads the host and decides (refusals are usage errors); `call` is absent when nothing is to do. */
export async function planHostAllocation(
  client: MoldClient,
  ref: string,
  action: HostAllocationAction,
): Promise<{call?: PlannedCall; host: Host; message?: string}> {
  const host = await resolveEntity<Host>(client, 'host', ref)
  const decision = decideHostAllocation(host.name, host.resourcestate, action)
  if (decision.action === 'refuse') throw new UsageError(decision.reason)
  if (decision.action === 'none') return {host, message: decision.reason}
  return {call: {command: 'updateHost', params: {allocationstate: action, id: host.id}}, host}
}

export interface ReconnectOptions {
  signal?: AbortSignal
  timeoutMs?: number
  wait: boolean
}

/** reconnectHost (async): the management server drops and re-establishes the agent connection. */
export async function reconnectHost(
  client: MoldClient,
  ref: string,
  opts: ReconnectOptions,
): Promise<ReconnectedHost> {
  const host = await resolveEntity<Host>(client, 'host', ref)
  const {jobid} = await client.submitJob('reconnectHost', {id: host.id})
  if (!opts.wait) return {...host, jobid}
  const result = await client.waitForJob(jobid, {
    command: 'reconnectHost',
    expect: 'host',
    signal: opts.signal,
    timeoutMs: opts.timeoutMs,
  })
  return {...(result.host as Host), jobid}
}

export interface AddHostInput {
  cluster: string
  hypervisor?: string
  password?: string
  pod?: string
  tags?: string[]
  url: string
  username?: string
  zone?: string
}

export interface AddHostPlan {
  call: PlannedCall
  /** The hypervisor the host will have (given, or the cluster's). */
  hypervisor: string
  /** Whether a password must still be asked for (every hypervisor but VMware). */
  needsPassword: boolean
}

/** Resolves the cluster (and checks the zone and pod given agree with it) and builds the addHost call. */
export async function planAddHost(client: MoldClient, input: AddHostInput): Promise<AddHostPlan> {
  let url: URL
  try {
    url = new URL(input.url)
  } catch {
    throw new UsageError(`"${input.url}" is not a URL`, ['example: --url http://10.0.0.5'])
  }

  if (!url.hostname) throw new UsageError(`"${input.url}" names no host`, ['example: --url http://10.0.0.5'])
  const cluster = await resolveEntity(client, 'cluster', input.cluster)
  if (input.zone) {
    const zone = await resolveEntity(client, 'zone', input.zone)
    if (zone.id !== cluster.zoneid)
      throw new UsageError(`cluster ${cluster.name} is not in zone ${zone.name}`)
  }

  if (input.pod) {
    const pod = await resolveEntity(client, 'pod', input.pod)
    if (pod.id !== cluster.podid) throw new UsageError(`cluster ${cluster.name} is not in pod ${pod.name}`)
  }

  const hypervisor = input.hypervisor ?? String(cluster.hypervisortype ?? '')
  if (!hypervisor) throw new UsageError(`cluster ${cluster.name} reports no hypervisor; give --hypervisor`)
  if (
    input.hypervisor &&
    cluster.hypervisortype &&
    input.hypervisor.toLowerCase() !== String(cluster.hypervisortype).toLowerCase()
  ) {
    throw new UsageError(
      `cluster ${cluster.name} is a ${String(cluster.hypervisortype)} cluster, not ${input.hypervisor}`,
    )
  }

  const isVmware = hypervisor.toLowerCase() === 'vmware'
  if (!isVmware && !input.username) throw new UsageError(`a ${hypervisor} host needs --username`)
  const params: Params = {
    clusterid: cluster.id,
    hosttags: input.tags && input.tags.length > 0 ? input.tags : undefined,
    hypervisor,
    podid: String(cluster.podid),
    url: input.url,
    username: input.username,
    zoneid: String(cluster.zoneid),
  }
  return {call: {command: 'addHost', params}, hypervisor, needsPassword: !isVmware}
}

/** Sends addHost with the password (never printed); returns the new host. */
export async function addHost(
  client: MoldClient,
  plan: AddHostPlan,
  password: string | undefined,
): Promise<Host> {
  const answer = await client.request(plan.call.command, {...plan.call.params, password})
  const [host] = (answer.host as Host[] | undefined) ?? []
  if (!host) throw new MoldctlError('addHost answered without a host')
  return host
}

export interface RemovePlan {
  calls: PlannedCall[]
  decision: RemoveDecision
  host: Host
  /** VMs still on the host (a forced delete stops them or hands them to HA). */
  vms: ApiObject[]
}

/** Reads the host and decides: remove, drain first, or refuse (exit 2, no call). */
export async function planRemove(
  client: MoldClient,
  ref: string,
  opts: {drain: boolean; force: boolean},
): Promise<RemovePlan> {
  const host = await resolveEntity<Host>(client, 'host', ref)
  const decision = decideRemove(host.name, host.resourcestate, opts)
  if (decision.action === 'refuse') throw new UsageError(decision.reason)
  const vms = await listVmsOnHost(client, host.id)
  const calls: PlannedCall[] = []
  if (decision.action === 'drain-first')
    calls.push({command: 'prepareHostForMaintenance', params: {id: host.id}})
  calls.push({command: 'deleteHost', params: {forced: opts.force ? true : undefined, id: host.id}})
  return {calls, decision, host, vms}
}

export async function deleteHost(client: MoldClient, plan: RemovePlan): Promise<void> {
  const call = plan.calls.at(-1)!
  const answer = await client.request(call.command, call.params)
  if (answer.success === false)
    throw new MoldctlError(`deleteHost answered success=false for ${plan.host.name}`)
}
