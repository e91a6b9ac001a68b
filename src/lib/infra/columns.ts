/** What the infrastructure commands render: hosts, zones, pods, clusters and jobs as table columns. */
import type {Column} from '../output/columns.js'

/** Memory in bytes as GiB text. */
export function gib(bytes: unknown): string {
  const n = Number(bytes)
  return Number.isFinite(n) && n > 0 ? `${(n / 1024 ** 3).toFixed(1)}G` : ''
}

export const HOST_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name', shrink: false},
  {header: 'STATE', key: 'state'},
  {header: 'RESOURCE', key: 'resourcestate'},
  {header: 'IP', key: 'ipaddress', shrink: false},
  {header: 'HYPERVISOR', key: 'hypervisor'},
  {header: 'CLUSTER', key: 'clustername'},
  {get: (h) => h.cpuallocated ?? '', header: 'CPU', key: 'cpuallocated'},
  {get: (h) => gib(h.memorytotal), header: 'MEM', key: 'memorytotal'},
]

export const ZONE_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name', shrink: false},
  {header: 'ID', key: 'id', shrink: false},
  {header: 'ALLOCATION', key: 'allocationstate'},
  {header: 'NETWORK', key: 'networktype'},
]

export const POD_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name', shrink: false},
  {header: 'ID', key: 'id', shrink: false},
  {header: 'ZONE', key: 'zonename'},
  {header: 'ALLOCATION', key: 'allocationstate'},
  {header: 'GATEWAY', key: 'gateway'},
]

export const CLUSTER_COLUMNS: Column[] = [
  {header: 'NAME', key: 'name', shrink: false},

  {header: 'HYPERVISOR', key: 'hypervisortype'},
  {header: 'ZONE', key: 'zonename'},
  {header: 'POD', key: 'podname'},
  {header: 'ALLOCATION', key: 'allocationstate'},
  {header: 'CPU×', key: 'cpuovercommitratio'},
  {header: 'MEM×', key: 'memoryovercommitratio'},
]

export const JOB_COLUMNS: Column[] = [
  {header: 'JOBID', key: 'jobid', shrink: false},
  {
    get: (j) =>
      String(j.cmd ?? '')
        .split('.')
        .pop(),
    header: 'COMMAND',
    key: 'cmd',
  },
  {get: (j) => jobStatusName(Number(j.jobstatus)), header: 'STATUS', key: 'jobstatus'},
  {header: 'CREATED', key: 'created'},
  {header: 'INSTANCE', key: 'jobinstancetype'},
]

export function jobStatusName(status: number): string {
  return ['pending', 'succeeded', 'failed', 'cancelled'][status] ?? String(status)
}
