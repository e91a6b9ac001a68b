import type {MoldClient} from '../api/client.js'
import type {ApiObject} from '../api/types.js'

import {type KindName, KINDS} from '../infra/resolve.js'

export interface PickChoice {
  /** What is shown: name, state, and for hosts the number of VMs. */
  label: string
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

/** Case-insensitive filter of choices by what the operator typed (search as you type). */
export function filterChoices(choices: PickChoice[], term: string | undefined): PickChoice[] {
  const words = (term ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  return choices.filter((c) => words.every((w) => c.label.toLowerCase().includes(w)))
}

async function loadChoices(client: MoldClient, kind: KindName): Promise<PickChoice[]> {
  const spec = KINDS[kind]
  const [entities, vms] = await Promise.all([
    client.list(spec.command, 'params' in spec ? spec.params : {}),
    kind === 'host' ? client.list('listVirtualMachines', {listall: true}) : Promise.resolve([]),
  ])
  const perHost = new Map<string, number>()
  for (const vm of vms)
    if (vm.hostid) perHost.set(String(vm.hostid), (perHost.get(String(vm.hostid)) ?? 0) + 1)
  return entities
    .map((e) => ({
      label: choiceLabel(kind, e, kind === 'host' ? (perHost.get(String(e.id)) ?? 0) : undefined),
      value: String(e.id),
    }))
    .sort((a, b) => a.label.localeCompare(b.label))
}

/** Lets the operator choose one entity at a terminal, searching as they type. */
export async function pickOne(client: MoldClient, kind: KindName): Promise<string> {
  const choices = await loadChoices(client, kind)
  const {search} = await import('@inquirer/prompts')
  return search({
    message: `Which ${KINDS[kind].noun}? (type to search)`,
    source: async (term) => filterChoices(choices, term).map((c) => ({name: c.label, value: c.value})),
  })
}

/** Lets the operator tick several entities at a terminal (a checkbox list). */
export async function pickMany(client: MoldClient, kind: KindName): Promise<string[]> {
  const choices = await loadChoices(client, kind)
  const {checkbox} = await import('@inquirer/prompts')
  return checkbox({
    choices: choices.map((c) => ({name: c.label, value: c.value})),
    message: `Which ${KINDS[kind].noun}s? (space to tick, enter to confirm)`,
    pageSize: 15,
    required: true,
  })
}
