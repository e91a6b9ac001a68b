/**
 * Out-of-band management (OOBM) rules that need no I/O: validating and mapping drivers and power
 * actions, the configure parameters (with Mold's extra console parameters), which hosts a power
 * action can run on and why others are skipped, the maintenance warning, the admin guide's sweep
 * estimate, and the summary of a batch.
 */

import type {Host, HostOutOfBand, Vm} from '../api/models.js'

import {ExitCode, UsageError} from '../core/errors.js'

/** Driver keys the server registers (bean names lower-cased). Power actions look them up verbatim. */
export const OOBM_DRIVERS = ['ipmitool', 'redfish', 'nestedcloudstack'] as const
export type OobmDriver = (typeof OOBM_DRIVERS)[number]

/** Power actions as typed by operators; the API wants them upper-case (`PowerOperation.valueOf`). */
export const POWER_ACTIONS = ['on', 'off', 'cycle', 'reset', 'soft', 'status'] as const
export type PowerAction = (typeof POWER_ACTIONS)[number]
export type PowerOperation = Uppercase<PowerAction>

/** Actions that can take a running host (and its VMs) down, so they ask before acting. */
const DESTRUCTIVE_ACTIONS: ReadonlySet<PowerAction> = new Set(['cycle', 'off', 'reset', 'soft'])

/** `outofbandmanagement.sync.poolsize` default: the guide's pool size, our default concurrency. */
export const OOBM_SYNC_POOL_SIZE_DEFAULT = 50
/** `outofbandmanagement.action.timeout` default, in seconds (cluster-scoped setting). */
export const OOBM_ACTION_TIMEOUT_DEFAULT = 60
/** Detail name of the zone/cluster switch (`data_center_details` / `cluster_details`). */
export const OOBM_ENABLED_DETAIL = 'outOfBandManagementEnabled'
/** changeOutOfBandManagementPassword accepts at most this many characters. */
export const OOBM_PASSWORD_MAX_LENGTH = 16

const CONSOLE_PROTOCOLS = ['http', 'https'] as const
export type ConsoleProtocol = (typeof CONSOLE_PROTOCOLS)[number]

/** Resource states the guide calls "maintenance mode": actions still run, with a warning. */
const MAINTENANCE_STATES: ReadonlySet<string> = new Set([
  'ErrorInMaintenance',
  'ErrorInPrepareForMaintenance',
  'Maintenance',
  'PrepareForMaintenance',
])

export function parseDriver(input: string): OobmDriver {
  const driver = input.trim().toLowerCase()
  if ((OOBM_DRIVERS as readonly string[]).includes(driver)) return driver as OobmDriver
  throw new UsageError(
    `Unknown out-of-band management driver "${input}"; use one of: ${OOBM_DRIVERS.join(', ')}.`,
  )
}

export function parsePowerAction(input: string): PowerAction {
  const action = input.trim().toLowerCase()
  if ((POWER_ACTIONS as readonly string[]).includes(action)) return action as PowerAction
  throw new UsageError(`Unknown power action "${input}"; use one of: ${POWER_ACTIONS.join(', ')}.`)
}

export function toPowerOperation(action: PowerAction): PowerOperation {
  return action.toUpperCase() as PowerOperation
}

export function isDestructivePowerAction(action: PowerAction): boolean {
  return DESTRUCTIVE_ACTIONS.has(action)
}

export interface ConfigureInput {
  address: string
  consolePort?: string
  consoleProtocol?: string
  driver: string
  /** `mold` sends Mold's required console parameters; `cloudstack` does not know them. */
  flavor: 'cloudstack' | 'mold'
  hostid: string
  password: string
  port?: string
  username: string
}

export interface ConfigureRequest {
  /** Things the operator should know (printed on stderr), e.g. that redfish ignores the port. */
  notes: string[]
  params: Record<string, string>
}

function validPort(value: string): boolean {
  return /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65_535
}

/**
 * The parameters of configureOutOfBandManagement. The API requires `port` for every driver even
 * where the driver does not use it: redfish ignores it, nestedcloudstack reads it as the nested
 * VM's UUID. Mold also requires `manageconsoleprotocol` (its UI builds the BMC console link
 * `<protocol>://<address>:<manageconsoleport>` from it; the server defaults the port to 80 for
 * http and 443 otherwise).
 */
export function buildConfigureRequest(input: ConfigureInput): ConfigureRequest {
  const driver = parseDriver(input.driver)
  const address = input.address.trim()
  const username = input.username.trim()
  if (!address) throw new UsageError('--address must not be empty.')
  if (!username) throw new UsageError('--username must not be empty.')
  if (!input.password) throw new UsageError('The password read from stdin is empty.')

  const {note, port} = driverPort(driver, input.port)
  const params: Record<string, string> = {
    address,
    driver,
    hostid: input.hostid,
    password: input.password,
    port,
    username,
  }
  const notes = note ? [note] : []
  const consoleNote = addConsoleParams(params, input)
  if (consoleNote) notes.push(consoleNote)
  return {notes, params}
}

/** The `port` to send for a driver, and what the operator should know about it. */
function driverPort(driver: OobmDriver, given: string | undefined): {note?: string; port: string} {
  const port = given?.trim()
  switch (driver) {
    case 'ipmitool': {
      const ipmiPort = port || '623'
      if (!validPort(ipmiPort)) throw new UsageError(`--port must be a TCP port (1-65535), got "${given}".`)
      return {port: ipmiPort}
    }

    case 'nestedcloudstack': {
      if (!port) {
        throw new UsageError(
          'The nestedcloudstack driver reads --port as the UUID of the nested VM; pass it with --port.',
        )
      }

      return {port}
    }

    case 'redfish': {
      return {
        note: 'The redfish driver ignores the port: it reaches the BMC by HTTPS (or HTTP, per redfish.use.https).',
        port: port || '443',
      }
    }
  }
}

/** Adds Mold's console parameters; returns a note when they were given but cannot be sent. */
function addConsoleParams(params: Record<string, string>, input: ConfigureInput): string | undefined {
  const protocol = input.consoleProtocol?.trim().toLowerCase()
  if (protocol !== undefined && !(CONSOLE_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new UsageError(`--console-protocol must be http or https, got "${input.consoleProtocol}".`)
  }

  const consolePort = input.consolePort?.trim()
  if (consolePort !== undefined && !validPort(consolePort)) {
    throw new UsageError(`--console-port must be a TCP port (1-65535), got "${input.consolePort}".`)
  }

  if (input.flavor === 'mold') {
    params.manageconsoleprotocol = protocol ?? 'https'
    if (consolePort) params.manageconsoleport = consolePort
    return undefined
  }

  if (protocol === undefined && consolePort === undefined) return undefined
  return 'Apache CloudStack has no BMC console parameters; --console-protocol and --console-port are not sent.'
}

/** The listHosts fields these rules read (a host as listHosts answers it has them all). */
export type OobmHost = Partial<
  Pick<
    Host,
    | 'clusterid'
    | 'clustername'
    | 'ipaddress'
    | 'outofbandmanagement'
    | 'resourcestate'
    | 'state'
    | 'zoneid'
    | 'zonename'
  >
> &
  Pick<Host, 'id' | 'name'>

/**
 * Whether a zone or cluster allows OOBM, read from its `outOfBandManagementEnabled` detail the way
 * the server does: absent or empty means enabled; otherwise only "true" (any case) is enabled.
 */
export function scopeOobmEnabled(details?: Record<string, unknown>): boolean {
  const value = details?.[OOBM_ENABLED_DETAIL]
  if (value === undefined || value === null || value === '') return true
  return String(value).toLowerCase() === 'true'
}

export function isOobmConfigured(oobm: HostOutOfBand | undefined): boolean {
  return Boolean(oobm?.driver)
}

export interface ScopeEnablement {
  /** Cluster id → OOBM allowed for the cluster; a cluster not in the map counts as enabled. */
  clusters: ReadonlyMap<string, boolean>
  /** Zone id → OOBM allowed for the zone. */
  zones: ReadonlyMap<string, boolean>
}

/**
 * Why a power action cannot run on this host, or undefined when it can. Checked in the server's
 * order (zone, cluster, host); a Degraded host counts as OOBM disabled on the server.
 */
export function oobmSkipReason(host: OobmHost, scopes: ScopeEnablement): string | undefined {
  if (host.zoneid && scopes.zones.get(host.zoneid) === false) {
    return "out-of-band management is disabled for the host's zone"
  }

  if (host.clusterid && scopes.clusters.get(host.clusterid) === false) {
    return "out-of-band management is disabled for the host's cluster"
  }

  if (host.resourcestate === 'Degraded') {
    return 'the host is Degraded, so the server treats its out-of-band management as disabled'
  }

  if (!isOobmConfigured(host.outofbandmanagement)) {
    return 'out-of-band management is not configured for the host (moldctl oobm configure)'
  }

  if (!host.outofbandmanagement?.enabled) {
    return 'out-of-band management is disabled for the host (moldctl oobm enable --host)'
  }

  return undefined
}

export function isInMaintenance(host: Pick<OobmHost, 'resourcestate'>): boolean {
  return host.resourcestate !== undefined && MAINTENANCE_STATES.has(host.resourcestate)
}

/**
 * The guide: a root admin may still run power actions on a host in maintenance mode, but is
 * warned first. Returns that warning for the hosts concerned, or undefined.
 */
export function maintenanceWarning(
  hosts: readonly OobmHost[],
  action: PowerAction,
  maxNames = 10,
): string | undefined {
  const inMaintenance = hosts.filter((h) => isInMaintenance(h))
  if (inMaintenance.length === 0) return undefined
  const names = inMaintenance.slice(0, maxNames).map((h) => `${h.name} (${h.resourcestate})`)
  if (inMaintenance.length > maxNames) names.push(`and ${inMaintenance.length - maxNames} more`)
  const count = inMaintenance.length === 1 ? '1 host is' : `${inMaintenance.length} hosts are`
  return (
    `Warning: ${count} in maintenance mode: ${names.join(', ')}. ` +
    `Power actions are still allowed on hosts in maintenance, but make sure ${toPowerOperation(action)} is intended.`
  )
}

/**
 * The admin guide's estimate for one full power-state sweep: hosts × action timeout / pool size
 * seconds (a worst case, reached when every BMC runs into the timeout).
 */
export function sweepEstimateSeconds(
  hostCount: number,
  actionTimeoutSeconds: number,
  poolSize: number,
): number {
  if (poolSize < 1) throw new RangeError('pool size must be at least 1')
  return (hostCount * actionTimeoutSeconds) / poolSize
}

/** Shown before a batch needing more than one round of the pool. Undefined for small batches. */
export function sweepEstimateNote(
  hostCount: number,
  actionTimeoutSeconds: number,
  poolSize: number,
): string | undefined {
  if (hostCount <= poolSize) return undefined
  const seconds = sweepEstimateSeconds(hostCount, actionTimeoutSeconds, poolSize)
  return (
    `${hostCount} hosts, ${poolSize} at a time: at most about ${formatDuration(seconds)} ` +
    `(${hostCount} hosts × ${actionTimeoutSeconds} s action timeout / ${poolSize}, the admin guide's estimate).`
  )
}

export function formatDuration(seconds: number): string {
  const rounded = Math.ceil(seconds)
  if (rounded < 60) return `${rounded} s`
  const minutes = Math.floor(rounded / 60)
  const rest = rounded % 60
  if (minutes < 60) return rest ? `${minutes} min ${rest} s` : `${minutes} min`
  const hours = Math.floor(minutes / 60)
  const restMinutes = minutes % 60
  return restMinutes ? `${hours} h ${restMinutes} min` : `${hours} h`
}

/** The question asked before a destructive action. */
export function powerConfirmationMessage(action: PowerAction, hostCount: number, runningVms: number): string {
  const hosts = hostCount === 1 ? '1 host' : `${hostCount} hosts`
  const where = hostCount === 1 ? 'on it' : 'on them'
  let vms = `no running VMs ${where}`
  if (runningVms === 1) vms = `1 running VM ${where} will be affected`
  else if (runningVms > 1) vms = `${runningVms} running VMs ${where} will be affected`
  return `Send ${toPowerOperation(action)} to ${hosts} (${vms})?`
}

/** Running VMs per target host, from listVirtualMachines items. */
export function countRunningVms(
  vms: ReadonlyArray<Partial<Pick<Vm, 'hostid' | 'state'>>>,
  hostIds: ReadonlySet<string>,
): number {
  let count = 0
  for (const vm of vms) {
    if (vm.state === 'Running' && vm.hostid !== undefined && hostIds.has(vm.hostid)) count++
  }

  return count
}

/**
 * `interrupted`: the action was in flight when the operator stopped waiting; it goes on.
 * `unknown`: the answer was lost after the request was sent and no read settled it.
 */
export type PowerOutcome = 'failed' | 'interrupted' | 'ok' | 'skipped' | 'unknown'

/** One line of the summary table (field names follow the API where there is one). */
export interface PowerActionRow {
  action: PowerOperation
  hostid: string
  /** The driver's answer (e.g. "Chassis Power is on"), the job's error text, or the skip reason. */
  message: string
  name: string
  outcome: PowerOutcome
  /** Stored power state after the action (only STATUS refreshes it on the server). */
  powerstate: string
  seconds: number
}

export interface PowerBatchSummary {
  exitCode: number
  failed: number
  /** In flight when the operator interrupted: still running on the server, outcome unknown. */
  interrupted: number
  ok: number
  skipped: number
  total: number
  /** Answers lost after sending, not settled by a read: the action may or may not have happened. */
  unknown: number
}

/**
 * Exit code of a batch: 0 when nothing failed or is unknown (skipped hosts do not fail the
 * batch); 6 when the only problems are unknown outcomes; 4 when some hosts failed and others
 * succeeded or are unknown; 1 when no host succeeded and none is unknown.
 */
export function summarizePowerBatch(rows: ReadonlyArray<Pick<PowerActionRow, 'outcome'>>): PowerBatchSummary {
  const summary = {failed: 0, interrupted: 0, ok: 0, skipped: 0, total: rows.length, unknown: 0}
  for (const row of rows) summary[row.outcome]++
  let exitCode: number = ExitCode.Success
  if (summary.failed > 0 && (summary.ok > 0 || summary.unknown > 0)) exitCode = ExitCode.Partial
  else if (summary.unknown > 0) exitCode = ExitCode.Unknown
  else if (summary.ok === 0 && summary.total > 0) exitCode = ExitCode.Failed
  return {...summary, exitCode}
}

/** A one-line account of a finished batch, e.g. "STATUS: 30 ok, 1 failed, 1 skipped (32 hosts)". */
export function describePowerBatch(action: PowerAction, summary: PowerBatchSummary): string {
  const hosts = summary.total === 1 ? '1 host' : `${summary.total} hosts`
  const interrupted = summary.interrupted > 0 ? `, ${summary.interrupted} interrupted (still running)` : ''
  const unknown = summary.unknown > 0 ? `, ${summary.unknown} unknown (answer lost)` : ''
  return `${toPowerOperation(action)}: ${summary.ok} ok, ${summary.failed} failed${unknown}, ${summary.skipped} skipped${interrupted} (${hosts})`
}

/**
 * The lines after the table (stderr) that the table may cut: skipped hosts grouped by reason,
 * then each failure with its full message (at most `maxFailures`).
 */
export function describeProblems(rows: readonly PowerActionRow[], maxFailures = 20): string[] {
  const lines: string[] = []
  const byReason = new Map<string, string[]>()
  for (const row of rows) {
    if (row.outcome === 'skipped') byReason.set(row.message, [...(byReason.get(row.message) ?? []), row.name])
  }

  for (const [reason, names] of byReason) {
    const shown =
      names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ')
    lines.push(`Skipped (${reason}): ${shown}`)
  }

  for (const row of rows) {
    if (row.outcome === 'interrupted') lines.push(`Interrupted ${row.name}: ${row.message}`)
    if (row.outcome === 'unknown') lines.push(`Unknown ${row.name}: ${row.message}`)
  }

  const failed = rows.filter((r) => r.outcome === 'failed')
  for (const row of failed.slice(0, maxFailures)) lines.push(`Failed ${row.name}: ${row.message}`)
  if (failed.length > maxFailures)
    lines.push(`... and ${failed.length - maxFailures} more failures (all in --json)`)
  return lines
}

/** Per-host OOBM view for `oobm status`: enablement at each level, driver, address, power state. */
export interface OobmStatusRow {
  address: string
  clusterenabled: boolean
  clustername: string
  driver: string
  /** Whether a power action would be accepted, all levels considered. */
  effective: boolean
  hostenabled: boolean
  hostid: string
  name: string
  powerstate: string
  reason: string
  resourcestate: string
  zoneenabled: boolean
  zonename: string
}

export function oobmStatusRow(host: OobmHost, scopes: ScopeEnablement): OobmStatusRow {
  const oobm = host.outofbandmanagement
  const reason = oobmSkipReason(host, scopes)
  return {
    address: oobm?.address ?? '',
    clusterenabled: host.clusterid ? scopes.clusters.get(host.clusterid) !== false : true,
    clustername: host.clustername ?? '',
    driver: oobm?.driver ?? '',
    effective: reason === undefined,
    hostenabled: Boolean(oobm?.enabled),
    hostid: host.id,
    name: host.name,
    powerstate: oobm?.powerstate ?? 'Disabled',
    reason: reason ?? '',
    resourcestate: host.resourcestate ?? '',
    zoneenabled: host.zoneid ? scopes.zones.get(host.zoneid) !== false : true,
    zonename: host.zonename ?? '',
  }
}
