import type {MoldClient} from '../api/client.js'
import type {FactorChangePlan} from './plan.js'

import {fetchClusters} from '../api/fetch.js'
import {UsageError} from '../core/errors.js'
import {formatBytes, formatMhz} from '../maintenance/capacity-rules.js'
import {XENSERVER_LIMIT_REASON, XENSERVER_MAX_FACTOR} from './rules.js'

/*
 * The admin guide's warnings on overprovisioning ("Overprovisioning and service offering limits"):
 * - XenServer: a factor must not exceed 4 — also for the global defaults while XenServer
 *   clusters exist (new clusters take them);
 * - lowering a factor can leave a cluster with more allocated than it offers: say so, with the
 *   numbers;
 * - KVM cannot manage VM memory dynamically: memory overprovisioning needs the balloon driver in
 *   every VM (virtio, CONFIG_VIRTIO_BALLOON=y).
 */

const KIND_WORD = {cpu: 'CPU', memory: 'memory'} as const

/** A global factor above 4 while XenServer clusters exist: refused, or a warning with --force. */
export async function checkGlobalFactorForXenServer(
  client: MoldClient,
  input: {factor: number; force: boolean; name: string},
): Promise<string | undefined> {
  if (!(input.factor > XENSERVER_MAX_FACTOR)) return undefined
  const xen = await fetchClusters(client, {hypervisor: 'XenServer'})
  if (xen.length === 0) return undefined
  const names = xen.map((c) => c.name).join(', ')
  const what = `global ${input.name} ${input.factor} while XenServer clusters exist (${names})`
  if (!input.force) {
    throw new UsageError(`${what} is refused: the admin guide says "${XENSERVER_LIMIT_REASON}"`, [
      `use ${XENSERVER_MAX_FACTOR} or less (set higher factors per cluster on the other clusters), or add --force if you know better`,
    ])
  }

  return `${what} exceeds the admin guide's limit of ${XENSERVER_MAX_FACTOR} for XenServer (--force)`
}

/** Lowering a factor below what is allocated: the numbers, right after the change and after restarts. */
export function overcommitWarnings(plan: FactorChangePlan, clusterName: string): string[] {
  const lines: string[] = []
  for (const p of plan.projections) {
    if (!(p.before.factor > p.afterChange.factor)) continue
    const format = p.kind === 'memory' ? formatBytes : formatMhz
    const after = p.afterRestart.free < p.afterChange.free ? p.afterRestart : p.afterChange
    if (after.free >= 0) continue
    lines.push(
      `lowering the ${KIND_WORD[p.kind]} factor of ${clusterName} from ${p.before.factor} to ${after.factor} overcommits it: ${format(after.allocated)} allocated against ${format(after.physical)} × ${after.factor} = ${format(after.withOverprovisioning)} (${format(-after.free)} over); no new VM will fit until VMs are stopped or hosts added`,
    )
  }

  return lines
}

/** The guide's prerequisites for memory overprovisioning on KVM. */
export function kvmMemoryPrerequisites(hypervisor: string | undefined, factor: number | undefined): string[] {
  if ((hypervisor ?? '').toLowerCase() !== 'kvm' || factor === undefined || !(factor > 1)) return []
  return [
    'memory overprovisioning on KVM, as the guide says: KVM cannot manage VM memory dynamically (a VM gets its minimum and maximum, and the balloon driver moves it within them),',
    'so every VM needs the balloon driver: virtio with CONFIG_VIRTIO_BALLOON=y in its kernel (check inside a VM: lsmod | grep virtio_balloon).',
  ]
}
