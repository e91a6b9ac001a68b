import {isIPv4, isIPv6} from 'node:net'

import type {AllocationState, Pod, SimModel, Zone} from '../state/model.js'

import {SimApiError} from '../catalog/registry.js'

/*
 * updateZone and updatePod as ConfigurationManagerImpl.editZone / editPod apply them
 * (server/src/main/java/com/cloud/configuration/ConfigurationManagerImpl.java): unset parameters
 * keep the current values, checkZoneParameters / checkPodAttributes validate the result with
 * the server's texts (InvalidParameterValueException, 431/4350), then everything is stored.
 */

const DOMAIN_LABEL = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/
const DOMAIN_TEXT =
  "Total length shouldn't exceed 190 chars. Each domain label must be between 1 and 63 characters long, can contain ASCII letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'); can't start or end with \"-\""

/** NetUtils.verifyDomainName. */
function validDomainName(name: string): boolean {
  return name.length <= 190 && name.split('.').every((label) => DOMAIN_LABEL.test(label))
}

/** Grouping.AllocationState.valueOf, refused with the text of checkZoneParameters/checkPodAttributes. */
export function allocationStateOf(value: string | undefined): AllocationState | undefined {
  if (value === undefined || value === '') return undefined
  if (value === 'Enabled' || value === 'Disabled') return value
  throw SimApiError.invalidParameter(`Unable to resolve Allocation State '${value}' to a supported state`)
}

export interface ZoneEdit {
  allocationstate?: string
  details?: Array<Record<string, string>>
  dhcpprovider?: string
  dns1?: string
  dns2?: string
  dnssearchorder?: string[]
  domain?: string
  guestcidraddress?: string
  internaldns1?: string
  internaldns2?: string
  ip6dns1?: string
  ip6dns2?: string
  ispublic?: boolean
  localstorageenabled?: boolean
  name?: string
  sortkey?: number
}

/** NetUtils.validateGuestCidr: an IPv4 CIDR in a private (RFC 1918) range. */
function validGuestCidr(cidr: string): boolean {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr)
  if (!match || !isIPv4(match[1]) || Number(match[2]) > 32) return false
  const [a, b] = match[1].split('.').map(Number)
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
}

function checkAddress(value: string | undefined, valid: (v: string) => boolean, text: string): void {
  if (value !== undefined && value.length > 0 && !valid(value)) throw SimApiError.invalidParameter(text)
}

/** The zone details an edit sets (details map and dns search order), validated. */
function zoneDetails(edit: ZoneEdit): Record<string, string> {
  const details: Record<string, string> = {}
  for (const detail of edit.details ?? []) {
    if (detail.key === undefined || detail.value === undefined) {
      throw SimApiError.invalidParameter(
        "Invalid Zone Detail specified, fields 'key' and 'value' cannot be null, please specify details in the form:  details[0].key=XXX&details[0].value=YYY",
      )
    }

    details[detail.key] = detail.value
  }

  if (edit.dnssearchorder) {
    if (!edit.dnssearchorder.every((name) => validDomainName(name))) {
      throw SimApiError.invalidParameter(`Invalid network domain suffixes. ${DOMAIN_TEXT}`)
    }

    details['dns.search.order'] = edit.dnssearchorder.join(',')
  }

  return details
}

/** editZone: validates every given value first, then applies them all. */
export function editZone(model: SimModel, zone: Zone, edit: ZoneEdit): Zone {
  const details = zoneDetails(edit)

  if (edit.guestcidraddress !== undefined && !validGuestCidr(edit.guestcidraddress)) {
    throw SimApiError.invalidParameter('Please enter a valid guest cidr')
  }

  if (edit.domain && !validDomainName(edit.domain)) {
    throw SimApiError.invalidParameter(`Invalid network domain. ${DOMAIN_TEXT}`)
  }

  const name = edit.name ?? zone.name
  if (name !== zone.name && model.state.zones.some((other) => other.name === name)) {
    throw SimApiError.invalidParameter(
      'A zone with that name already exists. Please specify a unique zone name.',
    )
  }

  checkZoneAddresses(edit)
  const state = allocationStateOf(edit.allocationstate)
  applyZoneEdit(zone, edit)
  zone.name = name
  Object.assign(zone.details, details)
  if (state) zone.allocationState = state
  // ispublic=true makes a dedicated zone public; the simulator's zones are all public already.
  return zone
}

/** checkZoneParameters' address checks (empty strings pass, as on the server). */
function checkZoneAddresses(edit: ZoneEdit): void {
  checkAddress(edit.dns1, isIPv4, 'Please enter a valid IP address for DNS1')
  checkAddress(edit.dns2, isIPv4, 'Please enter a valid IP address for DNS2')
  checkAddress(edit.internaldns1, isIPv4, 'Please enter a valid IP address for internal DNS1')
  checkAddress(edit.internaldns2, isIPv4, 'Please enter a valid IP address for internal DNS2')
  checkAddress(edit.ip6dns1, isIPv6, 'Please enter a valid IPv6 address for IP6 DNS1')
  checkAddress(edit.ip6dns2, isIPv6, 'Please enter a valid IPv6 address for IP6 DNS2')
}

function applyZoneEdit(zone: Zone, edit: ZoneEdit): void {
  zone.dns1 = edit.dns1 ?? zone.dns1
  zone.dns2 = edit.dns2 ?? zone.dns2
  zone.ip6Dns1 = edit.ip6dns1 ?? zone.ip6Dns1
  zone.ip6Dns2 = edit.ip6dns2 ?? zone.ip6Dns2
  zone.internalDns1 = edit.internaldns1 ?? zone.internalDns1
  zone.internalDns2 = edit.internaldns2 ?? zone.internalDns2
  zone.guestCidr = edit.guestcidraddress ?? zone.guestCidr
  zone.sortKey = edit.sortkey ?? zone.sortKey
  if (edit.localstorageenabled !== undefined) zone.localStorageEnabled = edit.localstorageenabled
  // An empty domain clears it.
  if (edit.domain !== undefined) zone.domain = edit.domain === '' ? undefined : edit.domain
  if (edit.dhcpprovider !== undefined) zone.dhcpProvider = edit.dhcpprovider
}

export interface PodEdit {
  allocationstate?: string
  endip?: string
  gateway?: string
  name?: string
  netmask?: string
  startip?: string
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0)
}

/** The prefix length of a dotted netmask, or undefined when it is not one. */
function netmaskBits(netmask: string): number | undefined {
  if (!isIPv4(netmask)) return undefined
  const bits = ipNumber(netmask).toString(2).padStart(32, '0')
  return /^1*0*$/.test(bits) ? (bits.includes('0') ? bits.indexOf('0') : 32) : undefined
}

function sameSubnet(a: string, b: string, bits: number): boolean {
  const shift = 32 - bits
  return Math.floor(ipNumber(a) / 2 ** shift) === Math.floor(ipNumber(b) / 2 ** shift)
}

function fail(text: string): never {
  throw SimApiError.invalidParameter(text)
}

/** checkPodAttributes (non-Edge zones): name, CIDR, IP range and gateway, in the server's order. */
function checkPod(model: SimModel, pod: Pod, next: Omit<Required<PodEdit>, 'allocationstate'>): void {
  const {endip, gateway, name, netmask, startip} = next
  if (name !== pod.name && model.state.pods.some((p) => p.zoneId === pod.zoneId && p.name === name)) {
    const zone = model.zones.get(pod.zoneId)!
    throw SimApiError.invalidParameter(
      `A pod with name: ${name} already exists in zone ${zone.internalId}. Please specify a different pod name. `,
    )
  }

  const bits = netmaskBits(netmask)
  if (bits === undefined || !isIPv4(gateway)) {
    throw SimApiError.invalidParameter(`Please enter a valid CIDR for pod: ${name}`)
  }

  if (!isIPv4(startip)) fail('The start address of the IP range is not a valid IP address.')
  if (!isIPv4(endip)) fail('The end address of the IP range is not a valid IP address.')
  if (!sameSubnet(startip, gateway, bits))
    fail('The start address of the IP range is not in the CIDR subnet.')
  if (!sameSubnet(endip, gateway, bits)) fail('The end address of the IP range is not in the CIDR subnet.')
  if (ipNumber(startip) > ipNumber(endip)) {
    fail('The start IP address must have a lower value than the end IP address.')
  }

  const g = ipNumber(gateway)
  if (g >= ipNumber(startip) && g <= ipNumber(endip))
    fail("The gateway shouldn't overlap start/end IP addresses")
}

/** editPod: the current values fill what is not given; the result is checked, then stored. */
export function editPod(model: SimModel, pod: Pod, edit: PodEdit): Pod {
  const next = {
    endip: edit.endip ?? pod.endIp,
    gateway: edit.gateway ?? pod.gateway,
    name: edit.name ?? pod.name,
    netmask: edit.netmask ?? pod.netmask,
    startip: edit.startip ?? pod.startIp,
  }
  checkPod(model, pod, next)
  const state = allocationStateOf(edit.allocationstate)
  Object.assign(pod, {
    endIp: next.endip,
    gateway: next.gateway,
    name: next.name,
    netmask: next.netmask,
    startIp: next.startip,
  })
  if (state) pod.allocationState = state
  return pod
}
