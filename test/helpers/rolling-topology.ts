import type {HostSpec, StageSpec, TopologySpec} from '../../src/sim/state/topology/spec.js'

type Stages = Partial<Record<'Maintenance' | 'PostMaintenance' | 'PreFlight' | 'PreMaintenance', StageSpec>>

/** Stage scripts every host has unless a test changes them (short, successful). */
export const OK_STAGES: Stages = {
  Maintenance: {duration: 30, output: 'Maintenance: packages updated\nrebooted'},
  PostMaintenance: {duration: 5, output: 'PostMaintenance: ok'},
  PreFlight: {duration: 5, output: 'PreFlight: ok'},
  PreMaintenance: {duration: 5, output: 'PreMaintenance: ok'},
}

export interface RollingHostOptions {
  extra?: Partial<HostSpec>
  stages?: null | Stages
  /** VMs as [name, cpus, GiB] (Running unless a state is given). */
  vms?: Array<[string, number, number, string?]>
}

/**
 * A zone with one pod: KVM cluster `kvm-a` (hosts kvm-1…) and a XenServer cluster `xen-a` with
 * one host. Each KVM host gets OK_STAGES merged with its own stage overrides.
 */
export function rollingTopology(
  hosts: RollingHostOptions[],
  settings: Record<string, string> = {},
): TopologySpec {
  return {
    seed: 'rolling-test',
    settings,
    zones: [
      {
        name: 'zone-r',
        pods: [
          {
            clusters: [
              {
                hosts: hosts.map((options, i) => ({
                  cpunumber: 16,
                  cpuspeed: 2400,
                  ipaddress: `10.20.0.${11 + i}`,
                  memorytotal: '64GiB',
                  name: `kvm-${i + 1}`,
                  rollingmaintenance: options.stages === null ? {} : {...OK_STAGES, ...options.stages},
                  vms: (options.vms ?? [[`vm-${i + 1}`, 2, 4]]).map(([name, cpus, gib, state]) => ({
                    cpunumber: cpus,
                    cpuspeed: 2000,
                    memory: gib * 1024,
                    name,
                    state: (state ?? 'Running') as never,
                  })),
                  ...options.extra,
                })),
                hypervisor: 'KVM',
                name: 'kvm-a',
              },
              {
                hosts: [
                  {
                    cpunumber: 8,
                    cpuspeed: 2000,
                    ipaddress: '10.20.0.99',
                    memorytotal: '32GiB',
                    name: 'xen-1',
                  },
                ],
                hypervisor: 'XenServer',
                name: 'xen-a',
              },
            ],
            name: 'pod-r',
          },
        ],
      },
    ],
  }
}
