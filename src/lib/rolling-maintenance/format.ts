import type {Params} from '../api/types.js'
import type {Column} from '../output/columns.js'
import type {RollingPlan} from './plan.js'
import type {SkippedHostRow, UpdatedHostRow} from './report.js'

import {alignColumns} from '../output/render.js'

/** `startRollingMaintenance clusterids=a,b timeout=600` — the call --dry-run would make. */
export function describeCall(command: string, params: Params): string {
  const parts = Object.entries(params)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => {
      const text = Array.isArray(value) ? value.join(',') : String(value)
      return `${key}=${/[\s"']/.test(text) ? JSON.stringify(text) : text}`
    })
  return [command, ...parts].join(' ')
}

/** The human form of the --dry-run plan. */
export async function formatPlan(plan: RollingPlan, call: string): Promise<string[]> {
  const lines = [
    'Rolling maintenance plan (dry run: nothing was changed)',
    `Stage timeout: ${plan.stagetimeout} s per stage (ping interval ${plan.pinginterval} s)`,
    `Payload:       ${plan.payload ?? '(none)'}`,
    `Forced:        ${plan.forced ? 'yes: failures skip hosts instead of stopping the run' : 'no: the first failure stops the run'}`,
  ]
  if (plan.ignoredhosts.length > 0) {
    lines.push(`Ignored (not KVM): ${plan.ignoredhosts.map((h) => `${h.name} (${h.hypervisor})`).join(', ')}`)
  }

  for (const [index, cluster] of plan.clusters.entries()) {
    const disable = cluster.willdisable
      ? 'disabled during the run, enabled again at the end'
      : `already ${cluster.allocationstate}: left as it is`
    lines.push('', `${index + 1}. Cluster ${cluster.name} (${disable})`)
    const rows = [['  #', 'HOST', 'STATE', 'RESOURCE', 'VMS', 'BLOCKING VMS', 'CAPACITY CHECK']]
    for (const [position, host] of cluster.hosts.entries()) {
      rows.push([
        `  ${position + 1}`,
        host.name,
        host.state,
        host.resourcestate,
        String(host.vms),
        host.blockingvms.length === 0
          ? '-'
          : host.blockingvms.map((vm) => `${vm.name} (${vm.state})`).join(', '),
        host.capacity.ok ? host.capacity.message : `FAILS: ${host.capacity.message}`,
      ])
    }

    // eslint-disable-next-line no-await-in-loop -- one table per cluster, in order
    lines.push(...(await alignColumns(rows)))
  }

  lines.push('', 'Expected:')
  if (plan.expectations.length === 0)
    lines.push('  every host goes through its stages (hosts whose scripts exit 70 are skipped)')
  else lines.push(...plan.expectations.map((line) => `  ${line}`))
  lines.push('', 'Would call:', `  ${call}`)
  return lines
}

/**
 * Columns of the updated-hosts table; the dates' common UTC offset goes in the headers so that
 * only the output column gives way on a narrow terminal.
 */
export function updatedColumns(offsets: (null | string)[]): Column<UpdatedHostRow>[] {
  const distinct = [...new Set(offsets.filter(Boolean))]
  const zone = distinct.length === 1 ? ` (${distinct[0]})` : ''
  return [
    {header: 'HOST', key: 'hostname', shrink: false},
    {header: `START${zone}`, key: 'start', shrink: false},
    {header: `END${zone}`, key: 'end', shrink: false},
    {header: 'DURATION', key: 'duration', shrink: false},
    {header: 'OUTPUT', key: 'output'},
  ]
}

export const SKIPPED_COLUMNS: Column<SkippedHostRow>[] = [
  {header: 'HOST', key: 'hostname', shrink: false},
  {header: 'REASON', key: 'reason'},
]
