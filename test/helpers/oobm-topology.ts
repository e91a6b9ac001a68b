import type {HostSpec, TopologySpec} from '../../src/sim/state/topology/spec.js'

const ipmi = (n: number, extra: Partial<NonNullable<HostSpec['oobm']>> = {}) => ({
  address: `10.20.1.${n}`,
  driver: 'ipmitool' as const,
  enabled: true,
  password: `ipmi-pass-${n}`,
  port: '623',
  powerstate: 'On' as const,
  username: 'ADMIN',
  ...extra,
})

/**
 * A cloud for out-of-band management tests: one cluster holding a host of every OOBM situation
 * (healthy, powered off, wrong BMC credentials, unreachable BMC, in maintenance, unconfigured,
 * disabled, Degraded, redfish, slow BMC), a cluster with OOBM disabled and a zone with OOBM
 * disabled.
 */
export function oobmTopology(): TopologySpec {
  const hosts: HostSpec[] = [
    {
      bmc: {latencyms: 100, power: 'On'},
      name: 'kvm-a01',
      oobm: ipmi(1),
      vms: [{name: 'vm-a01-1'}, {name: 'vm-a01-2'}],
    },
    {
      bmc: {latencyms: 100, power: 'Off'},
      name: 'kvm-a02',
      oobm: ipmi(2, {powerstate: 'Off'}),
      vms: [{name: 'vm-a02-stopped', state: 'Stopped'}],
    },
    {bmc: {mode: 'wrong-credentials'}, name: 'kvm-a03', oobm: ipmi(3), vms: [{name: 'vm-a03-1'}]},
    {bmc: {mode: 'unreachable'}, name: 'kvm-a04', oobm: ipmi(4)},
    {name: 'kvm-a05', oobm: ipmi(5), resourcestate: 'Maintenance'},
    {name: 'kvm-a06'},
    {name: 'kvm-a07', oobm: ipmi(7, {enabled: false, powerstate: 'Disabled'})},
    {name: 'kvm-a08', oobm: ipmi(8), resourcestate: 'Degraded', state: 'Alert'},
    {
      name: 'kvm-a09',
      oobm: {
        address: '10.20.1.9',
        driver: 'redfish',
        enabled: true,
        password: 'rf-pass',
        port: '443',
        powerstate: 'On',
        username: 'root',
      },
    },
    {bmc: {latencyms: 5000}, name: 'kvm-a10', oobm: ipmi(10)},
  ]
  return {
    seed: 'moldctl-oobm-tests',
    zones: [
      {
        name: 'zone-1',
        pods: [
          {
            clusters: [
              {hosts, hypervisor: 'KVM', name: 'kvm-a', outofbandmanagementenabled: true},
              {
                hosts: [{name: 'kvm-b01', oobm: ipmi(21)}],
                hypervisor: 'KVM',
                name: 'kvm-b',
                outofbandmanagementenabled: false,
              },
            ],
            name: 'pod-1',
          },
        ],
      },
      {
        name: 'zone-2',
        outofbandmanagementenabled: false,
        pods: [
          {
            clusters: [{hosts: [{name: 'kvm-c01', oobm: ipmi(31)}], hypervisor: 'KVM', name: 'kvm-c'}],
            name: 'pod-2',
          },
        ],
      },
    ],
  }
}
