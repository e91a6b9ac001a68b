import type {MoldClient} from '../api/client.js'
import type {Column} from '../output/columns.js'

import {type BatchOutcome, runBatch} from '../core/batch-runner.js'
import {JobFailedError, MoldctlError, PartialFailureError} from '../core/errors.js'
import {resolveEntities, resolveEntity} from '../infra/resolve.js'
import {checkSelection, type HostSelection} from './targets.js'

/** One enable/disable call and how it went. */
export interface EnablementRow {
  enabled: boolean
  id: string
  message: string
  name: string
  outcome: 'failed' | 'ok'
  scope: 'cluster' | 'host' | 'zone'
}

export const ENABLEMENT_COLUMNS: Column<EnablementRow>[] = [
  {header: 'SCOPE', key: 'scope'},
  {header: 'NAME', key: 'name', shrink: false},
  {get: (r) => (r.enabled ? 'enabled' : 'disabled'), header: 'OOBM', key: 'enabled'},
  {header: 'OUTCOME', key: 'outcome'},
  {header: 'MESSAGE', key: 'message'},
]

interface Target {
  id: string
  name: string
  scope: EnablementRow['scope']
}

/** The API of each scope and verb, spelled out so that the list of APIs moldctl uses stays checkable. */
const ENABLEMENT_APIS: Record<Target['scope'], Record<'disable' | 'enable', {command: string}>> = {
  cluster: {
    disable: {command: 'disableOutOfBandManagementForCluster'},
    enable: {command: 'enableOutOfBandManagementForCluster'},
  },
  host: {
    disable: {command: 'disableOutOfBandManagementForHost'},
    enable: {command: 'enableOutOfBandManagementForHost'},
  },
  zone: {
    disable: {command: 'disableOutOfBandManagementForZone'},
    enable: {command: 'enableOutOfBandManagementForZone'},
  },
}
const ID_PARAM: Record<Target['scope'], string> = {cluster: 'clusterid', host: 'hostid', zone: 'zoneid'}

async function resolveTargets(client: MoldClient, selection: HostSelection): Promise<Target[]> {
  if (selection.cluster) {
    const cluster = await resolveEntity(client, 'cluster', selection.cluster)
    return [{id: cluster.id, name: cluster.name, scope: 'cluster'}]
  }

  if (selection.zone) {
    const zone = await resolveEntity(client, 'zone', selection.zone)
    return [{id: zone.id, name: zone.name, scope: 'zone'}]
  }

  const hosts = await resolveEntities(client, 'host', selection.hosts ?? [])
  return hosts.map((h) => ({id: h.id, name: h.name, scope: 'host' as const}))
}

/** The calls an enable or disable would make (for --dry-run): one per host, cluster or zone. */
export async function planOobmEnablement(
  client: MoldClient,
  selection: HostSelection,
  enabled: boolean,
): Promise<Array<{command: string; params: Record<string, string>}>> {
  checkSelection(selection)
  const verb = enabled ? 'enable' : 'disable'
  return (await resolveTargets(client, selection)).map((t) => ({
    command: ENABLEMENT_APIS[t.scope][verb].command,
    params: {[ID_PARAM[t.scope]]: t.id},
  }))
}

/**
 * Enables or disables out-of-band management for some hosts, a cluster or a zone (one job each;
 * hosts a few at a time). Disabling a zone or cluster also moves its hosts' power state to
 * Disabled on the server; enabling lets the server's background sync refresh it.
 */
export async function setOobmEnabled(
  client: MoldClient,
  selection: HostSelection,
  enabled: boolean,
): Promise<EnablementRow[]> {
  checkSelection(selection)
  const targets = await resolveTargets(client, selection)
  const verb = enabled ? 'enable' : 'disable'
  const run = async () => {
    const outcomes = await runBatch(
      targets,
      (t) => client.call(ENABLEMENT_APIS[t.scope][verb].command, {[ID_PARAM[t.scope]]: t.id}),
      {concurrency: 10},
    )
    return enablementRows(outcomes, enabled, verb)
  }

  // Several hosts: one audit record (counts and hosts by outcome) instead of a line per call.
  if (targets.length < 2) return run()
  const {hostsByOutcome} = await import('./power-batch.js')
  return client.auditedBulk(run, (rows) => ({
    action: `oobm ${verb}`,
    command: ENABLEMENT_APIS[targets[0].scope][verb].command,
    ...hostsByOutcome(rows ?? []),
  }))
}

function enablementRows(
  outcomes: Array<BatchOutcome<Target, unknown>>,
  enabled: boolean,
  verb: string,
): EnablementRow[] {
  return outcomes.map(({error, status, target}) => ({
    enabled: status === 'ok' ? enabled : !enabled,
    id: target.id,
    message: status === 'ok' ? `out-of-band management ${verb}d` : errorText(error),
    name: target.name,
    outcome: status === 'ok' ? 'ok' : 'failed',
    scope: target.scope,
  }))
}

function errorText(error: unknown): string {
  if (error instanceof JobFailedError) return error.errortext
  return error instanceof Error ? error.message : String(error)
}

/** The error to end with when some calls failed (exit 4) or all did (exit 1). */
export function enablementError(rows: readonly EnablementRow[]): MoldctlError | undefined {
  const failed = rows.filter((r) => r.outcome === 'failed').length
  if (failed === 0) return undefined
  if (failed === rows.length)
    return new MoldctlError(rows.length === 1 ? rows[0].message : `all ${failed} calls failed`)
  return new PartialFailureError(`${failed} of ${rows.length} hosts failed`)
}
