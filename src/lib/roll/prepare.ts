import type {MoldClient} from '../api/client.js'
import type {Host} from '../api/models.js'

import {fetchVms} from '../api/fetch.js'
import {UsageError} from '../core/errors.js'
import {hostsOfCluster} from '../infra/list.js'
import {resolveEntities} from '../infra/resolve.js'
import {MAINTENANCE_FAMILY} from '../infra/resource-state.js'
import {checkClusterCapacity} from '../maintenance/capacity-check.js'
import {explainDrainCapacity} from '../maintenance/capacity-rules.js'
import {quoteArg} from '../maintenance/plan.js'
import {matchesHost, orderHosts, type RollCandidate, type RollOrder, substituteCommand} from './plan.js'
import {type HostRun, newRunId, type RollOptions, type RollState} from './state.js'

/*
 * Before a roll changes anything: the clusters and their hosts, in order, with a capacity check
 * for each host on its own (the other hosts of its cluster must be able to take its running
 * VMs) and the exact command it will get. A refusal here is exit 2, nothing changed.
 */

export interface PlannedRollHost extends RollCandidate {
  /** Empty when the host can be drained; otherwise why not. */
  capacity: string[]
  command: string
  /** Its VMs' new hosts when it drains, e.g. "web-01 → kvm-host-02". */
  placements: string[]
}

export interface RollPlan {
  clusters: {hosts: PlannedRollHost[]; id: string; name: string}[]
  /** Hosts left out, with the reason (--skip). */
  left: {name: string; reason: string}[]
  /** Why the roll cannot start (each line a host or a cluster). */
  refusals: string[]
}

export function reportedVersion(host: Host): string | undefined {
  const details = host.details as Record<string, string> | undefined
  const version = host.hypervisorversion ?? details?.['Host.OS.Kernel.Version']
  return version === undefined || version === '' ? undefined : String(version)
}

/** Why a host cannot start its roll now (undefined: it can). */
export function hostRefusal(host: Host, clusterHosts: Host[]): string | undefined {
  if (host.state !== 'Up') return `${host.name} is ${host.state}; a roll starts only with hosts that are Up`
  if (host.resourcestate !== 'Enabled')
    return `${host.name} is ${host.resourcestate}; a roll starts only with Enabled hosts (leave it out with --skip ${quoteArg(host.name)})`
  const busy = clusterHosts.find((h) => h.id !== host.id && MAINTENANCE_FAMILY.includes(h.resourcestate))
  if (busy)
    return `${busy.name} of cluster ${busy.clustername} is in ${busy.resourcestate}: a roll takes one host of a cluster at a time (cancel that maintenance first)`
  return undefined
}

export async function planRoll(
  client: MoldClient,
  clusterRefs: string[],
  opts: {exec: string; order: RollOrder; skip: string[]},
): Promise<RollPlan> {
  const clusters = await resolveEntities(client, 'cluster', clusterRefs)
  const plan: RollPlan = {clusters: [], left: [], refusals: []}
  const seenSkips = new Set<string>()
  for (const cluster of clusters) {
    // eslint-disable-next-line no-await-in-loop
    const [hosts, vms] = await Promise.all([
      hostsOfCluster(client, cluster.id),
      fetchVms(client, {clusterid: cluster.id, listall: true}),
    ])
    const candidates: RollCandidate[] = []
    for (const host of hosts) {
      const facts = {
        cluster: String(host.clustername ?? cluster.name),
        clusterId: cluster.id,
        hypervisor: host.hypervisor,
        id: host.id,
        ip: String(host.ipaddress ?? ''),
        name: host.name,
      }
      const skip = opts.skip.find((ref) => matchesHost(ref, facts))
      if (skip !== undefined) {
        seenSkips.add(skip)
        plan.left.push({name: host.name, reason: '--skip'})
        continue
      }

      const vmCount = vms.filter((vm) => vm.hostid === host.id && vm.state === 'Running').length
      candidates.push({...facts, vmCount})
    }

    const ordered = orderHosts(candidates, opts.order, [])
    const planned: PlannedRollHost[] = []
    for (const candidate of ordered) {
      const host = hosts.find((h) => h.id === candidate.id)!
      const refusal = hostRefusal(host, hosts)
      if (refusal) plan.refusals.push(refusal)
      // eslint-disable-next-line no-await-in-loop
      const check = refusal ? undefined : await checkClusterCapacity(client, cluster.id, [candidate.id])
      const capacity = check && !check.result.ok ? explainDrainCapacity(check.result, check.factors) : []
      if (capacity.length > 0)
        plan.refusals.push(`${candidate.name} cannot be drained: ${capacity.join('; ')}`)
      planned.push({
        ...candidate,
        capacity,
        command: substituteCommand(opts.exec, candidate),
        placements: (check?.result.hosts[0]?.placements ?? []).map(
          (p) => `${p.vm.name} → ${p.targetHostName}`,
        ),
      })
    }

    if (planned.length > 0) plan.clusters.push({hosts: planned, id: cluster.id, name: String(cluster.name)})
  }

  const unknown = opts.skip.filter((s) => !seenSkips.has(s))
  if (unknown.length > 0)
    throw new UsageError(`--skip names no host of these clusters: ${unknown.join(', ')}`, [
      'name hosts by name, id or IP address',
    ])
  if (plan.clusters.length === 0)
    throw new UsageError('no host to roll: every host of these clusters is skipped')
  return plan
}

/** The state of a new run, from its plan. */
export function newRollState(
  plan: RollPlan,
  options: RollOptions,
  connection: {endpoint: string; profile?: string},
): RollState {
  const now = new Date().toISOString()
  const hosts: Record<string, HostRun> = {}
  for (const cluster of plan.clusters)
    for (const h of cluster.hosts) {
      const {cluster: name, clusterId, hypervisor, id, ip} = h
      hosts[h.id] = {cluster: name, clusterId, hypervisor, id, ip, name: h.name, stage: 'pending', stages: {}}
    }

  return {
    clusters: plan.clusters.map((c) => ({hostIds: c.hosts.map((h) => h.id), id: c.id, name: c.name})),
    created: now,
    endpoint: connection.endpoint,
    hosts,
    id: newRunId(),
    options,
    profile: connection.profile,
    status: 'running',
    updated: now,
    version: 1,
  }
}

/** The --dry-run text: order, capacity check and exact command per host, and the calls. */
export function describeRollPlan(plan: RollPlan, options: RollOptions): string[] {
  const lines: string[] = []
  for (const cluster of plan.clusters) {
    lines.push(`Cluster ${cluster.name}: ${cluster.hosts.length} host(s), one at a time, in this order:`)
    for (const [i, h] of cluster.hosts.entries()) {
      const capacity =
        h.capacity.length > 0
          ? `CANNOT be drained: ${h.capacity.join('; ')}`
          : `ok${h.placements.length > 0 ? `: ${h.placements.join(', ')}` : ' (no VM to move)'}`
      const back = options.migrateBack
        ? `; migrateVirtualMachine hostid=${h.id} for each VM that left it`
        : ''
      lines.push(
        `  ${i + 1}. ${h.name} (${h.ip}, ${h.hypervisor}, ${h.vmCount} running VM(s))`,
        `     capacity: ${capacity}`,
        `     command: ${h.command}`,
        `     calls: prepareHostForMaintenance id=${h.id}; (command; wait until Up); cancelHostMaintenance id=${h.id}${back}`,
      )
    }
  }

  for (const left of plan.left) lines.push(`Left out: ${left.name} (${left.reason})`)
  if (options.parallelClusters > 1 && plan.clusters.length > 1)
    lines.push(`Clusters in parallel: up to ${options.parallelClusters}`)
  if (options.canary > 0) lines.push(`Canary: stops after the first ${options.canary} host(s) to ask`)
  return lines
}
