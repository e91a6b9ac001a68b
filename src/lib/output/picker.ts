import type {MoldClient} from '../api/client.js'
import type {ApiObject} from '../api/types.js'

import {fetchVms} from '../api/fetch.js'
import {type KindName, KINDS} from '../infra/resolve.js'

export interface PickChoice {
  /** What is shown: name, state, and for hosts the IP, cluster and number of VMs. */
  label: string
  /** The entity's name (for the answer line and the confirmation). */
  name: string
  /** Running VMs on a host (for the confirmation); undefined for other kinds. */
  runningVms?: number
  /** What typing filters on: name, IP address, cluster, states. */
  search: string[]
  /** The entity's id, which the command then resolves like a typed argument. */
  value: string
}

/** The line shown for one entity in a picker. */
export function choiceLabel(kind: KindName, entity: ApiObject, vmCount?: number): string {
  const name = String(entity.name)
  if (kind === 'host') {
    const vms = vmCount === undefined ? '' : `, ${vmCount} VM${vmCount === 1 ? '' : 's'}`
    return `${name}  ${entity.ipaddress ?? ''}  (${entity.clustername ?? ''}: ${entity.state}/${entity.resourcestate}${vms})`
  }

  const extra = [entity.hypervisortype, entity.zonename, entity.allocationstate].filter(Boolean).join(', ')
  return extra ? `${name}  (${extra})` : name
}

/** The fields typing filters on: name, IP address, cluster (or zone) and states. */
export function searchFields(entity: ApiObject): string[] {
  return [
    entity.name,
    entity.ipaddress,
    entity.clustername,
    entity.zonename,
    entity.state,
    entity.resourcestate,
    entity.allocationstate,
  ]
    .filter((v) => v !== undefined && v !== null && v !== '')
    .map(String)
}

/**
 * Case-insensitive filter by what the operator typed: every word must be a substring of one of
 * the choice's fields (name, IP, cluster, state). Nothing typed keeps every choice.
 */
export function filterChoices<C extends Pick<PickChoice, 'search'>>(
  choices: C[],
  term: string | undefined,
): C[] {
  const words = (term ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  return choices.filter((c) => {
    const fields = c.search.map((f) => f.toLowerCase())
    return words.every((w) => fields.some((f) => f.includes(w)))
  })
}

/**
 * The question asked after a pick in a command that changes something, naming what was picked
 * (and each host's running VMs), e.g. "Put into maintenance 2 hosts: kvm-01 (3 running VMs),
 * kvm-02 (no running VMs)?".
 */
export function pickConfirmation(verb: string, kind: KindName, picked: readonly PickChoice[]): string {
  const names = picked.map((c) => {
    if (c.runningVms === undefined) return c.name
    const vms = c.runningVms === 0 ? 'no' : String(c.runningVms)
    return `${c.name} (${vms} running VM${c.runningVms === 1 ? '' : 's'})`
  })
  const what = picked.length === 1 ? `${kind} ${names[0]}` : `${picked.length} ${kind}s: ${names.join(', ')}`
  return `${verb} ${what}?`
}

async function loadChoices(client: MoldClient, kind: KindName): Promise<PickChoice[]> {
  const spec = KINDS[kind]
  const [entities, vms] = await Promise.all([
    client.list(spec.command, 'params' in spec ? spec.params : {}),
    kind === 'host' ? fetchVms(client, {listall: true}) : Promise.resolve([]),
  ])
  const perHost = new Map<string, number>()
  const runningPerHost = new Map<string, number>()
  for (const vm of vms) {
    if (!vm.hostid) continue
    const hostid = String(vm.hostid)
    perHost.set(hostid, (perHost.get(hostid) ?? 0) + 1)
    if (vm.state === 'Running') runningPerHost.set(hostid, (runningPerHost.get(hostid) ?? 0) + 1)
  }

  return entities
    .map((e) => ({
      label: choiceLabel(kind, e, kind === 'host' ? (perHost.get(String(e.id)) ?? 0) : undefined),
      name: String(e.name),
      runningVms: kind === 'host' ? (runningPerHost.get(String(e.id)) ?? 0) : undefined,
      search: searchFields(e),
      value: String(e.id),
    }))
    .sort((a, b) => a.label.localeCompare(b.label))
}

/** Lets the operator choose one entity at a terminal: type to filter, Enter to choose. */
export async function pickOne(client: MoldClient, kind: KindName): Promise<PickChoice> {
  const choices = await loadChoices(client, kind)
  const {filterPrompt} = await import('./filter-prompt.js')
  const [id] = await filterPrompt({
    choices,
    message: `Which ${KINDS[kind].noun}?`,
    multiple: false,
    noun: KINDS[kind].noun,
  })
  return choices.find((c) => c.value === id)!
}

/** Lets the operator tick several entities at a terminal: type to filter, Space to tick, Enter to accept. */
export async function pickMany(client: MoldClient, kind: KindName): Promise<PickChoice[]> {
  const choices = await loadChoices(client, kind)
  const {filterPrompt} = await import('./filter-prompt.js')
  const ids = await filterPrompt({
    choices,
    message: `Which ${KINDS[kind].noun}s?`,
    multiple: true,
    noun: KINDS[kind].noun,
  })
  return choices.filter((c) => ids.includes(c.value))
}
