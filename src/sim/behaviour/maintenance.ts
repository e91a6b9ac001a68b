import type {Host, HostCapacity, ResourceState, SimModel, Vm, VmState} from '../state/model.js'

import {SimApiError} from '../catalog/registry.js'
import {ClockClosedError, type SimClock} from './clock.js'

/*
 * Host maintenance as the management server does it (reference §4.2–4.3 and §5.1; the
 * server's ResourceManagerImpl.maintain / doMaintain / attemptMaintain / cancelMaintenance):
 * the ResourceState machine with its error texts, prepareHostForMaintenance's checks, and the
 * drain — each VM of the host live-migrates, one after another and taking simulated time, to
 * another Up and Enabled host of the same cluster that has room (honouring the cluster's
 * overprovisioning factors; nothing moves into a Disabled zone, pod, cluster or host). A VM that
 * fits nowhere puts the host in ErrorInPrepareForMaintenance; the migration is retried like the
 * HA worker does (max.retries, migrate.retry.interval) and when the retries are used up the
 * host ends in ErrorInMaintenance.
 *
 * These functions are shared by the host handlers and the rolling-maintenance simulator; keep
 * their signatures stable.
 */

export type ResourceEvent =
  | 'AdminAskMaintenance'
  | 'AdminCancelMaintenance'
  | 'DeclareHostDegraded'
  | 'DeleteHost'
  | 'Disable'
  | 'Enable'
  | 'EnableDegradedHost'
  | 'Error'
  | 'ErrorsCorrected'
  | 'InternalCreated'
  | 'InternalEnterMaintenance'
  | 'UnableToMaintain'
  | 'UnableToMigrate'

/** ResourceState transitions (reference §5.1); InternalCreated keeps every state as it is. */
const TRANSITIONS: Record<ResourceState, Partial<Record<ResourceEvent, ResourceState>>> = {
  Creating: {Error: 'Error', InternalCreated: 'Enabled'},
  Degraded: {AdminAskMaintenance: 'Maintenance', DeleteHost: 'Disabled', EnableDegradedHost: 'Enabled'},
  Disabled: {DeclareHostDegraded: 'Degraded', DeleteHost: 'Disabled', Disable: 'Disabled', Enable: 'Enabled'},
  Enabled: {
    AdminAskMaintenance: 'PrepareForMaintenance',
    DeclareHostDegraded: 'Degraded',
    Disable: 'Disabled',
    Enable: 'Enabled',
    InternalEnterMaintenance: 'Maintenance',
  },
  Error: {},
  ErrorInMaintenance: {
    AdminAskMaintenance: 'PrepareForMaintenance',
    AdminCancelMaintenance: 'Enabled',
    DeleteHost: 'Disabled',
    Disable: 'Disabled',
  },
  ErrorInPrepareForMaintenance: {
    AdminCancelMaintenance: 'Enabled',
    DeleteHost: 'Disabled',
    Disable: 'Disabled',
    ErrorsCorrected: 'PrepareForMaintenance',
    InternalEnterMaintenance: 'Maintenance',
    UnableToMaintain: 'ErrorInMaintenance',
    UnableToMigrate: 'ErrorInPrepareForMaintenance',
  },
  Maintenance: {AdminCancelMaintenance: 'Enabled', DeclareHostDegraded: 'Degraded', DeleteHost: 'Disabled'},
  PrepareForMaintenance: {
    AdminCancelMaintenance: 'Enabled',
    InternalEnterMaintenance: 'Maintenance',
    UnableToMaintain: 'ErrorInMaintenance',
    UnableToMigrate: 'ErrorInPrepareForMaintenance',
  },
}

export function nextResourceState(state: ResourceState, event: ResourceEvent): ResourceState | undefined {
  if (event === 'InternalCreated' && state !== 'Creating') return state
  return TRANSITIONS[state]?.[event]
}

/** The server's NoTransitionException text. */
export function noTransitionText(state: ResourceState, event: ResourceEvent): string {
  return `No next resource state found for current state = ${state} event = ${event}`
}

export class NoTransitionError extends Error {
  constructor(state: ResourceState, event: ResourceEvent) {
    super(noTransitionText(state, event))
    this.name = 'NoTransitionError'
  }
}

/** Moves the host through the state machine; throws NoTransitionError when the event is not allowed. */
export function transitResourceState(host: Host, event: ResourceEvent): ResourceState {
  const next = nextResourceState(host.resourceState, event)
  if (!next) throw new NoTransitionError(host.resourceState, event)
  host.resourceState = next
  return next
}

const MAINTENANCE_STATES = new Set<ResourceState>([
  'ErrorInMaintenance',
  'ErrorInPrepareForMaintenance',
  'Maintenance',
  'PrepareForMaintenance',
])

/** ResourceState.isMaintenanceState: the states cancelHostMaintenance accepts. */
export function isMaintenanceState(state: ResourceState): boolean {
  return MAINTENANCE_STATES.has(state)
}

/** ResourceState.canAttemptMaintenance. */
export function canAttemptMaintenance(state: ResourceState): boolean {
  return (
    state !== 'Maintenance' && state !== 'PrepareForMaintenance' && state !== 'ErrorInPrepareForMaintenance'
  )
}

/** HostVO.toString() as newer servers print it inside messages. */
export function describeHostRecord(host: Host): string {
  return `Host {"id":${host.internalId},"name":"${host.name}","type":"${host.type}","uuid":"${host.id}"}`
}

// ---------------------------------------------------------------------------------------------
// Placement

export interface MigrationOptions {
  /**
   * Also place VMs in the source's cluster while that cluster is Disabled (rolling maintenance
   * disables the cluster it works on and still drains its hosts). Zones and pods still count.
   */
  allowDisabledCluster?: boolean
  /** Hosts that must not receive VMs. */
  excludeHostIds?: ReadonlySet<string>
}

/** Whether VMs may be placed in the host's zone, pod and cluster (allocation states). */
export function placementAllowedIn(model: SimModel, host: Host, options: MigrationOptions = {}): boolean {
  const zone = model.zones.get(host.zoneId)
  const pod = model.pods.get(host.podId)
  const cluster = model.clusters.get(host.clusterId)
  if (zone?.allocationState === 'Disabled' || pod?.allocationState === 'Disabled') return false
  return cluster?.allocationState !== 'Disabled' || options.allowDisabledCluster === true
}

/** The hosts a VM leaving `source` may go to: same cluster, Up, Enabled, Routing, same hypervisor. */
export function migrationCandidates(model: SimModel, source: Host, options: MigrationOptions = {}): Host[] {
  if (!placementAllowedIn(model, source, options)) return []
  return model
    .hostsInCluster(source.clusterId)
    .filter(
      (h) =>
        h.id !== source.id &&
        !options.excludeHostIds?.has(h.id) &&
        h.status === 'Up' &&
        h.resourceState === 'Enabled' &&
        h.type === 'Routing' &&
        h.hypervisor === source.hypervisor,
    )
}

/**
 * CapacityManager's checks for one VM on one host: CPU capability (enough cores, each at least
 * as fast) and free CPU and memory after the cluster's overprovisioning factors.
 */
function fits(host: Host, capacity: HostCapacity, vm: Vm): boolean {
  return (
    host.cpuNumber >= vm.cpuNumber &&
    host.cpuSpeed >= vm.cpuSpeed &&
    capacity.cpuWithOverprovisioning - capacity.cpuAllocated >= vm.cpuNumber * vm.cpuSpeed &&
    capacity.memoryWithOverprovisioning - capacity.memoryAllocated >= vm.memory * 1024 * 1024
  )
}

export function hostCanTake(model: SimModel, host: Host, vm: Vm): boolean {
  return fits(host, model.hostCapacity(host), vm)
}

/** First fit over the candidates, in the model's host order; undefined when the VM fits nowhere. */
export function findMigrationTarget(
  model: SimModel,
  vm: Vm,
  source: Host,
  options: MigrationOptions = {},
): Host | undefined {
  const candidates = migrationCandidates(model, source, options)
  if (candidates.length === 0) return undefined
  const capacities = model.hostCapacities(candidates)
  return candidates.find((h) => fits(h, capacities.get(h.id)!, vm))
}

/** Simulated seconds one live migration takes: a fixed part plus a second per GiB of memory. */
export function migrationSeconds(vm: Vm): number {
  return 10 + Math.ceil(vm.memory / 1024)
}

/** HighAvailabilityManager defaults: attempts per VM and the pause between them. */
export const MIGRATION_RETRIES = 5
export const MIGRATION_RETRY_INTERVAL_SECONDS = 120

// ---------------------------------------------------------------------------------------------
// prepareHostForMaintenance

/** VM states that keep a host from reaching Maintenance (attemptMaintain). */
const BUSY_STATES = new Set<VmState>(['Error', 'Migrating', 'Running', 'Starting', 'Stopping', 'Unknown'])

function vmsInStates(model: SimModel, host: Host, states: VmState[]): Vm[] {
  return model.vmsOnHost(host.id).filter((vm) => states.includes(vm.state))
}

/**
 * The checks ResourceManagerImpl.maintain makes before asking the agent, in the server's order;
 * throws the CloudRuntimeException text (unwrapped) of the first that fails.
 */
export function checkCanPrepareForMaintenance(model: SimModel, host: Host): void {
  if (!canAttemptMaintenance(host.resourceState)) {
    throw SimApiError.internal(
      `Host is already in state ${host.resourceState}. Cannot recall for maintenance until resolved.`,
    )
  }

  const cluster = model.clusters.get(host.clusterId)
  const busy = model
    .hostsInCluster(host.clusterId)
    .some(
      (h) =>
        h.resourceState === 'PrepareForMaintenance' || h.resourceState === 'ErrorInPrepareForMaintenance',
    )
  if (busy) {
    throw SimApiError.internal(
      'There are other servers attempting migrations for maintenance. ' +
        `Found hosts in PrepareForMaintenance OR ErrorInPrepareForMaintenance STATUS in cluster ${cluster?.internalId ?? host.clusterId}`,
    )
  }

  if (vmsInStates(model, host, ['Migrating']).length > 0) {
    throw SimApiError.internal(
      'Host contains incoming VMs migrating. Please wait for them to complete before putting to maintenance.',
    )
  }

  if (vmsInStates(model, host, ['Starting', 'Stopping']).length > 0) {
    throw SimApiError.internal(
      'Host contains VMs in starting/stopping state. Please wait for them to complete before putting to maintenance.',
    )
  }

  if (vmsInStates(model, host, ['Error', 'Unknown']).length > 0) {
    throw SimApiError.internal(
      'Host contains VMs in error/unknown/shutdown state. Please fix errors to proceed.',
    )
  }
}

export interface EnterMaintenanceOptions extends MigrationOptions {
  /** Called after every change the background drain makes (to persist the state). */
  onChange?: () => void
}

/** The job error prepareHostForMaintenance reports (PrepareForMaintenanceCmd wraps the cause). */
export function prepareFailure(text: string): SimApiError {
  return SimApiError.internal(`Failed to prepare host for maintenance due to: ${text}`)
}

function unableToPrepare(host: Host): SimApiError {
  return prepareFailure(`Unable to prepare for maintenance host ${host.internalId}`)
}

/**
 * The body of a prepareHostForMaintenance job. Runs the server's checks, moves the host to
 * PrepareForMaintenance and starts draining it in the background; returns the host as the job
 * reports it (PrepareForMaintenance, or Maintenance when nothing has to move). Throws the job's
 * SimApiError (530, "Failed to prepare host for maintenance due to: …").
 */
export function enterMaintenance(
  model: SimModel,
  clock: SimClock,
  hostId: string,
  options: EnterMaintenanceOptions = {},
): Host {
  const host = model.hosts.get(hostId)
  if (!host)
    throw SimApiError.invalidParameter(
      `Unable to find host with ID: ${hostId}. Please specify a valid host ID.`,
    )
  try {
    checkCanPrepareForMaintenance(model, host)
  } catch (error) {
    if (error instanceof SimApiError) throw prepareFailure(error.errortext)
    throw error
  }

  const zone = model.zones.get(host.zoneId)
  const downToMaintenance = zone
    ? model.settingForZone('set.host.down.to.maintenance', zone)
    : model.setting('set.host.down.to.maintenance')
  if (
    downToMaintenance === 'true' &&
    host.status === 'Down' &&
    (host.resourceState === 'Enabled' || host.resourceState === 'ErrorInMaintenance')
  ) {
    host.resourceState = 'Maintenance'
    return host
  }

  // The agent must answer MaintainCommand; a host that is not connected does not.
  if (host.status !== 'Up') throw unableToPrepare(host)
  try {
    transitResourceState(host, 'AdminAskMaintenance')
  } catch (error) {
    if (error instanceof NoTransitionError)
      throw prepareFailure(
        `Cannot transit resource state of ${describeHostRecord(host)} to Maintenance${error.message}`,
      )
    throw error
  }

  if (host.resourceState === 'Maintenance') return host // Degraded hosts go straight to Maintenance.
  const vms = model.vmsOnHost(host.id).filter((vm) => BUSY_STATES.has(vm.state))
  if (vms.length === 0) {
    transitResourceState(host, 'InternalEnterMaintenance')
    return host
  }

  if (migrationCandidates(model, host, options).length === 0) {
    // doMaintain returns false: the job fails, the host stays in PrepareForMaintenance, and the
    // next maintenance check finds running VMs with nothing left to try: ErrorInMaintenance.
    startDrain(model, clock, host, {...options, giveUpAtOnce: true})
    throw unableToPrepare(host)
  }

  startDrain(model, clock, host, {...options, giveUpAtOnce: false})
  return host
}

// ---------------------------------------------------------------------------------------------
// The background drain

interface Drain {
  cancelled: boolean
  done: Promise<ResourceState | undefined>
}

const drains = new WeakMap<SimModel, Map<string, Drain>>()

function drainsOf(model: SimModel): Map<string, Drain> {
  let map = drains.get(model)
  if (!map) {
    map = new Map()
    drains.set(model, map)
  }

  return map
}

/** Whether a drain of the host is running in this simulator process. */
export function isDraining(model: SimModel, hostId: string): boolean {
  const drain = drainsOf(model).get(hostId)
  return drain !== undefined && !drain.cancelled
}

/**
 * Resolves when the host's current drain ends, with the host's resource state then
 * (Maintenance, ErrorInMaintenance, or Enabled when cancelled); undefined when no drain runs
 * or the simulator stopped.
 */
export async function drainFinished(model: SimModel, hostId: string): Promise<ResourceState | undefined> {
  return drainsOf(model).get(hostId)?.done
}

interface DrainRun {
  clock: SimClock
  drain: Drain
  /** No target at all: the server's next check finds running VMs and nothing to retry. */
  giveUpAtOnce: boolean
  host: Host
  model: SimModel
  options: EnterMaintenanceOptions
}

function startDrain(
  model: SimModel,
  clock: SimClock,
  host: Host,
  options: EnterMaintenanceOptions & {giveUpAtOnce: boolean},
): void {
  const previous = drainsOf(model).get(host.id)
  if (previous) previous.cancelled = true
  const drain = {cancelled: false} as Drain
  drain.done = runDrain({clock, drain, giveUpAtOnce: options.giveUpAtOnce, host, model, options})
    .catch((error: unknown): ResourceState | undefined => {
      if (error instanceof ClockClosedError) return
      throw error
    })
    .finally(() => {
      if (drainsOf(model).get(host.id) === drain) drainsOf(model).delete(host.id)
    })
  drainsOf(model).set(host.id, drain)
}

function stillOurs({clock, drain, host, model}: DrainRun): boolean {
  return (
    !drain.cancelled &&
    !clock.isClosed &&
    model.hosts.get(host.id) === host &&
    isMaintenanceState(host.resourceState)
  )
}

/** One pass over the host's running VMs, migrating each that fits somewhere; returns those that did not. */
async function migrateRunningVms(run: DrainRun): Promise<undefined | Vm[]> {
  const {clock, host, model, options} = run
  const failed: Vm[] = []
  for (const vm of model.vmsOnHost(host.id).filter((v) => v.state === 'Running')) {
    if (!stillOurs(run)) return undefined
    const target = findMigrationTarget(model, vm, host, options)
    if (!target) {
      failed.push(vm)
      if (host.resourceState === 'PrepareForMaintenance') {
        transitResourceState(host, 'UnableToMigrate')
        options.onChange?.()
      }

      continue
    }

    vm.state = 'Migrating'
    options.onChange?.()
    // Live migrations run one after another.
    // eslint-disable-next-line no-await-in-loop
    await clock.sleep(migrationSeconds(vm) * 1000)
    // A migration under way completes even if the maintenance was cancelled meanwhile.
    if (model.vms.get(vm.id) === vm && vm.state === 'Migrating') {
      vm.lastHostId = host.id
      vm.hostId = target.id
      vm.state = 'Running'
      options.onChange?.()
    }
  }

  return failed
}

async function runDrain(run: DrainRun): Promise<ResourceState | undefined> {
  const {clock, host, model, options} = run
  const finish = (allMoved: boolean) => {
    settle(model, host, allMoved)
    options.onChange?.()
    return host.resourceState
  }

  if (run.giveUpAtOnce) {
    // The server's periodic check comes round after a ping interval.
    await clock.sleep(60_000)
    return stillOurs(run) ? finish(false) : host.resourceState
  }

  for (let attempt = 1; ; attempt++) {
    // eslint-disable-next-line no-await-in-loop
    const failed = await migrateRunningVms(run)
    if (!failed || !stillOurs(run)) return host.resourceState
    if (failed.length === 0) return finish(true)
    if (attempt >= MIGRATION_RETRIES) return finish(false)
    // eslint-disable-next-line no-await-in-loop
    await clock.sleep(MIGRATION_RETRY_INTERVAL_SECONDS * 1000)
    if (!stillOurs(run)) return host.resourceState
  }
}

/** attemptMaintain's verdict once no migration is pending. */
function settle(model: SimModel, host: Host, allMoved: boolean): void {
  const busy = model.vmsOnHost(host.id).some((vm) => BUSY_STATES.has(vm.state))
  if (allMoved && !busy) {
    if (host.resourceState === 'ErrorInPrepareForMaintenance') transitResourceState(host, 'ErrorsCorrected')
    transitResourceState(host, 'InternalEnterMaintenance')
    return
  }

  if (host.resourceState !== 'ErrorInMaintenance') transitResourceState(host, 'UnableToMaintain')
}

// ---------------------------------------------------------------------------------------------
// cancelHostMaintenance

/**
 * The body of a cancelHostMaintenance job: stops the drain (a migration under way still
 * completes) and returns the host to Enabled. Throws the server's texts.
 */
export function cancelMaintenance(model: SimModel, hostId: string): Host {
  const host = model.hosts.get(hostId)
  if (!host) throw SimApiError.invalidParameter(`Host with id ${hostId} doesn't exist`)
  if (!isMaintenanceState(host.resourceState)) {
    throw SimApiError.internal(
      `Cannot perform cancelMaintenance when resource state is ${host.resourceState}, hostId = ${host.internalId}`,
    )
  }

  const drain = drainsOf(model).get(host.id)
  if (drain) drain.cancelled = true
  transitResourceState(host, 'AdminCancelMaintenance')
  return host
}
