import type {MoldClient} from '../api/client.js'
import type {ApiObject} from '../api/types.js'
import type {CloudKind, NameCache} from './name-cache.js'

/** The list call behind each kind of name, and the fields that are names (a host's IP too). */
const SOURCES: Record<CloudKind, {command: string; fields: string[]; params?: Record<string, string>}> = {
  cluster: {command: 'listClusters', fields: ['name']},
  host: {command: 'listHosts', fields: ['name', 'ipaddress'], params: {type: 'Routing'}},
  physicalnetwork: {command: 'listPhysicalNetworks', fields: ['name']},
  pod: {command: 'listPods', fields: ['name']},
  setting: {command: 'listConfigurations', fields: ['name']},
  zone: {command: 'listZones', fields: ['name']},
}

/**
 * Every name completion offers, read at once (one list call per kind, all pages). A kind the
 * account may not list is left out; when nothing could be read, the cache says it failed.
 */
export async function fetchNames(client: MoldClient, now: () => number = Date.now): Promise<NameCache> {
  const kinds = Object.keys(SOURCES) as CloudKind[]
  const results = await Promise.allSettled(
    kinds.map(async (kind) => {
      const {command, fields, params} = SOURCES[kind]
      const items = await client.list<ApiObject>(command, params ?? {})
      const names = new Set<string>()
      for (const item of items)
        for (const field of fields) if (typeof item[field] === 'string' && item[field]) names.add(item[field])
      return [...names].sort()
    }),
  )
  const names: NameCache['names'] = {}
  for (const [i, result] of results.entries())
    if (result.status === 'fulfilled') names[kinds[i]] = result.value
  const failed = results.every((r) => r.status === 'rejected')
  return {fetchedAt: now(), ...(failed ? {failed} : {}), names, version: 1}
}
