/**
 * Reads what a cluster's overprovisioning looks like (factors, hosts, running VMs) and turns it
 * into capacity figures, before and after a factor change. The arithmetic is in capacity-rules.ts and
 * rules.ts; this module only fetches and assembles.
 */
import type {MoldClient} from '../api/client.js'
import type {Cluster} from '../api/models.js'
import type {ApiObject} from '../api/types.js'

import {fetchVms} from '../api/fetch.js'
import {hostsOfCluster} from '../infra/list.js'
import {resolveEntity} from '../infra/resolve.js'
import {type CapacityFigures, type ResourceKind, sumFigures} from './capacity-rules.js'
import {kvmMemoryPrerequisites, overcommitWarnings} from './guide-warnings.js'
import {
  checkFactorForHypervisor,
  effectiveFactor,
  type EffectiveFactor,
  FACTOR_SETTING,
  type FactorChange,
  type FactorProjection,
  type GlobalFactor,
  projectFactorChange,
  readStoredFactor,
  type VmFactorView,
  vmFactorView,
  type VmKeepingOldFactor,
  vmsKeepingOldFactor,
} from './rules.js'

export const RESOURCES: readonly ResourceKind[] = ['cpu', 'memory']

export interface HostUsage {
  /** Allocated as the server reports it (MHz, bytes). */
  allocated: Record<ResourceKind, number>
  /** Physical capacity (MHz, bytes). */
  physical: Record<ResourceKind, number>
}

export interface ClusterState {
  cluster: Cluster
  factors: Record<ResourceKind, EffectiveFactor>
  figures: Record<ResourceKind, CapacityFigures>
  hostCount: number
  /** Running VMs started under another factor than the cluster's current one. */
  oldFactorVms: VmKeepingOldFactor[]
  vms: VmFactorView[]
}

/** A figure of a host record: absent is 0; present but no finite number (null included: servers omit empty fields) is NaN (shown as unknown, never 0). */
function num(value: unknown): number {
  if (value === undefined) return 0
  const n = value === null ? Number.NaN : Number(value)
  return Number.isFinite(n) ? n : Number.NaN
}

/** Physical and allocated capacity of one listHosts record. */
export function hostUsage(host: ApiObject): HostUsage {
  return {
    allocated: {
      cpu: num(host.cpuallocatedvalue),
      memory: num(host.memoryallocatedbytes ?? host.memoryallocated),
    },
    physical: {
      cpu: num(host.cpunumber) * num(host.cpuspeed),
      memory: num(host.memorytotal),
    },
  }
}

/** The global defaults of both factors (one listConfigurations call). */
export async function globalFactors(client: MoldClient): Promise<Record<ResourceKind, GlobalFactor>> {
  const settings = await client.list<{name: string; value?: string}>('listConfigurations', {
    name: 'overprovisioning.factor',
  })
  // An unset default is 1; an odd stored one is kept as stored (see readStoredFactor).
  const value = (name: string): GlobalFactor =>
    readStoredFactor(settings.find((s) => s.name === name)?.value) ?? {value: 1}

  return {cpu: value(FACTOR_SETTING.cpu), memory: value(FACTOR_SETTING.memory)}
}

/** Factors, capacity and running VMs of one cluster. */
export async function clusterState(
  client: MoldClient,
  cluster: Cluster,
  globals: Record<ResourceKind, GlobalFactor>,
): Promise<ClusterState> {
  const [hosts, apiVms] = await Promise.all([
    hostsOfCluster(client, cluster.id),
    fetchVms(client, {clusterid: cluster.id, details: 'all', listall: true}),
  ])
  const usages = hosts.map((h) => hostUsage(h))
  const factors = {
    cpu: effectiveFactor(cluster, 'cpu', globals.cpu),
    memory: effectiveFactor(cluster, 'memory', globals.memory),
  }
  const figures = {} as Record<ResourceKind, CapacityFigures>
  for (const kind of RESOURCES) {
    figures[kind] = sumFigures(
      usages.map((u) => ({allocated: u.allocated[kind], physical: u.physical[kind]})),
      factors[kind].value,
    )
  }

  const vms = apiVms.map((vm) => vmFactorView(vm))
  return {
    cluster,
    factors,
    figures,
    hostCount: hosts.length,
    oldFactorVms: vmsKeepingOldFactor(vms, {cpu: factors.cpu.value, memory: factors.memory.value}),
    vms,
  }
}

export interface FactorChangePlan {
  change: FactorChange
  projections: FactorProjection[]
  /** Running VMs that keep their current factor until stopped and started. */
  vmsKeepingOldFactor: VmKeepingOldFactor[]
}

/** What the change does to capacity, per changed resource, and which VMs lag behind. */
export function planFactorChange(state: ClusterState, change: FactorChange): FactorChangePlan {
  const projections: FactorProjection[] = []
  for (const kind of RESOURCES) {
    const newFactor = change[kind]
    if (newFactor === undefined) continue
    projections.push(
      projectFactorChange({
        allocatedNow: state.figures[kind].allocated,
        kind,
        newFactor,
        oldFactor: state.factors[kind].value,
        physical: state.figures[kind].physical,
        vms: state.vms,
      }),
    )
  }

  return {change, projections, vmsKeepingOldFactor: vmsKeepingOldFactor(state.vms, change)}
}

/** The updateConfiguration calls for a change, in a fixed order (cpu, then memory). */
export function factorChangeCalls(
  clusterId: string,
  change: FactorChange,
): Array<{command: 'updateConfiguration'; params: {clusterid: string; name: string; value: string}}> {
  return RESOURCES.filter((kind) => change[kind] !== undefined).map((kind) => ({
    command: 'updateConfiguration' as const,
    params: {clusterid: clusterId, name: FACTOR_SETTING[kind], value: String(change[kind])},
  }))
}

export type FactorChangeCall = ReturnType<typeof factorChangeCalls>[number]

/** What `cluster overprovision set` works from: the cluster now, the plan, and the calls to make. */
export interface FactorChangeReport {
  calls: FactorChangeCall[]
  plan: FactorChangePlan
  state: ClusterState
  /** Limits that `force` overrode. */
  warnings: string[]
}

/**
 * Resolves the cluster, checks the factors against its hypervisor (refused before its capacity
 * is read) and plans the change. Nothing is changed.
 */
export async function prepareFactorChange(
  client: MoldClient,
  clusterRef: string,
  opts: {change: FactorChange; force: boolean},
): Promise<FactorChangeReport> {
  const cluster = await resolveEntity<Cluster>(client, 'cluster', clusterRef)
  const warnings: string[] = []
  for (const [kind, factor] of Object.entries(opts.change)) {
    const check = {clusterName: cluster.name, flag: `--${kind}`, force: opts.force}
    const warning = checkFactorForHypervisor(factor, cluster.hypervisortype, check)
    if (warning) warnings.push(warning)
  }

  const state = await clusterState(client, cluster, await globalFactors(client))
  const plan = planFactorChange(state, opts.change)
  warnings.push(
    ...overcommitWarnings(plan, cluster.name),
    ...kvmMemoryPrerequisites(cluster.hypervisortype, opts.change.memory),
  )
  return {calls: factorChangeCalls(cluster.id, opts.change), plan, state, warnings}
}

/** Sets the factors: the planned updateConfiguration calls, one after another. */
export async function applyFactorChange(client: MoldClient, report: FactorChangeReport): Promise<void> {
  // eslint-disable-next-line no-await-in-loop -- in order: cpu, then memory
  for (const call of report.calls) await client.request(call.command, call.params)
}
