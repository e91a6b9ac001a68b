/**
 * Checks before any change: can the other hosts of a cluster take the VMs of the hosts to drain?
 * Reads the cluster, its hosts and VMs; the arithmetic is in capacity-rules.ts.
 */
import type {MoldClient} from '../api/client.js'
import type {Host, Vm} from '../api/models.js'
import type {ApiObject} from '../api/types.js'

import {fetchClusters} from '../api/fetch.js'
import {MoldctlError} from '../core/errors.js'
import {hostsOfCluster} from '../infra/list.js'
import {
  type CandidateHost,
  candidateOf,
  checkDrainCapacity,
  describeVmDemand,
  type DrainCapacityResult,
  type OvercommitFactors,
  parseOvercommitRatio,
  type VmDemand,
} from './capacity-rules.js'
import {listVmsOnHost} from './fetch.js'

export function vmDemand(vm: Vm): VmDemand {
  return {
    cpuNumber: Number(vm.cpunumber ?? 0),
    cpuSpeedMhz: Number(vm.cpuspeed ?? 0),
    id: vm.id,
    memoryBytes: Number(vm.memory ?? 0) * 1024 * 1024,
    name: vm.name,
  }
}

interface ClusterFacts {
  factors: OvercommitFactors
  hosts: Host[]
  name: string
  placementAllowed: boolean
}

async function clusterFacts(client: MoldClient, clusterId: string): Promise<ClusterFacts> {
  const [[cluster], hosts] = await Promise.all([
    fetchClusters(client, {id: clusterId}),
    hostsOfCluster(client, clusterId),
  ])
  if (!cluster) throw new MoldctlError(`cluster ${clusterId} is gone`)
  const [[pod], [zone]] = await Promise.all([
    client.list<ApiObject>('listPods', {id: String(cluster.podid)}),
    client.list<ApiObject>('listZones', {id: String(cluster.zoneid)}),
  ])
  const placementAllowed = [cluster, pod, zone].every((g) => g?.allocationstate !== 'Disabled')
  return {
    factors: {
      cpu: parseOvercommitRatio(cluster.cpuovercommitratio),
      memory: parseOvercommitRatio(cluster.memoryovercommitratio),
    },
    hosts,
    name: String(cluster.name ?? clusterId),
    placementAllowed,
  }
}

async function candidateHost(client: MoldClient, host: Host): Promise<CandidateHost> {
  let cpu = Number(host.cpuallocatedvalue)
  let memory = Number(host.memoryallocatedbytes)
  if (!Number.isFinite(cpu) || !Number.isFinite(memory)) {
    // Older servers do not report the allocated values: add up the VMs instead.
    const vms = await listVmsOnHost(client, host.id)
    cpu = vms.reduce((sum, vm) => sum + Number(vm.cpunumber ?? 0) * Number(vm.cpuspeed ?? 0), 0)
    memory = vms.reduce((sum, vm) => sum + Number(vm.memory ?? 0) * 1024 * 1024, 0)
  }

  return candidateOf(host, {cpuMhz: cpu, memoryBytes: memory})
}

export interface CapacityCheck {
  factors: OvercommitFactors
  /** Every host of the cluster as listed for the check. */
  hosts: Host[]
  result: DrainCapacityResult
}

/** Simulates draining `drainOrder` (all in one cluster) on the cluster's other Up and Enabled hosts. */
export async function checkClusterCapacity(
  client: MoldClient,
  clusterId: string,
  drainOrder: string[],
): Promise<CapacityCheck> {
  const facts = await clusterFacts(client, clusterId)
  const clusterHosts = await Promise.all(facts.hosts.map((h) => candidateHost(client, h)))
  const lists = await Promise.all(drainOrder.map((id) => listVmsOnHost(client, id)))
  const vmsByHost = new Map(
    drainOrder.map((id, i) => [
      id,
      lists[i].filter((vm) => vm.state === 'Running').map((vm) => vmDemand(vm)),
    ]),
  )
  const result = checkDrainCapacity({
    clusterHosts,
    clusterName: facts.name,
    drainOrder,
    factors: facts.factors,
    placementAllowed: facts.placementAllowed,
    vmsByHost,
  })
  return {factors: facts.factors, hosts: facts.hosts, result}
}

/** Why the VMs left on a host fit nowhere, from a fresh capacity check (best effort). */
export async function whyVmsStay(client: MoldClient, host: Host, vms: Vm[]): Promise<string[]> {
  try {
    const facts = await clusterFacts(client, host.clusterid)
    const clusterHosts = await Promise.all(facts.hosts.map((h) => candidateHost(client, h)))
    const result = checkDrainCapacity({
      clusterHosts,
      clusterName: facts.name,
      drainOrder: [host.id],
      factors: facts.factors,
      placementAllowed: facts.placementAllowed,
      vmsByHost: new Map([[host.id, vms.map((vm) => vmDemand(vm))]]),
    })
    const lines = result.hosts[0].unplaced.map((u) => `why ${u.vm.name} stays: ${u.reason}`)
    return lines.length > 0
      ? lines
      : vms.map((vm) => `${vm.name} (${describeVmDemand(vmDemand(vm))}) could not be migrated`)
  } catch {
    return []
  }
}
