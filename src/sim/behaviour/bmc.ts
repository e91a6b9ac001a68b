import type {ApiBody} from '../catalog/registry.js'
import type {Cluster, Host, OobmConfig, OobmDriver, OobmPowerState, SimModel, Zone} from '../state/model.js'

import {SimApiError} from '../catalog/registry.js'
import {ClockClosedError, type SimClock} from './clock.js'

/*
 * Hosts' BMCs and their power, as OutOfBandManagementServiceImpl drives them: enablement at zone,
 * cluster and host level (zone and cluster as the `outOfBandManagementEnabled` detail), power
 * actions run by the host's simulated BMC on the simulated clock, the power state machine (only
 * STATUS changes the stored power state) and the background poller. Texts follow the reference.
 */

export const DRIVERS: ReadonlySet<string> = new Set<OobmDriver>(['ipmitool', 'nestedcloudstack', 'redfish'])
const POWER_OPERATIONS = ['ON', 'OFF', 'CYCLE', 'RESET', 'SOFT', 'STATUS'] as const
type PowerOperation = (typeof POWER_OPERATIONS)[number]
type PowerEvent = 'AuthError' | 'Disabled' | 'Off' | 'On' | 'Unknown'

/** What the handlers' helpers need of the simulator. */
export interface SimContext {
  clock: SimClock
  model: SimModel
}

const OOBM_ENABLED_DETAIL = 'outOfBandManagementEnabled'
const ACTION_TIMEOUT_SETTING = 'outofbandmanagement.action.timeout'

/** ipmitool's stderr when the BMC refuses the password, and when nothing answers. */
const IPMI_AUTH_ERROR = 'Error: RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session'
const IPMI_UNREACHABLE = 'Error: Unable to establish IPMI v2 / RMCP+ session'
/** ProcessRunner's text when a driver command outlives the action timeout. */
const PROCESS_TIMEOUT = 'Operation timed out, aborted.'

/** What ipmitool prints for each operation (STATUS depends on the machine's power). */
const IPMI_OUTPUT: Record<Exclude<PowerOperation, 'STATUS'>, string> = {
  CYCLE: 'Chassis Power Control: Cycle',
  OFF: 'Chassis Power Control: Down/Off',
  ON: 'Chassis Power Control: Up/On',
  RESET: 'Chassis Power Control: Reset',
  SOFT: 'Chassis Power Control: Soft',
}

/**
 * The power FSM (OutOfBandManagement.PowerState): On, Off and Unknown events lead to their state
 * from anywhere; AuthError leads to Unknown; Disabled leads to Disabled. Transitions that do not
 * exist (AuthError from Unknown, Disabled from Disabled) leave the state as it is.
 */
export function nextPowerState(current: OobmPowerState, event: PowerEvent): OobmPowerState {
  switch (event) {
    case 'AuthError': {
      return 'Unknown'
    }

    case 'Disabled':
    case 'Off':
    case 'On':
    case 'Unknown': {
      return event === 'Disabled' && current === 'Disabled' ? current : event
    }
  }
}

/** Power actions in flight in the simulator (for tests asserting a client's concurrency). */
export interface OobmActionStats {
  /** Power-action jobs submitted and not yet finished. */
  inFlight: number
  /** The most that were ever in flight at once. */
  maxInFlight: number
  /** Power actions submitted. */
  total: number
}

interface ActionTracker {
  maxInFlight: number
  running: Set<string>
  total: number
}

const trackers = new WeakMap<SimModel, ActionTracker>()

function trackerOf(model: SimModel): ActionTracker {
  let tracker = trackers.get(model)
  if (!tracker) {
    tracker = {maxInFlight: 0, running: new Set(), total: 0}
    trackers.set(model, tracker)
  }

  return tracker
}

/** Drops finished jobs: a job counts as in flight until its record stops being in progress. */
function pruneFinished(model: SimModel, tracker: ActionTracker): void {
  for (const jobid of tracker.running) {
    if (model.jobs.get(jobid)?.status !== 0) tracker.running.delete(jobid)
  }
}

export function trackSubmitted(model: SimModel, jobid: string): void {
  const tracker = trackerOf(model)
  pruneFinished(model, tracker)
  tracker.running.add(jobid)
  tracker.total++
  tracker.maxInFlight = Math.max(tracker.maxInFlight, tracker.running.size)
}

/** The power-action counters of a simulator model. */
export function oobmActionStats(model: SimModel): OobmActionStats {
  const tracker = trackerOf(model)
  pruneFinished(model, tracker)
  return {inFlight: tracker.running.size, maxInFlight: tracker.maxInFlight, total: tracker.total}
}

/** Starts counting afresh (jobs still running keep counting as in flight). */
export function resetOobmActionStats(model: SimModel): void {
  const tracker = trackerOf(model)
  pruneFinished(model, tracker)
  tracker.maxInFlight = tracker.running.size
  tracker.total = 0
}

function scopeEnabled(details: Record<string, string>): boolean {
  const value = details[OOBM_ENABLED_DETAIL]
  return value === undefined || value === '' || value.toLowerCase() === 'true'
}

export function maskPassword(password: string): string | undefined {
  return password ? `${password.charAt(0)}****` : undefined
}

/** OutOfBandManagementResponse built from a host's configuration. */
export function configResponse(host: Host, oobm: OobmConfig): Record<string, unknown> {
  return {
    hostid: host.id,
    powerstate: oobm.powerState,
    enabled: oobm.enabled,
    driver: oobm.driver,
    address: oobm.address,
    port: oobm.port,
    username: oobm.username,
    password: maskPassword(oobm.password),
  }
}

export function transition(host: Host, event: PowerEvent): void {
  if (host.oobm) host.oobm.powerState = nextPowerState(host.oobm.powerState, event)
}

/** checkOutOfBandManagementEnabledByZoneClusterHost. */
export function checkEnabled(model: SimModel, host: Host): OobmConfig {
  const zone = model.zones.get(host.zoneId)
  if (zone && !scopeEnabled(zone.details)) {
    throw SimApiError.internal("Out-of-band management is disabled for the host's zone. Aborting Operation.")
  }

  const cluster = model.clusters.get(host.clusterId)
  if (cluster && !scopeEnabled(cluster.details)) {
    throw SimApiError.internal(
      "Out-of-band management is disabled for the host's cluster. Aborting Operation.",
    )
  }

  if (!host.oobm || !host.oobm.enabled || host.resourceState === 'Degraded') {
    throw SimApiError.internal(
      'Out-of-band management is disabled or not configured for the host. Aborting Operation.',
    )
  }

  return host.oobm
}

export function configuredOrThrow(host: Host): OobmConfig {
  if (!host.oobm) {
    throw SimApiError.internal(
      'Out-of-band management is not configured for the host. Please configure the host before enabling/disabling it.',
    )
  }

  return host.oobm
}

/** The driver registered under the stored name (looked up verbatim, as the server does). */
function driverOrThrow(oobm: OobmConfig): OobmDriver {
  if (!DRIVERS.has(oobm.driver)) {
    throw SimApiError.internal(
      'Configured out-of-band management driver is not available. Aborting any out-of-band management action.',
    )
  }

  return oobm.driver
}

interface DriverResult {
  authFailure?: boolean
  error?: string
  output?: string
  power?: 'Off' | 'On' | 'Unknown'
  success: boolean
}

function unreachableError(driver: OobmDriver, host: Host, oobm: OobmConfig): string {
  if (driver === 'ipmitool') return IPMI_UNREACHABLE
  if (driver === 'redfish')
    return `Failed to get System power state for host '${oobm.address}': connection refused`
  return `HTTP error code: 503 (nested VM of host ${host.name} unreachable)`
}

function authError(driver: OobmDriver): string {
  if (driver === 'ipmitool') return IPMI_AUTH_ERROR
  return 'HTTP error code: 401'
}

function successOutput(driver: OobmDriver, operation: PowerOperation, power: 'Off' | 'On'): string {
  if (driver === 'redfish') return '200'
  if (driver === 'nestedcloudstack') {
    const state = power === 'On' ? 'Running' : 'Stopped'
    return JSON.stringify({listvirtualmachinesresponse: {count: 1, virtualmachine: [{state}]}})
  }

  return operation === 'STATUS' ? `Chassis Power is ${power.toLowerCase()}` : IPMI_OUTPUT[operation]
}

/** Runs one operation on the host's simulated BMC, taking its latency on the simulated clock. */
async function runOnBmc(
  clock: SimClock,
  host: Host,
  oobm: OobmConfig,
  request: {operation: PowerOperation; timeoutSeconds: number},
): Promise<DriverResult> {
  const {operation, timeoutSeconds} = request
  const {driver} = oobm
  const timeoutMs = timeoutSeconds * 1000
  const latency = Math.max(0, host.bmc.latencyMs)
  await clock.sleep(Math.min(latency, timeoutMs))
  if (latency > timeoutMs) return {error: PROCESS_TIMEOUT, success: false}
  if (host.bmc.mode === 'unreachable') return {error: unreachableError(driver, host, oobm), success: false}
  if (host.bmc.mode === 'wrong-credentials')
    return {authFailure: true, error: authError(driver), success: false}

  switch (operation) {
    case 'CYCLE':
    case 'RESET':
    case 'STATUS': {
      break
    }

    case 'OFF':
    case 'SOFT': {
      host.bmc.power = 'Off'
      break
    }

    case 'ON': {
      host.bmc.power = 'On'
      break
    }
  }

  return {output: successOutput(driver, operation, host.bmc.power), power: host.bmc.power, success: true}
}

/** Refreshes the stored power state of enabled hosts after `delayMs`, like the background poller. */
export function scheduleBackgroundSync(model: SimModel, clock: SimClock, hosts: Host[]): void {
  const intervalSeconds = Number(model.setting('outofbandmanagement.background.task.execution.interval')) || 4
  clock
    .sleep(intervalSeconds * 1000)
    .then(async () => {
      await Promise.all(
        hosts.map(async (host) => {
          if (!host.oobm || !isEnabled(model, host) || !DRIVERS.has(host.oobm.driver)) return
          const timeout = actionTimeoutSeconds(model, host)
          const result = await runOnBmc(clock, host, host.oobm, {
            operation: 'STATUS',
            timeoutSeconds: timeout,
          })
          transition(host, statusEvent(result))
        }),
      )
    })
    .catch((error: unknown) => {
      if (!(error instanceof ClockClosedError)) throw error
    })
}

function isEnabled(model: SimModel, host: Host): boolean {
  try {
    checkEnabled(model, host)
    return true
  } catch {
    return false
  }
}

function statusEvent(result: DriverResult): PowerEvent {
  if (result.authFailure) return 'AuthError'
  return result.power ?? 'Unknown'
}

function actionTimeoutSeconds(model: SimModel, host: Host, requested?: number): number {
  if (requested !== undefined) return requested
  const cluster = model.clusters.get(host.clusterId)
  const value = cluster
    ? model.settingForCluster(ACTION_TIMEOUT_SETTING, cluster)
    : model.setting(ACTION_TIMEOUT_SETTING)
  return Number(value) || 60
}

export function setScopeEnabled(
  {clock, model}: SimContext,
  scope: Cluster | Zone,
  hosts: Host[],
  enabled: boolean,
): ApiBody {
  scope.details[OOBM_ENABLED_DETAIL] = String(enabled)
  if (enabled) scheduleBackgroundSync(model, clock, hosts)
  else for (const host of hosts) transition(host, 'Disabled')
  return {outofbandmanagement: {enabled, status: true}}
}

export function setHostEnabled(model: SimModel, clock: SimClock, host: Host, enabled: boolean): ApiBody {
  const oobm = configuredOrThrow(host)
  oobm.enabled = enabled
  transition(host, 'Disabled')
  if (enabled) scheduleBackgroundSync(model, clock, [host])
  return {outofbandmanagement: {hostid: host.id, enabled, status: true}}
}

/** issueOutOfBandManagementPowerAction's job: the operation run on the host's simulated BMC. */
export async function powerAction(
  {clock, model}: SimContext,
  host: Host,
  action: string,
  timeout: number | undefined,
): Promise<ApiBody> {
  // PowerOperation.valueOf: case-sensitive; anything else is an IllegalArgumentException (530).
  if (!(POWER_OPERATIONS as readonly string[]).includes(action)) {
    throw SimApiError.internal(
      `No enum constant org.apache.cloudstack.outofbandmanagement.OutOfBandManagement.PowerOperation.${action}`,
    )
  }

  const operation = action as PowerOperation
  const oobm = checkEnabled(model, host)
  driverOrThrow(oobm)
  const timeoutSeconds = actionTimeoutSeconds(model, host, timeout)
  const result = await runOnBmc(clock, host, oobm, {operation, timeoutSeconds})
  if (operation === 'STATUS') transition(host, statusEvent(result))
  if (!result.success) {
    const prefix = `Out-of-band Management action (${operation}) on host (${host.id}) failed`
    throw SimApiError.internal(
      result.authFailure
        ? `${prefix} due to authentication error: ${result.error}. Please check configured credentials.`
        : `${prefix} with error: ${result.error}`,
    )
  }

  return {
    outofbandmanagement: {
      ...configResponse(host, oobm),
      action: operation,
      description: result.output,
      status: true,
    },
  }
}

/** changeOutOfBandManagementPassword's job: the driver's checks, then the new password (random when none is given). */
export async function changeBmcPassword(
  {clock, model}: SimContext,
  host: Host,
  password: string | undefined,
): Promise<ApiBody> {
  const oobm = checkEnabled(model, host)
  // The command generates a random password when none is given.
  const newPassword = password || randomPassword(model)
  if (!oobm.password) {
    throw SimApiError.internal(
      `Cannot change out-of-band management password as we've no previously configured password for the host ${host.id}.`,
    )
  }

  const driver = driverOrThrow(oobm)
  if (driver === 'nestedcloudstack') {
    throw SimApiError.internal(
      `Failed to change out-of-band management password for the host ${host.id} due to driver error: Change password operation is not supported by the nested-cloudstack out-of-band management driver`,
    )
  }

  if (driver === 'ipmitool') {
    // ipmitool changes the password through the BMC, which must answer and accept us.
    const timeoutSeconds = actionTimeoutSeconds(model, host)
    const result = await runOnBmc(clock, host, oobm, {operation: 'STATUS', timeoutSeconds})
    if (!result.success) {
      throw SimApiError.internal(
        `Failed to change out-of-band management password for the host ${host.id} with error: ${result.error}`,
      )
    }
  }

  oobm.password = newPassword
  return {outofbandmanagement: {hostid: host.id, status: true}}
}

function randomPassword(model: SimModel): string {
  return model.newId('oobm-password').replaceAll('-', '').slice(0, 16)
}
