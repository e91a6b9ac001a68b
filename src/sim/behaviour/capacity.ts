import type {Host, SimModel} from '../state/model.js'

/** listCapacity / showcapacities type codes used by the simulator. */
export const CAPACITY_TYPE = {CPU: 1, CPU_CORE: 90, MEMORY: 0} as const

export interface CapacityEntry {
  capacityallocated: number
  capacitytotal: number
  capacityused: number
  name: string
  percentused: string
  type: number
}

const NAMES: Record<number, string> = {0: 'MEMORY', 1: 'CPU', 90: 'CPU_CORE'}

function entry(type: number, used: number, total: number): CapacityEntry {
  return {
    capacityallocated: used,
    capacitytotal: total,
    capacityused: used,
    name: NAMES[type],
    percentused: total > 0 ? ((used / total) * 100).toFixed(2) : '0',
    type,
  }
}

/** Memory, CPU and CPU-core capacity of a set of hosts, from the VMs placed on them. */
export function capacityOf(model: SimModel, hosts: Host[]): CapacityEntry[] {
  const capacities = model.hostCapacities(hosts)
  let cpuTotal = 0
  let cpuUsed = 0
  let memTotal = 0
  let memUsed = 0
  let coresTotal = 0
  for (const host of hosts) {
    const c = capacities.get(host.id)!
    cpuTotal += c.cpuWithOverprovisioning
    cpuUsed += c.cpuAllocated
    memTotal += c.memoryWithOverprovisioning
    memUsed += c.memoryAllocated
    coresTotal += host.cpuNumber
  }

  const ids = new Set(hosts.map((h) => h.id))
  let coresUsed = 0
  for (const vm of model.state.vms) {
    if (vm.hostId && ids.has(vm.hostId) && vm.state === 'Running') coresUsed += vm.cpuNumber
  }

  return [
    entry(CAPACITY_TYPE.MEMORY, memUsed, Math.round(memTotal)),
    entry(CAPACITY_TYPE.CPU, cpuUsed, Math.round(cpuTotal)),
    entry(CAPACITY_TYPE.CPU_CORE, coresUsed, coresTotal),
  ]
}
