// What the VLAN commands render: API calls, plans, results and dedications as text.

import type {ApiObject} from '../api/types.js'
import type {ApiCall, VlanRangeRow} from './fetch.js'
import type {VlanRangeChangeReport} from './run.js'

import {alignColumns} from '../output/render.js'
import {ownerOf} from './fetch.js'
import {describeOwner} from './plan.js'

export function formatApiCall(call: ApiCall): string {
  const params = Object.entries(call.params).map(
    ([k, v]) => `${k}=${v === '' || /\s/.test(v) ? `'${v}'` : v}`,
  )
  return [call.command, ...params].join(' ')
}

/** Compact, for a table cell: `900-949 tenant-a; 950-999 project lab` (JSON has the domains). */
export function describeDedications(row: VlanRangeRow): string {
  return row.dedicated
    .map((d) => `${d.guestvlanrange} ${d.project ? `project ${d.project}` : d.account}`)
    .join('; ')
}

function withCount(ranges: string, count: number): string {
  return ranges ? `${ranges}  (${count} ${count === 1 ? 'VLAN' : 'VLANs'})` : '(none)'
}

/**
 * Every label of the plan's lines and of the result line printed after it: the label column is
 * as wide as the longest, so the result lines up with the plan printed before the change.
 */
const LABELS = ['Physical network', 'Before', 'Add', 'Remove', 'After', 'API call', 'Result']
const LABEL_COLUMN = {minWidths: [Math.max(...LABELS.map((label) => label.length))]}

/** The plan as aligned `label  value` lines: where, before, change, after, and the exact call. */
export async function changePlanLines(report: VlanRangeChangeReport): Promise<string[]> {
  const adding = report.action === 'add'
  const change = report.changed ? withCount(report.changed, report.vlanschanged) : '(nothing)'
  const aside = report.unchanged
    ? `  [${adding ? 'already present' : 'not configured'}: ${report.unchanged}]`
    : ''
  const pairs: Array<[string, string]> = [
    ['Physical network', `${report.physicalnetwork}${report.zonename ? ` (zone ${report.zonename})` : ''}`],
    ['Before', withCount(report.before, report.vlansbefore)],
    [adding ? 'Add' : 'Remove', `${change}${aside}`],
    ['After', withCount(report.after, report.vlansafter)],
    ['API call', report.call ? formatApiCall(report.call) : '(none needed)'],
  ]
  return alignColumns(pairs, LABEL_COLUMN)
}

/** One line saying what happened, aligned with the plan's lines. */
export async function changeResultLine(report: VlanRangeChangeReport): Promise<string> {
  const [line] = await alignColumns([['Result', resultText(report)]], LABEL_COLUMN)
  return line
}

function resultText(report: VlanRangeChangeReport): string {
  switch (report.status) {
    case 'dry-run': {
      return 'dry run: nothing was sent'
    }

    case 'unchanged': {
      return report.action === 'add'
        ? 'nothing to do: every requested VLAN is already in the physical network'
        : 'nothing to do: none of the requested VLANs is in the physical network'
    }

    default: {
      const holds = report.vlanafter || '(no ranges)'
      if (report.jobid === undefined && report.attempts === 0)
        return `done: the server already holds the change (another change made it); it now holds ${holds}`
      const job = report.jobid === undefined ? 'answer lost, read back' : `job ${report.jobid}`
      const times = (report.attempts ?? 1) > 1 ? `, after ${report.attempts} updates` : ''
      // Read back after the job: it holds every VLAN that was there (minus the removed) and every one asked for.
      return `done (${job}${times}); the server now holds ${holds}`
    }
  }
}

export function describeDedicated(item: ApiObject): string {
  return `${item.guestvlanrange} dedicated to ${describeOwner(ownerOf(item))}`
}
