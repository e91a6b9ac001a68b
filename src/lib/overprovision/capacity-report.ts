import type {MoldClient} from '../api/client.js'
import type {ApiObject, Params} from '../api/types.js'
import type {Column} from '../output/columns.js'

/**
 * `capacity show`: listCapacity rows with type names, units and a usage level. High usage
 * follows the server's default thresholds (75 % notification, 85 % allocation disabled).
 */
import {alignColumns} from '../output/render.js'
import {type BarStyle, capacityBar} from './capacity-bar.js'
import {
  capacityTypeByCode,
  type CapacityUnit,
  formatCapacityValue,
  formatPercent,
  usageLevel,
  type UsageLevel,
} from './capacity-rules.js'

export interface CapacityRecord extends ApiObject {
  capacityallocated?: number
  capacitytotal?: number
  capacityused?: number
  clustername?: string
  name?: string
  percentused?: string
  podname?: string
  type?: number
  zonename?: string
}

export interface CapacityLine {
  allocated: string
  /** The figures the bar is drawn from. */
  amounts: {allocated?: number; total: number; used: number}
  level: UsageLevel
  percent: number
  scope: string
  total: string
  type: string
  used: string
  usedpercent: string
}

export async function fetchCapacity(client: MoldClient, params: Params): Promise<CapacityRecord[]> {
  return client.list<CapacityRecord>('listCapacity', params)
}

/** One printable line per listCapacity row. */
export function capacityLine(row: CapacityRecord): CapacityLine {
  const type = capacityTypeByCode(Number(row.type))
  const unit: CapacityUnit = type?.unit ?? 'count'
  const used = Number(row.capacityused ?? 0)
  const total = Number(row.capacitytotal ?? 0)
  const reported = Number(row.percentused)
  const percent = Number.isFinite(reported) ? reported : total > 0 ? (used / total) * 100 : 0
  return {
    allocated:
      row.capacityallocated === undefined ? '' : formatCapacityValue(unit, Number(row.capacityallocated)),
    amounts: {
      ...(row.capacityallocated === undefined ? {} : {allocated: Number(row.capacityallocated)}),
      total,
      used,
    },
    level: usageLevel(percent),
    percent,
    scope: [row.zonename, row.podname, row.clustername].filter(Boolean).join(' / '),
    total: formatCapacityValue(unit, total),
    type: row.name ?? type?.name ?? String(row.type),
    used: formatCapacityValue(unit, used),
    usedpercent: formatPercent(percent),
  }
}

/** The level word shown beside the percentage; `paint` adds colour on a terminal. */
export function levelText(level: UsageLevel, paint?: (level: UsageLevel, text: string) => string): string {
  const text = level === 'critical' ? 'CRITICAL' : level === 'warning' ? 'high' : ''
  return paint && text ? paint(level, text) : text
}

export function capacityColumns(paint?: (level: UsageLevel, text: string) => string): Column<CapacityLine>[] {
  return [
    {header: 'TYPE', key: 'type', shrink: false},
    {header: 'WHERE', key: 'scope'},
    {header: 'USED', key: 'used'},
    {header: 'TOTAL', key: 'total'},
    {header: 'USED%', key: 'usedpercent'},
    {get: (line) => levelText(line.level, paint), header: 'LEVEL', key: 'level'},
    {header: 'ALLOCATED', key: 'allocated'},
  ]
}

/**
 * The bars under the table: `MEMORY  zone-1 / kvm-1  [####+++....|..|...]  21% used, 22% allocated`,
 * names padded so the bars line up.
 */
export async function capacityBarLines(lines: readonly CapacityLine[], style: BarStyle): Promise<string[]> {
  return alignColumns(
    lines.map((line) => {
      const {allocated, total} = line.amounts
      const share =
        allocated !== undefined && total > 0 ? `, ${formatPercent((allocated / total) * 100)} allocated` : ''
      return [line.type, line.scope, `${capacityBar(line.amounts, style)}  ${line.usedpercent} used${share}`]
    }),
  )
}
