import type {MoldClient} from '../api/client.js'
import type {Host} from '../api/models.js'

import {UsageError} from '../core/errors.js'
import {hostsOfCluster} from '../infra/list.js'
import {resolveEntities, resolveEntity} from '../infra/resolve.js'

/*
 * The admin guide's rules for changing host passwords ("Changing the host password"), checked
 * before anything is asked or sent:
 * - all hosts of a cluster must share one password: naming only some hosts of a cluster is
 *   allowed (the API takes single KVM hosts) but warned about;
 * - --update-on-host cannot reach VMware hosts: ESXi credentials live in vCenter, and
 *   updateHostPassword supports KVM and XenServer only (ResourceManagerImpl: "This operation is
 *   not supported for this hypervisor type").
 */

function vmwareRefusal(names: string[]): UsageError {
  return new UsageError(
    `--update-on-host cannot change the password of VMware hosts (${names.join(', ')}): their credentials are kept by vCenter, and the management server changes passwords only on KVM and XenServer hosts ("This operation is not supported for this hypervisor type")`,
    [
      "change it in vCenter, then update the credentials Mold uses for the vCenter (the zone's VMware datacenter)",
    ],
  )
}

/** Warnings to show (and refusals to throw) for the hosts or cluster a rotation names. */
export async function passwordRotationWarnings(
  client: MoldClient,
  target: {cluster?: string; hosts: string[]; updateOnHost: boolean},
): Promise<string[]> {
  if (target.cluster) {
    const cluster = await resolveEntity(client, 'cluster', target.cluster)
    if (target.updateOnHost && String(cluster.hypervisortype) === 'VMware')
      throw vmwareRefusal([cluster.name])
    return []
  }

  const hosts = await resolveEntities<Host>(client, 'host', target.hosts)
  const vmware = hosts.filter((h) => h.hypervisor === 'VMware')
  if (target.updateOnHost && vmware.length > 0) throw vmwareRefusal(vmware.map((h) => h.name))
  const named = new Set(hosts.map((h) => h.id))
  const clusters = new Map(
    hosts.filter((h) => h.clusterid).map((h) => [h.clusterid!, h.clustername ?? h.clusterid!]),
  )
  const warnings: string[] = []
  for (const [clusterId, clusterName] of clusters) {
    // eslint-disable-next-line no-await-in-loop
    const members = await hostsOfCluster(client, clusterId)
    const left = members.filter((m) => !named.has(m.id)).map((m) => m.name)
    if (left.length === 0) continue
    warnings.push(
      `the guide: all hosts of a cluster must share one password, and until they do cluster operations fail; cluster ${clusterName} also has ${left.join(', ')} — change theirs too (moldctl host password rotate --cluster ${clusterName})`,
    )
  }

  return warnings
}
