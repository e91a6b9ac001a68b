/**
 * Settings through the API: the scope from --zone/--cluster, and finding one setting the way
 * updateConfiguration would, so unknown names and wrong scopes are refused with the server's own
 * words before anything is changed.
 */
import type {MoldClient} from '../api/client.js'
import type {ApiObject} from '../api/types.js'

import {UsageError} from '../core/errors.js'
import {resolveEntity} from '../infra/resolve.js'
import {scopeParams, SERVER_TEXT, type SettingScope} from './rules.js'

export interface SettingRecord extends ApiObject {
  defaultvalue?: string
  description?: string
  isdynamic?: boolean
  name: string
  scope?: string
  type?: string
  value?: string
}

/** The scope named by --zone or --cluster (oclif keeps them exclusive), else global. */
export async function resolveSettingScope(
  client: MoldClient,
  flags: {cluster?: string; zone?: string},
): Promise<SettingScope & {hypervisor?: string}> {
  if (flags.cluster) {
    const cluster = await resolveEntity(client, 'cluster', flags.cluster)
    return {
      hypervisor: cluster.hypervisortype as string | undefined,
      id: cluster.id,
      kind: 'cluster',
      name: cluster.name,
    }
  }

  if (flags.zone) {
    const zone = await resolveEntity(client, 'zone', flags.zone)
    return {id: zone.id, kind: 'zone', name: zone.name}
  }

  return {kind: 'global'}
}

export async function listSettings(
  client: MoldClient,
  scope: SettingScope,
  filter: {category?: string; keyword?: string},
): Promise<SettingRecord[]> {
  const settings = await client.list<SettingRecord>('listConfigurations', {
    ...scopeParams(scope),
    category: filter.category,
    keyword: filter.keyword,
  })
  return settings.sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * One setting as seen at the scope. Unknown names and settings that cannot be set at the scope
 * are usage errors worded like the server's.
 */
export async function findSetting(
  client: MoldClient,
  name: string,
  scope: SettingScope,
): Promise<SettingRecord> {
  const exact = (list: SettingRecord[]) => list.find((s) => s.name === name)
  const found = exact(await client.list<SettingRecord>('listConfigurations', {...scopeParams(scope), name}))
  if (found) return found
  if (scope.kind !== 'global' && exact(await client.list<SettingRecord>('listConfigurations', {name}))) {
    throw new UsageError(SERVER_TEXT.invalidScope(name), [
      `${name} cannot be set per ${scope.kind}; see which settings can: moldctl setting list --${scope.kind} ${scope.name}`,
    ])
  }

  throw new UsageError(SERVER_TEXT.unknownSetting(name), [
    'find settings with: moldctl setting list --filter WORD',
  ])
}
