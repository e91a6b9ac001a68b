import type {TopologySpec} from '../../src/sim/state/topology/spec.js'

/**
 * A cloud for the guest network tests: zone-1's guest physical network guest-1 has the dynamic
 * range 600-799 (612 allocated, 700-749 dedicated to tenant-a); a second physical network of the
 * zone, public-1 (Public traffic only), has 800-899 with 850-859 dedicated to tenant-b. zone-2 has
 * two guest physical networks (no single one to create a network on).
 */
export function networkTopology(): TopologySpec {
  return {
    accounts: [
      {domain: 'customers', name: 'tenant-a'},
      {domain: 'customers', name: 'tenant-b'},
    ],
    domains: ['customers'],
    projects: [{account: 'tenant-a', name: 'lab'}],
    seed: 'network-tests',
    zones: [
      {
        name: 'zone-1',
        physicalnetworks: [
          {
            allocated: [{account: 'tenant-a', vnet: 612}],
            dedicated: [{account: 'tenant-a', range: '700-749'}],
            isolationmethods: ['VLAN'],
            name: 'guest-1',
            traffictypes: ['Guest'],
            vlan: '600-799',
          },
          {
            dedicated: [{account: 'tenant-b', range: '850-859'}],
            isolationmethods: ['VLAN'],
            name: 'public-1',
            traffictypes: ['Public'],
            vlan: '800-899',
          },
        ],
      },
      {
        name: 'zone-2',
        physicalnetworks: [
          {name: 'guest-2a', traffictypes: ['Guest'], vlan: '1000-1099'},
          {name: 'guest-2b', traffictypes: ['Guest'], vlan: '2000-2099'},
        ],
      },
    ],
  }
}
