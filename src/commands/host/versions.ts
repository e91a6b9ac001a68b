import {Flags} from '@oclif/core'

import type {HostVersionRow} from '../../lib/infra/host-versions.js'

import {BaseCommand, outputFlags} from '../../base-command.js'
import {differenceLines, HOST_VERSION_COLUMNS, hostVersions} from '../../lib/infra/host-versions.js'

/** The `host versions --json` result: a row per host with its versions and its cluster's agreement. */
export type HostVersionsResult = HostVersionRow[]

export default class HostVersions extends BaseCommand<typeof HostVersions> {
  static override description = `Per cluster, the hypervisor version and the OS and kernel each host reports (host details Host.OS, Host.OS.Version, Host.OS.Kernel.Version), and whether the cluster's hosts agree. The admin guide asks to apply every vendor hotfix and keep the hosts of a cluster at the same patch level; Mold does not track hotfixes, so this shows what the hosts report. Clusters whose hosts differ are named on stderr.
--columns reaches any field, including detail keys with dots in double quotes: details."Host.OS.Kernel.Version".`
  static override examples = [
    '<%= config.bin %> host versions',
    '<%= config.bin %> host versions --cluster kvm-cluster-1',
    `<%= config.bin %> host versions --zone zone-1 --columns 'name,details."Host.OS.Kernel.Version"'`,
    '<%= config.bin %> host versions --json',
  ]
  static override flags = {
    ...outputFlags,
    cluster: Flags.string({exclusive: ['zone'], summary: 'Only this cluster (name or id).'}),
    zone: Flags.string({exclusive: ['cluster'], summary: 'Only this zone (name or id).'}),
  }
  static override summary =
    'Hypervisor, OS and kernel versions of hosts, per cluster; flags clusters whose hosts differ.'

  async run(): Promise<HostVersionsResult> {
    const rows = await hostVersions(await this.client(), this.flags)
    await this.printRows(rows, HOST_VERSION_COLUMNS, {empty: 'No hosts.'})
    for (const line of differenceLines(rows)) this.logToStderr(`Warning: ${line}`)
    return rows
  }
}
