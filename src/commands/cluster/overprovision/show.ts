import {Args, Flags} from '@oclif/core'

import type {Cluster} from '../../../lib/api/models.js'
import type {ClusterOverprovisionRecord} from '../../../lib/overprovision/columns.js'

import {BaseCommand, outputFlags} from '../../../base-command.js'
import {fetchClusters} from '../../../lib/api/fetch.js'
import {resolveEntities, resolveEntity} from '../../../lib/infra/resolve.js'
import * as out from '../../../lib/overprovision/columns.js'
import {clusterState, globalFactors} from '../../../lib/overprovision/plan.js'

/** The `cluster overprovision show --json` result: a record per cluster with its factors and capacity. */
export type ClusterOverprovisionShowResult = ClusterOverprovisionRecord[]

export default class ClusterOverprovisionShow extends BaseCommand<typeof ClusterOverprovisionShow> {
  static override args = {
    cluster: Args.string({description: 'Cluster names or ids (default: every cluster).'}),
  }
  static override description = `Show each cluster's CPU and memory overprovisioning factors and what they mean in capacity.
Per cluster: the hypervisor, each factor and whether it is the cluster's own value or the global default, and CPU
and memory capacity: physical, with overprovisioning (physical × factor), allocated to VMs, and free. The admin
guide's example reads: 2 GB physical with factor 2 is 4 GB; three 1 GB VMs allocate 3 GB and leave 1 GB.`
  static override examples = [
    '<%= config.bin %> cluster overprovision show',
    '<%= config.bin %> cluster overprovision show kvm-cluster-1 xen-cluster-1',
    '<%= config.bin %> cluster overprovision show --zone zone-1 --json',
  ]
  static override flags = {
    ...outputFlags,
    zone: Flags.string({summary: 'Only clusters of this zone (name or id).'}),
  }
  static override strict = false

  async run(): Promise<ClusterOverprovisionShowResult> {
    const client = await this.client()
    const zoneid = this.flags.zone ? (await resolveEntity(client, 'zone', this.flags.zone)).id : undefined
    const clusters =
      this.positionals.length > 0
        ? await resolveEntities<Cluster>(client, 'cluster', this.positionals, {zoneid})
        : await fetchClusters(client, {zoneid})
    const globals = await globalFactors(client)
    const states = await Promise.all(clusters.map((cluster) => clusterState(client, cluster, globals)))
    const records = states.map((state) => out.clusterRecord(state))
    const format = this.outputFormat()
    if (format !== 'table') {
      await (format === 'csv'
        ? this.printRows(
            states.flatMap((s) => out.clusterRows(s)),
            out.SHOW_COLUMNS,
          )
        : this.printRows(records, []))
      return records
    }

    // Under each block, a bar per resource: allocated of the overprovisioned capacity.
    const [{loadChalk}, {barStyle}] = await Promise.all([
      import('../../../lib/output/color.js'),
      import('../../../lib/output/bar-style.js'),
    ])
    const style = barStyle(await loadChalk())
    if (states.length === 0) this.logToStderr('No clusters.')
    for (const state of states) {
      this.log(out.clusterHeading(state))
      const rows = out.clusterRows(state)
      // eslint-disable-next-line no-await-in-loop -- blocks are printed in order
      await this.printRows(rows, out.CLUSTER_BLOCK_COLUMNS)
      // eslint-disable-next-line no-await-in-loop -- blocks are printed in order
      for (const text of await out.clusterBarLines(rows, style)) this.log(text)
      for (const note of out.oddFactorNotes(state)) this.warn(note)
      const old = state.oldFactorVms.length
      if (old > 0)
        this.log(
          `${old} running VM(s) still use the factor they were started with (until stopped and started).`,
        )
      this.log('')
    }

    return records
  }
}
