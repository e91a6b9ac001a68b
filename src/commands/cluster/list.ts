import {Flags} from '@oclif/core'

import type {Cluster} from '../../lib/api/models.js'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {fetchClusters} from '../../lib/api/fetch.js'
import {CLUSTER_COLUMNS} from '../../lib/infra/columns.js'
import {resolveEntity} from '../../lib/infra/resolve.js'

/** The `cluster list --json` result: the listClusters clusters. */
export type ClusterListResult = Cluster[]

export default class ClusterList extends BaseCommand<typeof ClusterList> {
  static override description =
    'List clusters with hypervisor, allocation state and overprovisioning factors.'
  static override examples = [
    '<%= config.bin %> cluster list',
    '<%= config.bin %> cluster list --zone zone1 --hypervisor KVM',
    '<%= config.bin %> cluster list --json',
  ]
  static override flags = {
    ...outputFlags,
    hypervisor: Flags.string({summary: 'Only clusters of this hypervisor type (KVM, XenServer, VMware...).'}),
    pod: Flags.string({summary: 'Only clusters of this pod (name or id).'}),
    zone: Flags.string({summary: 'Only clusters of this zone (name or id).'}),
  }

  async run(): Promise<ClusterListResult> {
    const client = await this.client()
    const {hypervisor, pod, zone} = this.flags
    const zoneid = zone ? (await resolveEntity(client, 'zone', zone)).id : undefined
    const podid = pod ? (await resolveEntity(client, 'pod', pod)).id : undefined
    const clusters = await fetchClusters(client, {hypervisor, podid, zoneid})
    await this.printRows(clusters, CLUSTER_COLUMNS, {empty: 'No clusters.'})
    return clusters
  }
}
