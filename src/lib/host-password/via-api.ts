/**
 * `host password rotate --via api`: updateHostPassword with `clusterid` for a cluster (the
 * server updates every host in one transaction), else one call per host, stopping at the first
 * failure so no more hosts drift apart.
 */
import type {MoldClient} from '../api/client.js'
import type {Host} from '../api/models.js'
import type {Params} from '../api/types.js'
import type {HostPasswordRow} from './via-db.js'

import {redactParams} from '../api/redact.js'
import {MoldctlError, PartialFailureError, UsageError} from '../core/errors.js'
import {hostsOfCluster} from '../infra/list.js'
import {resolveEntities, resolveEntity} from '../infra/resolve.js'

export interface ApiRotateOptions {
  cluster?: string
  dryRun: boolean
  hosts: string[]
  password: string
  updateOnHost: boolean
  username: string
}

export interface PlannedCall {
  command: string
  params: Record<string, string>
}

export interface ApiRotateResult {
  /** The calls made (or, with dryRun, that would be made), secrets redacted. */
  calls: PlannedCall[]
  rows: HostPasswordRow[]
}

function hostRow(host: Host, action: string): HostPasswordRow {
  return {
    action,
    clustername: host.clustername ?? null,
    encryptor: null,
    id: host.id,
    ipaddress: host.ipaddress ?? '',
    name: host.name,
  }
}

function wireParams(params: Params): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  )
}

export async function rotateViaApi(client: MoldClient, options: ApiRotateOptions): Promise<ApiRotateResult> {
  if (options.cluster && options.hosts.length > 0) throw new UsageError('name hosts or --cluster, not both')
  if (!options.cluster && options.hosts.length === 0)
    throw new UsageError('name the hosts to update, or --cluster')
  if (options.username.replaceAll(/\s/g, '') === '') throw new UsageError('the username must not be empty')
  const common: Params = {
    password: options.password,
    // eslint-disable-next-line camelcase -- the API's own parameter name
    update_passwd_on_host: options.updateOnHost ? true : undefined,
    username: options.username,
  }
  const done = options.dryRun ? 'would be updated' : 'updated'

  if (options.cluster) {
    const cluster = await resolveEntity(client, 'cluster', options.cluster)
    const hosts = await hostsOfCluster(client, cluster.id)
    const params: Params = {clusterid: cluster.id, ...common}
    const call = {command: 'updateHostPassword', params: redactParams(wireParams(params))}
    if (!options.dryRun) await client.request('updateHostPassword', params)
    return {calls: [call], rows: hosts.map((host) => hostRow(host, done))}
  }

  const hosts = await resolveEntities<Host>(client, 'host', options.hosts)
  const xen = hosts.filter((host) => host.hypervisor === 'XenServer')
  if (xen.length > 0) {
    throw new UsageError(
      `XenServer hosts share one pool password and are updated per cluster: ${xen.map((h) => h.name).join(', ')}`,
      ['use --cluster'],
    )
  }

  const calls = hosts.map((host) => ({
    command: 'updateHostPassword',
    params: redactParams(wireParams({hostid: host.id, ...common})),
  }))
  if (options.dryRun) return {calls, rows: hosts.map((host) => hostRow(host, done))}

  const rows: HostPasswordRow[] = []
  for (const host of hosts) {
    try {
      // one host after another: on the first failure the rest are left alone
      // eslint-disable-next-line no-await-in-loop
      await client.request('updateHostPassword', {hostid: host.id, ...common})
      rows.push(hostRow(host, done))
    } catch (error) {
      if (rows.length === 0) throw error
      const left = hosts.slice(rows.length + 1).map((h) => h.name)
      throw new PartialFailureError(
        `updated ${rows.map((r) => r.name).join(', ')}; ${host.name} failed: ${(error as MoldctlError).message}${
          left.length > 0 ? `; not tried: ${left.join(', ')}` : ''
        }`,
      )
    }
  }

  return {calls, rows}
}
