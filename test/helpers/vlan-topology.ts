import type {TopologySpec} from '../../src/sim/state/topology/spec.js'

/**
 * A cloud for the VLAN tests: zone-1 has one guest physical network (600-799, VLANs 612 and 640
 * allocated, 700-749 dedicated to tenant-a) beside a management-only one; zone-2 has two guest
 * physical networks; zone-3 a VXLAN one; zone-basic is a Basic zone.
 */
export function vlanTopology(): TopologySpec {
  return {
    accounts: [
      {domain: 'customers', name: 'tenant-a'},
      {domain: 'customers', name: 'tenant-b'},
    ],
    domains: ['customers'],
    projects: [{account: 'tenant-a', name: 'lab'}],
    seed: 'vlan-tests',
    zones: [
      {
        name: 'zone-1',
        physicalnetworks: [
          {
            allocated: [
              {account: 'tenant-a', vnet: 612},
              {account: 'tenant-b', vnet: 640},
            ],
            dedicated: [{account: 'tenant-a', range: '700-749'}],
            isolationmethods: ['VLAN'],
            name: 'guest-1',
            traffictypes: ['Guest', 'Public'],
            vlan: '600-799',
          },
          {name: 'mgmt-1', traffictypes: ['Management', 'Storage']},
        ],
      },
      {
        name: 'zone-2',
        physicalnetworks: [
          {name: 'guest-2a', traffictypes: ['Guest'], vlan: '1000-1099'},
          {name: 'guest-2b', traffictypes: ['Guest'], vlan: '2000-2099'},
        ],
      },
      {
        name: 'zone-3',
        physicalnetworks: [
          {isolationmethods: ['VXLAN'], name: 'vxlan-3', traffictypes: ['Guest'], vlan: '5000-5999'},
          {isolationmethods: ['VXLAN'], name: 'vxlan-3b', traffictypes: ['Management'], vlan: '7000-7099'},
        ],
      },
      {
        name: 'zone-basic',
        networktype: 'Basic',
        physicalnetworks: [{name: 'basic-pn', traffictypes: ['Guest']}],
      },
      {name: 'zone-empty', physicalnetworks: [{name: 'storage-only', traffictypes: ['Storage']}]},
    ],
  }
}
