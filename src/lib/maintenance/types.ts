/** The shapes `host maintenance enter|cancel|status` work with: hosts and VMs as the API lists them, and the options. */
import type {Host, Vm} from '../api/models.js'
import type {ProgressSink, Ui} from '../core/ui.js'
import type {EnterDecision} from '../infra/resource-state.js'
import type {MaintenancePlan} from './plan.js'

export interface WaitSettings {
  /** The longest pause between two looks at the host. */
  maxPollMs: number
  /** The first pause; pauses grow by half up to maxPollMs. */
  minPollMs: number
  /** Per host: give up waiting after this long (exit 5). */
  timeoutMs?: number
}

export interface EnterOptions extends WaitSettings {
  /** Called just before a host's prepareHostForMaintenance is sent (records the VMs that leave). */
  beforeSubmit?: (host: Host) => Promise<void>
  /** Go on even when the capacity check says some VMs fit nowhere. */
  force: boolean
  /** Progress lines, the interrupt signal; elapsed time when stderr is a live terminal. */
  ui: Ui
  /** Submit and return the job ids without waiting. */
  wait: boolean
}

/** One host's outcome: the host as last read, plus the job that moved it (API field names). */
export type HostOutcome = Host & {jobid?: string}

export interface EnterPreparation {
  decisions: Map<string, EnterDecision>
  plan: MaintenancePlan
  /** The guide's advice for hosts whose agent is not connected (Down, Disconnected, Alert). */
  reminders: string[]
  /** Capacity explanations that --force overrode. */
  warnings: string[]
}

export interface WaitContext extends WaitSettings {
  beforeSubmit?: (host: Host) => Promise<void>
  jobid?: string
  /** Hosts of the plan not started yet (named when a host fails). */
  notStarted: string[]
  progress: ProgressSink
  /** The command that continues where this one stopped. */
  resume: string
  /** Put the elapsed time in the progress line (live terminal lines). */
  showElapsed: boolean
  signal?: AbortSignal
}

export interface CancelOptions {
  timeoutMs?: number
  /** Progress lines and the interrupt signal. */
  ui: Ui
}

export type StatusRow = Host & {virtualmachine: Vm[]}
