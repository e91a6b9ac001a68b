import type {MoldClient} from '../api/client.js'
import type {ApiObject, Params} from '../api/types.js'
import type {Column} from '../output/columns.js'

import {MoldctlError, UsageError} from '../core/errors.js'
import {type PlannedCall} from '../infra/allocation.js'
import {UUID_PATTERN} from '../infra/resolve.js'

/*
 * Network offerings, for the admin guide's "VLAN provisioning": a root admin can give an isolated
 * network a VLAN of their choice when it is created, with a network offering whose "Specify VLAN"
 * is on (specifyvlan=true). Fresh installs have no such isolated offering; `network offering
 * create --specify-vlan` makes one (createNetworkOffering, then updateNetworkOffering
 * state=Enabled: offerings are created Disabled, ConfigurationManagerImpl.createNetworkOffering).
 */

export interface NetworkOffering extends ApiObject {
  displaytext?: string
  guestiptype?: string
  id: string
  name: string
  specifyvlan?: boolean
  state?: string
  traffictype?: string
}

export const OFFERING_COLUMNS: Column<NetworkOffering>[] = [
  {header: 'NAME', key: 'name', shrink: false},
  {header: 'GUEST TYPE', key: 'guestiptype'},
  {get: (o) => (o.specifyvlan ? 'yes' : 'no'), header: 'SPECIFY VLAN', key: 'specifyvlan'},
  {header: 'STATE', key: 'state'},
  {header: 'ID', key: 'id', shrink: false},
  {header: 'DESCRIPTION', key: 'displaytext'},
]

export async function listNetworkOfferings(
  client: MoldClient,
  filter: {guestIpType?: string; specifyVlan?: boolean; state?: string} = {},
): Promise<NetworkOffering[]> {
  return client.list<NetworkOffering>('listNetworkOfferings', {
    guestiptype: filter.guestIpType,
    specifyvlan: filter.specifyVlan,
    state: filter.state,
  })
}

/** Whether an offering can carry an isolated network with a VLAN the admin picks. */
export function offeringProblem(offering: NetworkOffering): string | undefined {
  if (offering.guestiptype !== 'Isolated')
    return `network offering ${offering.name} is for ${offering.guestiptype ?? 'other'} networks, not Isolated ones`
  if (!offering.specifyvlan)
    return `network offering ${offering.name} has "Specify VLAN" off: the server refuses a VLAN with it ("Can't specify vlan; corresponding offering says specifyVlan=false")`
  if (offering.state !== 'Enabled')
    return `network offering ${offering.name} is ${offering.state ?? 'not Enabled'}: the server refuses it ("Can't use specified network offering id as its stat is not Enabled")`
  return undefined
}

/** An offering by id or exact name. */
export async function resolveOffering(client: MoldClient, ref: string): Promise<NetworkOffering> {
  const offerings = await listNetworkOfferings(client)
  const wanted = ref.trim()
  const found = UUID_PATTERN.test(wanted)
    ? offerings.filter((o) => o.id === wanted.toLowerCase())
    : offerings.filter((o) => o.name === wanted)
  if (found.length === 1) return found[0]
  if (found.length > 1) {
    throw new UsageError(
      `"${wanted}" matches ${found.length} network offerings; use the id of one:`,
      found.map((o) => `${o.name}  ${o.id}`),
    )
  }

  throw new UsageError(`no network offering is named "${wanted}"`, [
    'list them with: moldctl network offering list',
  ])
}

/** The one enabled isolated offering with Specify VLAN, when --offering is not given. */
export async function pickVlanOffering(client: MoldClient): Promise<NetworkOffering | undefined> {
  const candidates = (await listNetworkOfferings(client, {guestIpType: 'Isolated', state: 'Enabled'})).filter(
    (o) => o.specifyvlan === true,
  )
  if (candidates.length > 1) {
    throw new UsageError(
      `${candidates.length} enabled isolated network offerings have "Specify VLAN" on; pick one with --offering:`,
      candidates.map((o) => `${o.name}  ${o.id}`),
    )
  }

  return candidates[0]
}

/** The services an isolated offering with a virtual router gets unless --services says otherwise. */
export const DEFAULT_ISOLATED_SERVICES = [
  'Dhcp',
  'Dns',
  'Firewall',
  'Lb',
  'PortForwarding',
  'SourceNat',
  'StaticNat',
  'UserData',
]

export interface OfferingInput {
  displayText?: string
  name: string
  services?: string[]
  specifyVlan: boolean
}

/** createNetworkOffering (every service by the VirtualRouter) and updateNetworkOffering state=Enabled. */
export function planCreateOffering(input: OfferingInput): PlannedCall[] {
  const name = input.name.trim()
  if (!name) throw new UsageError('the offering needs a name')
  const services = input.services && input.services.length > 0 ? input.services : DEFAULT_ISOLATED_SERVICES
  const params: Params = {
    displaytext: input.displayText ?? name,
    guestiptype: 'Isolated',
    name,
    specifyvlan: input.specifyVlan,
    supportedservices: services,
    traffictype: 'GUEST',
  }
  for (const [i, service] of services.entries()) {
    params[`serviceproviderlist[${i}].service`] = service
    params[`serviceproviderlist[${i}].provider`] = 'VirtualRouter'
  }

  return [
    {command: 'createNetworkOffering', params},
    {command: 'updateNetworkOffering', params: {id: '<new offering id>', state: 'Enabled'}},
  ]
}

export async function createOffering(client: MoldClient, calls: PlannedCall[]): Promise<NetworkOffering> {
  const [create, enable] = calls
  const answer = await client.request(create.command, create.params)
  const created = answer.networkoffering as NetworkOffering | undefined
  if (!created) throw new MoldctlError('createNetworkOffering answered without an offering')
  const updated = await client.request(enable.command, {...enable.params, id: created.id})
  return (updated.networkoffering as NetworkOffering | undefined) ?? created
}
