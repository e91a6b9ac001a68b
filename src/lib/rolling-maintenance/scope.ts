import {MoldctlError, UsageError} from '../core/errors.js'

/** The four scopes of startRollingMaintenance: flag name → API parameter. */
export const ROLLING_SCOPES = {
  clusters: 'clusterids',
  hosts: 'hostids',
  pods: 'podids',
  zones: 'zoneids',
} as const
export type RollingScopeKind = keyof typeof ROLLING_SCOPES

export interface RollingScope {
  kind: RollingScopeKind
  param: (typeof ROLLING_SCOPES)[RollingScopeKind]
  /** What the operator typed (UUIDs, names, host IPs), de-duplicated, in order. */
  refs: string[]
}

/**
 * Exactly one of --hosts/--clusters/--pods/--zones. The server would silently take the first
 * non-empty of pods, clusters, zones, hosts; we refuse the ambiguity before any call.
 */
export function rollingScope(
  flags: Partial<Record<RollingScopeKind, string | string[] | undefined>>,
): RollingScope {
  const given = (Object.keys(ROLLING_SCOPES) as RollingScopeKind[]).filter(
    (kind) => flags[kind] !== undefined,
  )
  if (given.length !== 1) {
    throw new UsageError(
      given.length === 0
        ? 'give the scope: one of --hosts, --clusters, --pods or --zones'
        : `give only one scope, not ${given.map((kind) => `--${kind}`).join(' and ')}`,
    )
  }

  const kind = given[0]
  const raw = flags[kind]!
  const items = (Array.isArray(raw) ? raw : [raw])
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
  if (items.includes('')) throw new UsageError(`--${kind} has an empty item: give a comma-separated list`)
  return {kind, param: ROLLING_SCOPES[kind], refs: [...new Set(items)]}
}

export const PING_INTERVAL_SETTING = 'kvm.rolling.maintenance.ping.interval'
export const STAGE_TIMEOUT_SETTING = 'kvm.rolling.maintenance.stage.timeout'
export const WAIT_MAINTENANCE_TIMEOUT_SETTING = 'kvm.rolling.maintenance.wait.maintenance.timeout'

/** The server's own words when the stage timeout is not above the ping interval. */
export const TIMEOUT_NOT_ABOVE_PING_INTERVAL = `The timeout value provided must be greater or equal than the ping interval defined in '${PING_INTERVAL_SETTING}'`

/**
 * The server refuses a stage timeout that is not strictly greater than the ping interval
 * (equal is refused too, despite its wording). The effective timeout is --timeout, else the
 * kvm.rolling.maintenance.stage.timeout setting.
 */
export function checkStageTimeout(opts: {
  pingInterval: number
  stageTimeoutSetting: number
  timeout?: number
}): number {
  const effective = opts.timeout ?? opts.stageTimeoutSetting
  if (effective <= opts.pingInterval) {
    const source =
      opts.timeout === undefined ? `${STAGE_TIMEOUT_SETTING} = ${effective}` : `--timeout ${effective}`
    throw new UsageError(
      `${TIMEOUT_NOT_ABOVE_PING_INTERVAL} (${source}, ${PING_INTERVAL_SETTING} = ${opts.pingInterval})`,
      [`use a timeout above ${opts.pingInterval} seconds`],
    )
  }

  return effective
}

/** What the operator should know about a payload before every stage script receives it. */
export function payloadWarnings(payload?: string): string[] {
  if (!payload) return []
  const warnings: string[] = []
  if (payload.includes(',')) {
    warnings.push(
      'the payload contains a comma: hosts using the systemd executor (the default) pass only the text before the first comma',
    )
  }

  return warnings
}

/** Reads an integer setting value as the server would (Integer.parseInt of the text). */
export function integerSetting(name: string, value: unknown): number {
  const number = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10)
  if (!Number.isFinite(number) || String(value ?? '').trim() === '') {
    throw new MoldctlError(`setting ${name} has no integer value (${JSON.stringify(value)})`)
  }

  return number
}
