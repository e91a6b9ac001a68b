/**
 * What a host's resource state means for the maintenance commands (reference §5.1: the
 * server's ResourceState machine).
 */

export const RESOURCE_STATES = [
  'Creating',
  'Enabled',
  'Disabled',
  'PrepareForMaintenance',
  'ErrorInPrepareForMaintenance',
  'Maintenance',
  'ErrorInMaintenance',
  'Error',
  'Degraded',
] as const

export type ResourceState = (typeof RESOURCE_STATES)[number]

/** The states cancelHostMaintenance accepts (ResourceState.isMaintenanceState). */
export const MAINTENANCE_FAMILY: readonly string[] = [
  'PrepareForMaintenance',
  'ErrorInPrepareForMaintenance',
  'Maintenance',
  'ErrorInMaintenance',
]

export type EnterDecision =
  /** Already in Maintenance: success without a call. */
  | {action: 'none'; reason: string}
  /** Draining is already under way (someone asked before): wait for it, no new call. */
  | {action: 'refuse'; reason: string; suggestion?: string}
  | {action: 'submit'}
  /** The server would refuse; nothing is sent. */
  | {action: 'wait'; reason: string}

/** Decides what `host maintenance enter` does for a host in `state` before any call. */
export function decideEnter(hostName: string, state: string): EnterDecision {
  switch (state) {
    case 'Creating':
    case 'Error': {
      return {
        action: 'refuse',
        reason: `${hostName} is in resource state ${state} and cannot enter maintenance`,
      }
    }

    case 'Degraded':
    case 'Enabled':
    case 'ErrorInMaintenance': {
      return {action: 'submit'}
    }

    case 'Disabled': {
      return {
        action: 'refuse',
        reason: `${hostName} is Disabled; the server moves only Enabled hosts to maintenance`,
        suggestion: `enable it first: moldctl host enable ${hostName}`,
      }
    }

    case 'ErrorInPrepareForMaintenance': {
      return {
        action: 'refuse',
        reason: `${hostName} is in ErrorInPrepareForMaintenance: a previous attempt could not move all its VMs`,
        suggestion: `see which VMs are left with: moldctl host maintenance status ${hostName}; then cancel with: moldctl host maintenance cancel ${hostName} and try again`,
      }
    }

    case 'Maintenance': {
      return {action: 'none', reason: `${hostName} is already in Maintenance`}
    }

    case 'PrepareForMaintenance': {
      return {action: 'wait', reason: `${hostName} is already preparing for maintenance; waiting for it`}
    }

    default: {
      return {action: 'refuse', reason: `${hostName} is in an unknown resource state ${state}`}
    }
  }
}

export type CancelDecision =
  {action: 'none'; reason: string} | {action: 'refuse'; reason: string} | {action: 'submit'}

/** Decides what `host maintenance cancel` does for a host in `state` before any call. */
export function decideCancel(hostName: string, state: string): CancelDecision {
  if (state === 'Enabled')
    return {action: 'none', reason: `${hostName} is already Enabled (not in maintenance)`}
  if (MAINTENANCE_FAMILY.includes(state)) return {action: 'submit'}
  return {
    action: 'refuse',
    reason: `${hostName} is ${state}, not in maintenance; cancelHostMaintenance accepts only ${MAINTENANCE_FAMILY.join(', ')}`,
  }
}

export type WaitPhase = 'done' | 'failed' | 'waiting'

/**
 * While waiting for a host to reach Maintenance: Maintenance is done, the two error states
 * are failures, PrepareForMaintenance is progress. Any other state means someone else changed
 * the host (for instance cancelled the maintenance) and the wait has failed.
 */
export function interpretMaintenanceWait(state: string): WaitPhase {
  if (state === 'Maintenance') return 'done'
  if (state === 'PrepareForMaintenance') return 'waiting'
  return 'failed'
}

export function describeFailedWait(hostName: string, state: string): string {
  switch (state) {
    case 'Enabled': {
      return `${hostName} went back to Enabled while waiting: its maintenance was cancelled`
    }

    case 'ErrorInMaintenance': {
      return `${hostName} is in ErrorInMaintenance: the server gave up moving its VMs`
    }

    case 'ErrorInPrepareForMaintenance': {
      return `${hostName} is in ErrorInPrepareForMaintenance: some VMs could not be migrated`
    }

    default: {
      return `${hostName} is in resource state ${state} instead of Maintenance`
    }
  }
}

export type RemoveDecision = {action: 'drain-first'} | {action: 'refuse'; reason: string} | {action: 'remove'}

/**
 * `host remove`: the server deletes only hosts in Maintenance or Degraded unless forced;
 * with `--drain` we first take the host into maintenance.
 */
export function decideRemove(
  hostName: string,
  state: string,
  opts: {drain: boolean; force: boolean},
): RemoveDecision {
  if (state === 'Maintenance' || state === 'Degraded') return {action: 'remove'}
  if (opts.drain) {
    const enter = decideEnter(hostName, state)
    if (enter.action === 'refuse') return {action: 'refuse', reason: `cannot drain: ${enter.reason}`}
    return {action: 'drain-first'}
  }

  if (opts.force) return {action: 'remove'}
  return {
    action: 'refuse',
    reason: `${hostName} is ${state}; a host can be removed only in Maintenance or Degraded (add --drain to enter maintenance first, or --force to delete it anyway)`,
  }
}

/** updateHost's allocationstate values are Enable/Disable, not Enabled/Disabled (reference §4.8). */
export type HostAllocationAction = 'Disable' | 'Enable'

export type AllocationDecision =
  {action: 'none'; reason: string} | {action: 'refuse'; reason: string} | {action: 'submit'}

/** The states from which the server's ResourceState machine accepts each event (reference §5.1). */
const ALLOCATION_SOURCES: Record<HostAllocationAction, readonly string[]> = {
  Disable: ['Enabled', 'ErrorInPrepareForMaintenance', 'ErrorInMaintenance'],
  Enable: ['Disabled'],
}

/** `host enable|disable`: Enable on Enabled and Disable on Disabled are no-ops. */
export function decideHostAllocation(
  hostName: string,
  state: string,
  action: HostAllocationAction,
): AllocationDecision {
  const target = action === 'Enable' ? 'Enabled' : 'Disabled'
  if (state === target) return {action: 'none', reason: `${hostName} is already ${target}`}
  if (ALLOCATION_SOURCES[action].includes(state)) return {action: 'submit'}
  if (MAINTENANCE_FAMILY.includes(state))
    return {
      action: 'refuse',
      reason: `${hostName} is in ${state}; end the maintenance with: moldctl host maintenance cancel ${hostName}`,
    }
  if (state === 'Degraded')
    return {
      action: 'refuse',
      reason: `${hostName} is Degraded; the server leaves Degraded only through cancelHostAsDegraded`,
    }
  return {action: 'refuse', reason: `${hostName} is ${state} and cannot be ${target.toLowerCase()}`}
}
