import type {NetworkOffering} from './model.js'

import {deterministicUuid} from './ids.js'

/*
 * The network offerings a fresh install has (ConfigurationServerImpl.createDefaultNetworkOfferings
 * in apache/cloudstack); none of the isolated ones has "Specify VLAN". Ids follow the seed.
 */

const DEFAULT_OFFERINGS: Array<Omit<NetworkOffering, 'created' | 'id' | 'internalId'>> = [
  {
    availability: 'Required',
    conserveMode: true,
    displayText: 'Offering for Isolated networks with Source Nat service enabled',
    egressDefaultPolicy: false,
    guestIpType: 'Isolated',
    isDefault: true,
    isPersistent: false,
    name: 'DefaultIsolatedNetworkOfferingWithSourceNatService',
    services: isolatedServices(),
    specifyIpRanges: false,
    specifyVlan: false,
    state: 'Enabled',
    trafficType: 'Guest',
  },
  {
    availability: 'Optional',
    conserveMode: true,
    displayText: 'Offering for Isolated networks with no Source Nat service',
    egressDefaultPolicy: false,
    guestIpType: 'Isolated',
    isDefault: true,
    isPersistent: false,
    name: 'DefaultIsolatedNetworkOffering',
    services: {Dhcp: ['VirtualRouter'], Dns: ['VirtualRouter'], UserData: ['VirtualRouter']},
    specifyIpRanges: true,
    specifyVlan: false,
    state: 'Enabled',
    trafficType: 'Guest',
  },
  {
    availability: 'Optional',
    conserveMode: true,
    displayText: 'Offering for Shared networks',
    egressDefaultPolicy: false,
    guestIpType: 'Shared',
    isDefault: true,
    isPersistent: false,
    name: 'DefaultSharedNetworkOffering',
    services: {Dhcp: ['VirtualRouter'], Dns: ['VirtualRouter'], UserData: ['VirtualRouter']},
    specifyIpRanges: true,
    specifyVlan: true,
    state: 'Enabled',
    trafficType: 'Guest',
  },
  {
    availability: 'Optional',
    conserveMode: true,
    displayText: 'Offering for L2 networks VLAN',
    egressDefaultPolicy: false,
    guestIpType: 'L2',
    isDefault: true,
    isPersistent: false,
    name: 'DefaultL2NetworkOfferingVlan',
    services: {},
    specifyIpRanges: false,
    specifyVlan: true,
    state: 'Enabled',
    trafficType: 'Guest',
  },
]

function isolatedServices(): Record<string, string[]> {
  const vr = ['VirtualRouter']
  return {
    Dhcp: vr,
    Dns: vr,
    Firewall: vr,
    Lb: vr,
    PortForwarding: vr,
    SourceNat: vr,
    StaticNat: vr,
    UserData: vr,
    Vpn: vr,
  }
}

/** The default offerings of a cloud built from `seed`. */
export function defaultNetworkOfferings(seed: string): NetworkOffering[] {
  const created = new Date(0).toISOString()
  return DEFAULT_OFFERINGS.map((offering, i) => ({
    ...offering,
    created,
    id: deterministicUuid(seed, `networkoffering:${offering.name}`),
    internalId: i + 1,
  }))
}
