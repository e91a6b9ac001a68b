import type {MoldClient} from '../api/client.js'
import type {ApiObject, Params} from '../api/types.js'

import {ApiError, NotFoundError, UsageError} from '../core/errors.js'
import {suggest} from '../core/suggest.js'

export const UUID_PATTERN = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i
const IPV4_PATTERN = /^\d{1,3}(\.\d{1,3}){3}$/

export interface Entity extends ApiObject {
  id: string
  name: string
}

interface Kind {
  command: string
  /** Extra fields an operator may type instead of the name (hosts: the IP address). */
  matchFields: string[]
  noun: string
  params?: Params
}

export const KINDS = {
  cluster: {command: 'listClusters', matchFields: [], noun: 'cluster'},
  host: {command: 'listHosts', matchFields: ['ipaddress'], noun: 'host', params: {type: 'Routing'}},
  pod: {command: 'listPods', matchFields: [], noun: 'pod'},
  zone: {command: 'listZones', matchFields: [], noun: 'zone'},
} satisfies Record<string, Kind>

export type KindName = keyof typeof KINDS

/**
 * Finds one zone, pod, cluster or host by UUID, exact name or (hosts) IP address. Unknown and
 * ambiguous references are usage errors (exit 2); ambiguity lists the candidates with their ids.
 */
export async function resolveEntity<T extends Entity = Entity>(
  client: MoldClient,
  kindName: KindName,
  ref: string,
  scope: Params = {},
): Promise<T> {
  const kind: Kind = KINDS[kindName]
  const reference = ref.trim()
  if (!reference) throw new UsageError(`an empty ${kind.noun} name was given`)
  if (UUID_PATTERN.test(reference)) {
    // The server answers 431 for an id that names no entity; an empty list is possible too.
    const found = await client
      .list<T>(kind.command, {...kind.params, ...scope, id: reference.toLowerCase()})
      .then((items) => items[0])
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.errorcode === 431) return
        throw error
      })
    if (found) return found
    throw new NotFoundError(`no ${kind.noun} has the id ${reference}`, [
      `list them with: moldctl ${kind.noun} list`,
    ])
  }

  const byIp = kind.matchFields.length > 0 && IPV4_PATTERN.test(reference)
  const candidates = await client.list<T>(
    kind.command,
    byIp ? {...kind.params, ...scope} : {...kind.params, ...scope, name: reference},
  )
  const exact = candidates.filter(
    (e) => e.name === reference || kind.matchFields.some((f) => e[f] === reference),
  )
  if (exact.length === 1) return exact[0]
  if (exact.length > 1) {
    throw new UsageError(
      `"${reference}" matches ${exact.length} ${kind.noun}s; use the id of one:`,
      exact.map((e) => describe(e)),
    )
  }

  // Not found. The server's `name` filter finds only names containing what was typed; the
  // suggestions come from every name in scope, by edit distance (listed only on this error path).
  const everything = byIp ? candidates : await client.list<T>(kind.command, {...kind.params, ...scope})
  const near = suggest(
    reference,
    everything.flatMap((e) => [e.name, ...kind.matchFields.map((f) => String(e[f] ?? ''))]).filter(Boolean),
  )
  const similar = everything.filter(
    (e) => near.includes(e.name) || kind.matchFields.some((f) => near.includes(String(e[f]))),
  )
  similar.sort((a, b) => near.indexOf(a.name) - near.indexOf(b.name))
  throw new NotFoundError(
    `no ${kind.noun} is named "${reference}"`,
    similar.length > 0
      ? ['did you mean:', ...similar.map((e) => describe(e))]
      : [`list them with: moldctl ${kind.noun} list`],
  )
}

/** Resolves several references, in order, failing on the first bad one (before any change). */
export async function resolveEntities<T extends Entity = Entity>(
  client: MoldClient,
  kindName: KindName,
  refs: string[],
  scope: Params = {},
): Promise<T[]> {
  const out: T[] = []
  for (const ref of refs) {
    // eslint-disable-next-line no-await-in-loop
    const entity = await resolveEntity<T>(client, kindName, ref, scope)
    if (!out.some((e) => e.id === entity.id)) out.push(entity)
  }

  return out
}

function describe(e: Entity): string {
  const where = [
    e.ipaddress,
    e.clustername ?? e.podname ?? e.zonename,
    e.resourcestate ?? e.allocationstate,
  ].filter(Boolean)
  return `${e.name}  ${e.id}${where.length > 0 ? `  (${where.join(', ')})` : ''}`
}
