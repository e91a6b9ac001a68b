import {Flags} from '@oclif/core'

import type {CapacityRecord} from '../../lib/overprovision/capacity-report.js'
import type {UsageLevel} from '../../lib/overprovision/capacity-rules.js'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {UsageError} from '../../lib/core/errors.js'
import {resolveEntity} from '../../lib/infra/resolve.js'
import {barStyle} from '../../lib/output/bar-style.js'
import {
  capacityBarLines,
  capacityColumns,
  capacityLine,
  fetchCapacity,
} from '../../lib/overprovision/capacity-report.js'
import {capacityTypeFromInput} from '../../lib/overprovision/capacity-rules.js'

/** The `capacity show --json` result: the listCapacity records as the server answers them. */
export type CapacityShowResult = CapacityRecord[]

export default class CapacityShow extends BaseCommand<typeof CapacityShow> {
  static override description = `Show capacity (listCapacity): each type's use, total and percentage, high usage marked.
Without a scope: per zone. CPU and memory totals include each cluster's overprovisioning factor. Usage from 75 % is
marked high and from 85 % CRITICAL (the server's default notification and allocation-disable thresholds).
Under the table, a bar per row: used, allocated and free, the 75 % and 85 % thresholds marked (blocks in colour at a
terminal, ASCII in a pipe; none with --json, yaml or csv).`
  static override examples = [
    '<%= config.bin %> capacity show',
    '<%= config.bin %> capacity show --cluster kvm-cluster-1',
    '<%= config.bin %> capacity show --zone zone-1 --type memory --fetch-latest',
    '<%= config.bin %> capacity show --json',
  ]
  static override flags = {
    ...outputFlags,
    cluster: Flags.string({exclusive: ['zone', 'pod'], summary: 'Capacity of this cluster (name or id).'}),
    'fetch-latest': Flags.boolean({
      summary: 'Have the server recalculate capacity first (fetchlatest=true).',
    }),
    pod: Flags.string({exclusive: ['zone', 'cluster'], summary: 'Capacity of this pod (name or id).'}),
    type: Flags.string({summary: 'Only this capacity type: a name (memory, cpu, vlan...) or its number.'}),
    zone: Flags.string({exclusive: ['pod', 'cluster'], summary: 'Capacity of this zone (name or id).'}),
  }

  async run(): Promise<CapacityShowResult> {
    const type = this.flags.type === undefined ? undefined : capacityTypeFromInput(this.flags.type)
    if (this.flags.type !== undefined && !type) {
      throw new UsageError(`unknown capacity type "${this.flags.type}"`, [
        'for example: memory, cpu, cpu_core, vlan, storage or 0',
      ])
    }

    const client = await this.client()
    const {cluster, pod, zone} = this.flags
    const rows = await fetchCapacity(client, {
      clusterid: cluster ? (await resolveEntity(client, 'cluster', cluster)).id : undefined,
      fetchlatest: this.flags['fetch-latest'] || undefined,
      podid: pod ? (await resolveEntity(client, 'pod', pod)).id : undefined,
      type: type?.code,
      zoneid: zone ? (await resolveEntity(client, 'zone', zone)).id : undefined,
    })
    const {loadChalk} = await import('../../lib/output/color.js')
    const chalk = await loadChalk()
    const paint = (level: UsageLevel, text: string) =>
      level === 'critical' ? chalk.red.bold(text) : chalk.yellow(text)
    const format = this.outputFormat()
    const lines = rows.map((row) => capacityLine(row))
    await (format === 'json' || format === 'yaml'
      ? this.printRows(rows, [])
      : this.printRows(lines, capacityColumns(paint), {empty: 'No capacity.'}))
    // Below the table, at a glance: a bar per row (used, allocated, free; 75 % and 85 % marked).
    if (format === 'table' && lines.length > 0) {
      this.log('')
      for (const text of await capacityBarLines(lines, barStyle(chalk))) this.log(text)
    }

    return rows
  }
}
