import type {ClusterSpec, PodSpec, StageSpec, TopologySpec, VmSpec} from './spec.js'

import {type RollingStage} from '../model.js'

/* The built-in topologies: `small` (the demo cloud) and `large` (N hosts in clusters of 32). */

const KVM_STAGES: Partial<Record<RollingStage, StageSpec>> = {
  Maintenance: {},
  PostMaintenance: {},
  PreFlight: {},
  PreMaintenance: {},
}

function vm(name: string, cpunumber: number, memoryGiB: number, extra: Partial<VmSpec> = {}): VmSpec {
  return {cpunumber, cpuspeed: 2000, memory: memoryGiB * 1024, name, ...extra}
}

/**
 * The demo cloud: one zone and pod, a KVM cluster of 4 hosts (OOBM on, rolling-maintenance
 * scripts) and a XenServer cluster of 2, 20 VMs with room to drain any one KVM host, a guest
 * physical network with VLANs 500-1000 (some allocated, 900-949 dedicated), an NFS primary
 * storage pool per cluster, an NFS secondary storage and the zone's two system VMs.
 */
export function smallTopology(): TopologySpec {
  const kvmVms: VmSpec[][] = [
    [vm('web-01', 2, 4), vm('web-02', 2, 4), vm('db-01', 4, 16), vm('cache-01', 2, 8)],
    [
      vm('web-03', 2, 4),
      vm('app-01', 4, 8),
      vm('app-02', 4, 8, {account: 'tenant-a'}),
      vm('ci-runner-01', 4, 8),
    ],
    [vm('app-03', 2, 8, {account: 'tenant-a'}), vm('db-02', 4, 16, {haenable: true}), vm('mq-01', 2, 4)],
    [
      vm('mon-01', 2, 4),
      vm('app-04', 2, 8, {account: 'tenant-b'}),
      vm('build-01', 4, 8),
      vm('old-batch-01', 2, 4, {state: 'Stopped'}),
    ],
  ]
  const xenVms: VmSpec[][] = [
    [vm('legacy-erp-01', 4, 16), vm('legacy-erp-02', 2, 8), vm('win-ad-01', 2, 4)],
    [vm('win-file-01', 2, 8), vm('legacy-report-01', 2, 4)],
  ]
  return {
    accounts: [
      {domain: 'customers', name: 'tenant-a'},
      {domain: 'customers', name: 'tenant-b'},
    ],
    domains: ['customers'],
    projects: [{account: 'tenant-a', name: 'tenant-a-lab'}],
    seed: 'moldctl-small',
    zones: [
      {
        name: 'zone-1',
        physicalnetworks: [
          {
            allocated: [
              {account: 'admin', vnet: 500},
              {account: 'admin', vnet: 501},
              {account: 'tenant-a', vnet: 502},
              {account: 'tenant-b', vnet: 503},
              {account: 'tenant-a', vnet: 900},
            ],
            dedicated: [{account: 'tenant-a', range: '900-949'}],
            isolationmethods: ['VLAN'],
            name: 'physnet-guest',
            traffictypes: ['Guest', 'Management', 'Public', 'Storage'],
            vlan: '500-1000',
          },
        ],
        pods: [
          {
            clusters: [
              {
                hosts: kvmVms.map((vms, i) => ({
                  bmc: {latencyms: 100, mode: 'ok', power: 'On'},
                  cpunumber: 16,
                  cpuspeed: 2400,
                  ipaddress: `10.10.0.${11 + i}`,
                  memorytotal: '128GiB',
                  name: `kvm-host-0${i + 1}`,
                  oobm: {
                    address: `10.10.1.${11 + i}`,
                    driver: 'ipmitool',
                    enabled: true,
                    password: `ipmi-pass-0${i + 1}`,
                    port: '623',
                    powerstate: 'On',
                    username: 'ADMIN',
                  },
                  rollingmaintenance: KVM_STAGES,
                  vms,
                })),
                hypervisor: 'KVM',
                name: 'kvm-cluster-1',
                outofbandmanagementenabled: true,
                storagepools: [
                  {
                    allocated: '1100GiB',
                    capacity: '2TiB',
                    ipaddress: '10.10.0.5',
                    name: 'kvm-primary-nfs',
                    path: '/export/primary/kvm',
                    used: '614GiB',
                  },
                ],
              },
              {
                hosts: xenVms.map((vms, i) => ({
                  cpunumber: 16,
                  cpuspeed: 2200,
                  ipaddress: `10.10.0.${21 + i}`,
                  memorytotal: '96GiB',
                  name: `xen-host-0${i + 1}`,
                  vms,
                })),
                hypervisor: 'XenServer',
                name: 'xen-cluster-1',
                storagepools: [
                  {
                    allocated: '700GiB',
                    capacity: '1TiB',
                    ipaddress: '10.10.0.5',
                    name: 'xen-primary-nfs',
                    path: '/export/primary/xen',
                    used: '410GiB',
                  },
                ],
              },
            ],
            endip: '10.10.0.250',
            gateway: '10.10.0.1',
            name: 'pod-1',
            netmask: '255.255.255.0',
            startip: '10.10.0.100',
          },
        ],
        imagestores: [
          {capacity: '4TiB', name: 'nfs-secondary', url: 'nfs://10.10.0.5/export/secondary', used: '930GiB'},
        ],
        systemvms: true,
      },
    ],
  }
}

/** N KVM hosts in clusters of 32 (10 clusters per pod), one VM per host, OOBM on everywhere. */
export function largeTopology(hostCount: number): TopologySpec {
  if (!Number.isInteger(hostCount) || hostCount < 1) throw new Error(`invalid host count: ${hostCount}`)
  const clusters: ClusterSpec[] = []
  for (let c = 1, start = 0; start < hostCount; start += 32, c++) {
    clusters.push({
      hostcount: Math.min(32, hostCount - start),
      hosttemplate: {
        cpunumber: 64,
        cpuspeed: 2400,
        memorytotal: '512GiB',
        oobm: {
          driver: 'ipmitool',
          enabled: true,
          password: 'ipmi-password',
          powerstate: 'On',
          username: 'ADMIN',
        },
        rollingmaintenance: KVM_STAGES,
      },
      hypervisor: 'KVM',
      name: `cl${String(c).padStart(4, '0')}`,
      outofbandmanagementenabled: true,
      vmsperhost: 1,
    })
  }

  const pods: PodSpec[] = []
  for (let i = 0; i < clusters.length; i += 10) {
    pods.push({clusters: clusters.slice(i, i + 10), name: `pod-${String(i / 10 + 1).padStart(3, '0')}`})
  }

  return {
    seed: `moldctl-large-${hostCount}`,
    zones: [
      {
        name: 'zone-large',
        physicalnetworks: [{name: 'physnet-guest', traffictypes: ['Guest', 'Management'], vlan: '1000-3999'}],
        pods,
      },
    ],
  }
}
