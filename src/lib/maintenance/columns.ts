/** What the maintenance commands render: progress lines, VM lists and table columns. */
import type {Vm} from '../api/models.js'
import type {Column} from '../output/columns.js'

/** "web-01, db-01 (Migrating)": the VMs still on a host, with the state of those not simply running. */
export function describeVms(vms: Vm[], max = 6): string {
  const names = vms.map((vm) => (vm.state === 'Running' ? vm.name : `${vm.name} (${vm.state})`))
  const shown = names.slice(0, max).join(', ')
  return names.length > max ? `${shown}, … ${names.length - max} more` : shown
}

/**
 * The progress line of one host, e.g. "kvm-01  PrepareForMaintenance  0:42  3 VMs left: a, b
 * (Migrating), c". The elapsed time is left out where lines are time-stamped (not a terminal),
 * so that a line is printed only when something changed.
 */
export function formatHostProgress(
  name: string,
  resourceState: string,
  vms: Vm[],
  elapsedMs?: number,
): string {
  const left =
    vms.length === 0
      ? 'no VMs left'
      : `${vms.length} VM${vms.length === 1 ? '' : 's'} left: ${describeVms(vms)}`
  const clock = elapsedMs === undefined ? '' : `${formatElapsed(elapsedMs)}  `
  return `${name}  ${resourceState}  ${clock}${left}`
}

export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

export const OUTCOME_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name'},
  {header: 'CLUSTER', key: 'clustername'},
  {header: 'STATE', key: 'state'},
  {header: 'RESOURCE', key: 'resourcestate'},
]

export const STATUS_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name'},
  {header: 'CLUSTER', key: 'clustername'},
  {header: 'STATE', key: 'state'},
  {header: 'RESOURCE', key: 'resourcestate'},
  {get: (h) => (h.virtualmachine as Vm[]).length, header: 'VMS', key: 'virtualmachine'},
  {get: (h) => describeVms(h.virtualmachine as Vm[]), header: 'ON THE HOST', key: 'vmnames'},
]
