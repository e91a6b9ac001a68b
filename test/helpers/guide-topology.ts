import type {TopologySpec} from '../../src/sim/topology.js'

/**
 * The admin guide's overprovisioning example as a cloud: a KVM cluster whose one host has 2 GB
 * of memory and a memory factor of 2, running three VMs of 1 GB each (started under factor 2),
 * plus a XenServer cluster for the factor limit of 4.
 */
export function guideTopology(): TopologySpec {
  return {
    seed: 'moldctl-guide',
    zones: [
      {
        name: 'guide-zone',
        physicalnetworks: [
          {name: 'guide-physnet', traffictypes: ['Guest'], vlan: '500-599', allocated: [{vnet: 500}]},
        ],
        pods: [
          {
            clusters: [
              {
                details: {memoryOvercommitRatio: '2.0'},
                hosts: [
                  {
                    cpunumber: 4,
                    cpuspeed: 2000,
                    memorytotal: '2GiB',
                    name: 'guide-kvm-host',
                    vms: ['vm-a', 'vm-b', 'vm-c'].map((name) => ({
                      cpunumber: 1,
                      cpuspeed: 1000,
                      memory: 1024,
                      name,
                    })),
                  },
                ],
                hypervisor: 'KVM',
                name: 'guide-kvm',
              },
              {
                hosts: [
                  {
                    cpunumber: 8,
                    cpuspeed: 2000,
                    memorytotal: '16GiB',
                    name: 'guide-xen-host',
                    vms: [{cpunumber: 2, cpuspeed: 2000, memory: 4096, name: 'xen-vm'}],
                  },
                ],
                hypervisor: 'XenServer',
                name: 'guide-xen',
              },
            ],
            name: 'guide-pod',
          },
        ],
      },
    ],
  }
}
