/**
 * `setting set|reset`: find the setting the way the server would, check the value against its
 * rules (refused before any change), then one call: updateConfiguration or resetConfiguration.
 */
import type {MoldClient} from '../api/client.js'
import type {SettingRecord} from './fetch.js'

import {UsageError} from '../core/errors.js'
import {checkGlobalFactorForXenServer, kvmMemoryPrerequisites} from '../overprovision/guide-warnings.js'
import {checkFactorForHypervisor, FACTOR_SETTING} from '../overprovision/rules.js'
import {findSetting, resolveSettingScope} from './fetch.js'
import {normaliseSettingValue, scopeParams, settingValueProblem} from './rules.js'

/** Where a setting is changed: a cluster, a zone, or (neither) globally. */
export interface SettingTarget {
  cluster?: string
  zone?: string
}

/** A checked change, before it is sent. */
export interface SettingChange {
  command: 'resetConfiguration' | 'updateConfiguration'
  params: Record<string, string>
  setting: SettingRecord
  /** Limits that `force` overrode. */
  warnings: string[]
}

/** What `setting set|reset --dry-run --json` prints. */
export interface SettingDryRun {
  dryrun: true
  params: Record<string, string>
  setting: SettingRecord
}

/** The setting as the server answers after the change (the API's field names). */
export type SettingChanged = Record<string, unknown>

export async function planSettingSet(
  client: MoldClient,
  name: string,
  value: string,
  opts: SettingTarget & {force: boolean},
): Promise<SettingChange> {
  const scope = await resolveSettingScope(client, opts)
  const setting = await findSetting(client, name, scope)
  const normalised = normaliseSettingValue(value, scope.kind !== 'global')
  const problem = settingValueProblem(setting, normalised)
  if (problem) throw new UsageError(problem)
  const warnings: string[] = []
  if (normalised && Object.values(FACTOR_SETTING).includes(name)) {
    const factor = Number(normalised)
    const warning =
      scope.kind === 'cluster'
        ? checkFactorForHypervisor(factor, scope.hypervisor, {
            clusterName: scope.name,
            flag: name,
            force: opts.force,
          })
        : scope.kind === 'global'
          ? await checkGlobalFactorForXenServer(client, {factor, force: opts.force, name})
          : undefined
    if (warning) warnings.push(warning)
    if (name === FACTOR_SETTING.memory && scope.kind === 'cluster')
      warnings.push(...kvmMemoryPrerequisites(scope.hypervisor, factor))
  }

  return {command: 'updateConfiguration', params: {...scopeParams(scope), name, value}, setting, warnings}
}

export async function planSettingReset(
  client: MoldClient,
  name: string,
  target: SettingTarget,
): Promise<SettingChange> {
  const scope = await resolveSettingScope(client, target)
  const setting = await findSetting(client, name, scope)
  return {command: 'resetConfiguration', params: {...scopeParams(scope), name}, setting, warnings: []}
}

/** "updateConfiguration name=... value=...": the call, as --dry-run prints it. */
export function describeSettingCall(change: SettingChange): string {
  return `${change.command} ${Object.entries(change.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`
}

export function settingDryRun(change: SettingChange): SettingDryRun {
  return {dryrun: true, params: change.params, setting: change.setting}
}

export async function applySettingChange(client: MoldClient, change: SettingChange): Promise<SettingChanged> {
  const {configuration} = (await client.request(change.command, change.params, {
    expect: 'configuration',
  })) as {
    configuration: SettingChanged
  }
  return configuration
}
