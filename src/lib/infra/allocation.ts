import type {MoldClient} from '../api/client.js'
import type {ApiObject, Params} from '../api/types.js'
import type {Ui} from '../core/ui.js'

import {fetchHosts, fetchVms} from '../api/fetch.js'
import {type Entity, resolveEntity} from './resolve.js'

/*
 * `zone|pod|cluster enable|disable`: no new allocations go to a disabled zone, pod or cluster
 * until it is enabled again (admin guide, "Disabling and enabling zones, pods and clusters");
 * what already runs there keeps running. updateZone/updatePod/updateCluster take
 * allocationstate Enabled|Disabled (unlike updateHost's Enable|Disable).
 */

export type GroupingKind = 'cluster' | 'pod' | 'zone'
export type AllocationState = 'Disabled' | 'Enabled'

const UPDATE_COMMAND: Record<GroupingKind, string> = {
  cluster: 'updateCluster',
  pod: 'updatePod',
  zone: 'updateZone',
}
const SCOPE_PARAM: Record<GroupingKind, string> = {cluster: 'clusterid', pod: 'podid', zone: 'zoneid'}

export interface PlannedCall {
  command: string
  params: Params
}

/** What a command's --dry-run returns under --json: the calls it would make. */
export interface DryRunResult {
  calls: PlannedCall[]
  dryrun?: true
}

export interface Impact {
  hosts: number
  runningVms: number
  upHosts: number
}

export interface AllocationChange {
  call: PlannedCall
  entity: Entity
  /** Filled when disabling: what stops receiving new allocations. */
  impact?: Impact
  kind: GroupingKind
  target: AllocationState
  /** True when the entity is already in the target state (no call needed). */
  unchanged: boolean
}

/** Resolves the zone, pod or cluster and works out the call, reading what a disable affects. */
export async function planAllocationChange(
  client: MoldClient,
  kind: GroupingKind,
  ref: string,
  target: AllocationState,
): Promise<AllocationChange> {
  const entity = await resolveEntity(client, kind, ref)
  const change: AllocationChange = {
    call: {command: UPDATE_COMMAND[kind], params: {allocationstate: target, id: entity.id}},
    entity,
    kind,
    target,
    unchanged: entity.allocationstate === target,
  }
  if (target === 'Disabled' && !change.unchanged) change.impact = await readImpact(client, kind, entity)
  return change
}

async function readImpact(client: MoldClient, kind: GroupingKind, entity: Entity): Promise<Impact> {
  const zoneId = kind === 'zone' ? entity.id : String(entity.zoneid)
  const [hosts, vms] = await Promise.all([
    fetchHosts(client, {[SCOPE_PARAM[kind]]: entity.id, type: 'Routing'}),
    fetchVms(client, {listall: true, state: 'Running', zoneid: zoneId}),
  ])
  const hostIds = new Set(hosts.map((h) => String(h.id)))
  return {
    hosts: hosts.length,
    runningVms: vms.filter((vm) => hostIds.has(String(vm.hostid))).length,
    upHosts: hosts.filter((h) => h.state === 'Up').length,
  }
}

/** The lines shown before a disable is confirmed. */
export function describeImpact(change: AllocationChange): string[] {
  const {entity, impact, kind} = change
  const lines = [
    `Disabling ${kind} ${entity.name} stops new VMs, and VMs migrated by maintenance, from going to it.`,
  ]
  if (impact) {
    lines.push(
      `Affected: ${impact.hosts} host(s) (${impact.upHosts} Up) and ${impact.runningVms} running VM(s); the VMs keep running.`,
    )
  }

  return lines
}

/** "updateCluster id=… allocationstate=Disabled": a call as --dry-run prints it. */
export function formatCall(call: PlannedCall): string {
  const params = Object.entries(call.params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
  return [call.command, ...params].join(' ')
}

/** Makes the call; returns the updated zone, pod or cluster. */
export async function applyAllocationChange(
  client: MoldClient,
  change: AllocationChange,
): Promise<ApiObject> {
  const answer = await client.request(change.call.command, change.call.params, {expect: change.kind})
  return answer[change.kind] as ApiObject
}

export type AllocationResult =
  | {calls: PlannedCall[]; dryRun: true; entity: ApiObject}
  | {changed: false; entity: ApiObject; reason: 'already' | 'declined'}
  | {changed: true; entity: ApiObject}

/** The whole enable/disable flow: no-op when already there, impact and confirmation for a disable, --dry-run. */
export async function runAllocationChange(
  client: MoldClient,
  request: {dryRun: boolean; kind: GroupingKind; ref: string; target: AllocationState},
  ui: Ui,
): Promise<AllocationResult> {
  const {dryRun, kind, ref, target} = request
  const change = await planAllocationChange(client, kind, ref, target)
  if (change.unchanged) {
    ui.note(`${kind} ${change.entity.name} is already ${target}; nothing to do`)
    return {changed: false, entity: change.entity, reason: 'already'}
  }

  if (target === 'Disabled') for (const line of describeImpact(change)) ui.note(line)
  if (dryRun) {
    ui.note(`would call: ${formatCall(change.call)}`)
    return {calls: [change.call], dryRun: true, entity: change.entity}
  }

  if (target === 'Disabled' && !(await ui.confirm(`Disable ${kind} ${change.entity.name}?`))) {
    ui.note('nothing was changed')
    return {changed: false, entity: change.entity, reason: 'declined'}
  }

  const entity = await applyAllocationChange(client, change)
  ui.note(`${kind} ${change.entity.name} is now ${String(entity.allocationstate ?? target)}`)
  return {changed: true, entity}
}
