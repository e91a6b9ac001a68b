import type {Host, SimModel} from '../state/model.js'

import {formatApiDate} from '../state/format.js'
import {ClockClosedError, type SimClock} from './clock.js'

/*
 * A host rebooting, as the management server sees it: the agent's connection drops (status
 * Disconnected, the `disconnected` date set), the agent connects again when the machine is back
 * (Connecting), then the host is Up with whatever the patched machine now reports (hypervisor
 * version, or for KVM the kernel in the host details). VMs still running on it are gone: they
 * end Stopped. Driven by the test hook `POST /sim/hosts/<id|name|ip>/reboot` so that a
 * `cluster roll` command can "patch and reboot" a simulated host.
 */

export interface RebootOptions {
  /** Simulated milliseconds the host stays Disconnected; undefined: it never comes back. */
  downMs?: number
  /** The version the host reports once Up again (hypervisor version; kernel for KVM hosts). */
  version?: string
}

export class RebootRefusedError extends Error {
  readonly status: number

  constructor(status: number, message: string) {
    super(message)
    this.name = 'RebootRefusedError'
    this.status = status
  }
}

/** Simulated milliseconds between the agent connecting again and the host being Up. */
export const CONNECTING_MS = 5000
const KERNEL_DETAIL = 'Host.OS.Kernel.Version'

/** A host by id, name or IP address (test hooks accept each). */
export function findHost(model: SimModel, ref: string): Host | undefined {
  return (
    model.hosts.get(ref) ??
    model.state.hosts.find((h) => h.name === ref) ??
    model.state.hosts.find((h) => h.ipAddress === ref)
  )
}

/** What the host reports as its version: the hypervisor version, else (KVM) the kernel. */
export function reportedVersion(host: Host): string | undefined {
  return host.hypervisorVersion ?? host.details[KERNEL_DETAIL]
}

/**
 * Starts a reboot: the host is Disconnected at once (so a command that asked for the reboot
 * sees it before it returns), then Connecting and Up again on the simulated clock.
 */
export function rebootHost(
  model: SimModel,
  clock: SimClock,
  host: Host,
  options: RebootOptions & {onChange?: () => void},
): {downMs?: number; host: string; version?: string} {
  if (host.status !== 'Up')
    throw new RebootRefusedError(409, `host ${host.name} is ${host.status}; only an Up host can reboot`)
  host.status = 'Disconnected'
  host.disconnected = formatApiDate(clock.now())
  for (const vm of model.vmsOnHost(host.id)) {
    if (vm.state === 'Running' || vm.state === 'Migrating' || vm.state === 'Starting') {
      vm.lastHostId = host.id
      vm.hostId = undefined
      vm.state = 'Stopped'
    }
  }

  options.onChange?.()
  if (options.downMs !== undefined) comeBack(model, clock, host, options).catch(() => {})
  return {downMs: options.downMs, host: host.name, version: options.version}
}

async function comeBack(
  model: SimModel,
  clock: SimClock,
  host: Host,
  options: RebootOptions & {onChange?: () => void},
): Promise<void> {
  try {
    await clock.sleep(options.downMs!)
    if (model.hosts.get(host.id) !== host || host.status !== 'Disconnected') return
    host.status = 'Connecting'
    options.onChange?.()
    await clock.sleep(CONNECTING_MS)
    if (model.hosts.get(host.id) !== host || host.status !== 'Connecting') return
    if (options.version !== undefined) {
      if (host.hypervisorVersion === undefined) host.details[KERNEL_DETAIL] = options.version
      else host.hypervisorVersion = options.version
    }

    host.status = 'Up'
    host.lastPinged = clock.now().toISOString()
    options.onChange?.()
  } catch (error) {
    if (!(error instanceof ClockClosedError)) throw error
  }
}

/** "20s", "2m", "500ms", "1h" or plain seconds, as simulated milliseconds. */
export function parseSimDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (!match) return undefined
  const unit = {h: 3_600_000, m: 60_000, ms: 1, s: 1000}[match[2] ?? 's']!
  return Math.round(Number(match[1]) * unit)
}
