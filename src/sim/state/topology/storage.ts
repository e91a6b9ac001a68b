import type {Cluster, ImageStore, StoragePool, SystemVmHost, Zone} from '../model.js'
import type {Builder} from './builder.js'

import {GIB, parseBytes, type StoragePoolSpec, type ZoneSpec} from './spec.js'

/* Primary storage pools, image stores and the system VMs' host rows of a zone. */

function buildStoragePool(b: Builder, where: {cluster?: Cluster; zone: Zone}, spec: StoragePoolSpec): void {
  const {cluster, zone} = where
  const used = parseBytes(spec.used ?? 0)
  const pool: StoragePool = {
    allocatedBytes: parseBytes(spec.allocated ?? used),
    capacityBytes: parseBytes(spec.capacity ?? 2 * 1024 * GIB),
    clusterId: cluster?.id,
    created: b.created,
    hypervisor: cluster ? undefined : (spec.hypervisor ?? 'KVM'),
    id: b.id(`storagepool:${zone.name}/${cluster?.name ?? ''}/${spec.name}`),
    internalId: b.nextInternalId(),
    ipAddress: spec.ipaddress ?? '10.10.0.5',
    name: spec.name,
    path: spec.path ?? `/export/primary/${spec.name}`,
    podId: cluster?.podId,
    provider: 'DefaultPrimary',
    scope: cluster ? 'CLUSTER' : 'ZONE',
    state: spec.state ?? 'Up',
    tags: spec.tags ?? [],
    type: spec.type ?? 'NetworkFilesystem',
    usedBytes: used,
    zoneId: zone.id,
  }
  b.state.storagePools!.push(pool)
}

/** The next address after `ip` by `n` (pod IP ranges hand the system VMs their addresses). */
function addressAfter(ip: string, n: number): string {
  const parts = ip.split('.').map(Number)
  parts[3] += n
  return parts.join('.')
}

/**
 * Storage and system VMs, built after everything else so that the internal ids (and the VMs'
 * instance names) of the other objects stay those of topologies without them.
 */
export function buildZoneStorageAndSystemVms(b: Builder, spec: ZoneSpec): void {
  const zone = b.state.zones.find((z) => z.name === spec.name)!
  for (const pool of spec.storagepools ?? []) buildStoragePool(b, {zone}, pool)
  for (const podSpec of spec.pods ?? []) {
    for (const clusterSpec of podSpec.clusters ?? []) {
      const cluster = b.state.clusters.find((c) => c.zoneId === zone.id && c.name === clusterSpec.name)!
      for (const pool of clusterSpec.storagepools ?? []) buildStoragePool(b, {cluster, zone}, pool)
    }
  }

  for (const store of spec.imagestores ?? []) {
    const imageStore: ImageStore = {
      capacityBytes: parseBytes(store.capacity ?? 4 * 1024 * GIB),
      id: b.id(`imagestore:${zone.name}/${store.name}`),
      internalId: b.nextInternalId(),
      name: store.name,
      protocol: 'nfs',
      providerName: 'NFS',
      readOnly: false,
      url: store.url ?? `nfs://10.10.0.5/export/secondary/${store.name}`,
      usedBytes: parseBytes(store.used ?? 0),
      zoneId: zone.id,
    }
    b.state.imageStores!.push(imageStore)
  }

  const pod = b.state.pods.find((p) => p.zoneId === zone.id)
  if (!spec.systemvms || !pod) return
  for (const [i, [type, prefix]] of (
    [
      ['SecondaryStorageVM', 's'],
      ['ConsoleProxy', 'v'],
    ] as const
  ).entries()) {
    const internalId = b.nextInternalId()
    const host: SystemVmHost = {
      created: b.created,
      id: b.id(`systemvm:${zone.name}/${type}`),
      internalId,
      ipAddress: addressAfter(pod.startIp, i + 1),
      lastPinged: b.created,
      managementServerId: b.state.managementServer.id,
      name: `${prefix}-${internalId}-VM`,
      podId: pod.id,
      resourceState: 'Enabled',
      status: 'Up',
      type,
      version: '4.22.0.0',
      zoneId: zone.id,
    }
    b.state.systemVmHosts!.push(host)
  }
}
