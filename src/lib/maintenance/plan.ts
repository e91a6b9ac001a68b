/**
 * The order in which `host maintenance enter` drains several hosts. Hosts are drained one
 * after another, in the order the operator named them (repeats dropped), so two hosts of one
 * cluster are never draining at the same time: while one drains, the others of its cluster
 * must stay available to receive its VMs.
 */

export interface PlannedHost {
  clusterId: string
  clusterName: string
  hypervisor: string
  id: string
  name: string
}

export interface MaintenancePlan {
  /** Names given more than once; drained once. */
  repeated: string[]
  steps: PlannedHost[]
}

export function planMaintenance(hosts: readonly PlannedHost[]): MaintenancePlan {
  const seen = new Set<string>()
  const steps: PlannedHost[] = []
  const repeated: string[] = []
  for (const host of hosts) {
    if (seen.has(host.id)) {
      repeated.push(host.name)
      continue
    }

    seen.add(host.id)
    steps.push(host)
  }

  return {repeated, steps}
}

/** For each cluster, its hosts in the order the plan drains them (input of the capacity check). */
export function drainOrderByCluster(plan: MaintenancePlan): Map<string, string[]> {
  const byCluster = new Map<string, string[]>()
  for (const step of plan.steps) {
    const order = byCluster.get(step.clusterId) ?? []
    order.push(step.id)
    byCluster.set(step.clusterId, order)
  }

  return byCluster
}

/** One line per step, e.g. "1/3 kvm-01 (cluster kvm-a)". */
export function describePlan(plan: MaintenancePlan): string[] {
  return plan.steps.map((s, i) => `${i + 1}/${plan.steps.length} ${s.name} (cluster ${s.clusterName})`)
}

/** The command that continues an interrupted run: the host being drained and those not started. */
export function resumeCommand(plan: MaintenancePlan, fromStep: number): string {
  const names = plan.steps.slice(fromStep).map((s) => quoteArg(s.name))
  return `moldctl host maintenance enter ${names.join(' ')}`
}

export function quoteArg(value: string): string {
  return /^[\w.:@%+,/-]+$/.test(value) ? value : `'${value.replaceAll("'", String.raw`'\''`)}'`
}
