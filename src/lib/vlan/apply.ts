// Guest VLAN ranges: sending a change so that nothing is lost when someone changes the same
// physical network at the same time. updatePhysicalNetwork replaces the whole set, so a
// read-merge-write can undo a change that landed between the read and the write. Here the
// write waits for the updates already queued, merges into a fresh read, and after its job
// (and any queued behind it) reads back and checks that the physical network holds every VLAN
// that was there before (minus what was removed) and every VLAN asked for; when another change
// got in between, it merges again and resends, a few times at most.
//
// listAsyncJobs cannot say which physical network an updatePhysicalNetwork job is for
// (UpdatePhysicalNetworkCmd names no resource id, so its jobs carry no jobinstanceid): every
// pending one is waited for.

import type {MoldClient, WaitOptions} from '../api/client.js'
import type {PhysicalNetwork} from './fetch.js'
import type {VlanRangeChange} from './plan.js'

import {describeRunningJob, type FoundJob, listJobsOf} from '../api/pending-jobs.js'
import {JobStatus} from '../api/types.js'
import {ApiError, JobFailedError, MoldctlError, OutcomeUnknownError} from '../core/errors.js'
import {sleep} from '../core/sleep.js'
import {
  describeVlans,
  differenceRanges,
  formatServerVlanString,
  intersectRanges,
  normalizeRanges,
  parseServerVlanString,
  rangesEqual,
  unionRanges,
  type VlanRange,
} from './range-rules.js'

/** Sends at most this many times before giving up (exit 1, naming what is missing). */
export const MAX_ATTEMPTS = 5
const COMMAND = 'updatePhysicalNetwork'

/** What the physical network must hold after the change: the run's intent. */
export interface VlanIntent {
  /** Must not be there: the VLANs removed. */
  absent: VlanRange[]
  /** Must be there: what was there before (minus the removed) and what was added. */
  present: VlanRange[]
}

export function vlanIntent(plan: Pick<VlanRangeChange, 'action' | 'before' | 'requested'>): VlanIntent {
  return plan.action === 'add'
    ? {absent: [], present: unionRanges(plan.before, plan.requested)}
    : {absent: normalizeRanges(plan.requested), present: differenceRanges(plan.before, plan.requested)}
}

/** The set to send given what the network holds now: the current ranges merged with the intent. */
export function remerge(current: readonly VlanRange[], intent: VlanIntent): VlanRange[] {
  return differenceRanges(unionRanges(current, intent.present), intent.absent)
}

/** What the network lacks of the intent (`missing`) and holds against it (`unwanted`). */
export function checkIntent(
  after: readonly VlanRange[],
  intent: VlanIntent,
): {missing: VlanRange[]; unwanted: VlanRange[]} {
  return {missing: differenceRanges(intent.present, after), unwanted: intersectRanges(after, intent.absent)}
}

export interface VerifiedApply {
  /** How many updatePhysicalNetwork calls were sent. */
  attempts: number
  /** The last job id (undefined when nothing needed sending after all). */
  jobid?: string
  /** The `vlan` last sent. */
  vlan?: string
  /** The `vlan` the server reports once everything settled. */
  vlanafter: string
  /** What happened on the way (stderr). */
  warnings: string[]
}

export interface VerifiedApplyOptions {
  note: (line: string) => void
  /** The first plan (from the first read): the intent. */
  plan: VlanRangeChange
  pn: PhysicalNetwork
  wait?: WaitOptions
}

async function readVlans(client: MoldClient, pn: PhysicalNetwork): Promise<VlanRange[]> {
  const [fresh] = await client.list<PhysicalNetwork>('listPhysicalNetworks', {id: pn.id})
  if (!fresh) throw new MoldctlError(`physical network ${pn.name} (${pn.id}) is gone`)
  return parseServerVlanString(fresh.vlan)
}

/**
 * Waits for the updatePhysicalNetwork jobs still pending that this run did not send; returns the
 * command's jobs as last listed (undefined when the server will not list jobs).
 */
async function waitForOtherUpdates(
  client: MoldClient,
  opts: VerifiedApplyOptions,
  warnings: string[],
): Promise<FoundJob[] | undefined> {
  for (;;) {
    let jobs: FoundJob[]
    try {
      // eslint-disable-next-line no-await-in-loop
      jobs = await listJobsOf(client, {command: COMMAND})
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      const line = `cannot look for ${COMMAND} jobs already running (listAsyncJobs: ${error.errortext})`
      if (!warnings.includes(line)) warnings.push(line)
      return undefined
    }

    const pending = jobs.filter((j) => j.job.jobstatus === JobStatus.InProgress)
    if (pending.length === 0) return jobs
    for (const found of pending) {
      opts.note(`${describeRunningJob({command: COMMAND}, found)}; waiting for it`)
      // eslint-disable-next-line no-await-in-loop
      await client.waitForJob(found.job.jobid, {...opts.wait, command: COMMAND}).catch((error: unknown) => {
        if (!(error instanceof JobFailedError)) throw error
      })
    }
  }
}

/**
 * VLANs that other runs removed on purpose while this one ran: VLANs the network held when this
 * run read it that another successful update of the same network (one not seen before the read)
 * left out. A run that wrote from an older read still holds those VLANs (they were there for it
 * too), so leaving one out means removing it.
 */
export function removedByOthers(
  before: readonly VlanRange[],
  jobs: readonly FoundJob[],
  known: ReadonlySet<string>,
  pn: PhysicalNetwork,
): VlanRange[] {
  let removed: VlanRange[] = []
  for (const {job} of jobs) {
    if (known.has(job.jobid) || job.jobstatus !== JobStatus.Succeeded) continue
    const written = (job.jobresult?.physicalnetwork ?? undefined) as PhysicalNetwork | undefined
    if (!written || written.id !== pn.id) continue
    removed = unionRanges(removed, differenceRanges(before, parseServerVlanString(written.vlan)))
  }

  return removed
}

/** Milliseconds before a resend: 200-1000, so that two runs that collided do not collide again. */
function jitterMs(): number {
  return 200 + Math.floor(Math.random() * 800)
}

/**
 * Sends the change and makes sure it holds (see the top of the file). Throws MoldctlError (exit
 * 1) naming the VLANs still missing (or still present) after MAX_ATTEMPTS sends; a job the
 * server fails is thrown as it is.
 */
export async function applyVerified(client: MoldClient, opts: VerifiedApplyOptions): Promise<VerifiedApply> {
  const {pn} = opts
  const warnings: string[] = []
  let intent: undefined | VlanIntent
  let read: VlanRange[] = []
  const known = new Set<string>()
  let attempts = 0
  let jobid: string | undefined
  let sent: string | undefined
  for (;;) {
    // eslint-disable-next-line no-await-in-loop
    const listed = await waitForOtherUpdates(client, opts, warnings)
    // eslint-disable-next-line no-await-in-loop
    const current = await readVlans(client, pn)
    if (!intent) {
      // The intent is taken from this read, the last before the first write.
      read = current
      intent = vlanIntent({...opts.plan, before: current})
      for (const found of listed ?? []) known.add(found.job.jobid)
    }

    const target = remerge(current, intent)
    if (!rangesEqual(target, current)) {
      sent = formatServerVlanString(target)
      attempts++
      // eslint-disable-next-line no-await-in-loop
      jobid = await send(client, opts, sent, warnings)
    }

    // Changes queued behind this one are part of what the network ends with.
    // eslint-disable-next-line no-await-in-loop
    const after = await settled(client, opts, warnings)
    // VLANs another run removed on purpose meanwhile are not put back.
    const others = removedByOthers(read, after.jobs, known, pn)
    if (others.length > 0) {
      const keep = opts.plan.action === 'add' ? opts.plan.requested : []
      intent = {...intent, present: unionRanges(differenceRanges(intent.present, others), keep)}
    }

    const {missing, unwanted} = checkIntent(after.vlans, intent)
    if (missing.length === 0 && unwanted.length === 0) {
      return {attempts, jobid, vlan: sent, vlanafter: formatServerVlanString(after.vlans), warnings}
    }

    const problems = [
      ...(missing.length > 0 ? [`lacks ${describeVlans(missing)}`] : []),
      ...(unwanted.length > 0 ? [`still holds ${describeVlans(unwanted)}`] : []),
    ].join(' and ')
    if (attempts >= MAX_ATTEMPTS) {
      throw new MoldctlError(
        `physical network ${pn.name} ${problems} after ${attempts} updates: another change keeps replacing the ranges`,
        {
          suggestions: [
            `it now holds ${formatServerVlanString(after.vlans) || '(no ranges)'}`,
            'see who else is changing it (moldctl job list --pending), then run the command again',
          ],
        },
      )
    }

    const line = `physical network ${pn.name} ${problems}: another change landed at the same time; merging again and resending (update ${attempts + 1} of at most ${MAX_ATTEMPTS})`
    warnings.push(line)
    opts.note(line)
    // eslint-disable-next-line no-await-in-loop
    await sleep(jitterMs(), opts.wait?.signal)
  }
}

/** Sends one update and waits for its job; a lost answer is left to the read back to settle. */
async function send(
  client: MoldClient,
  opts: VerifiedApplyOptions,
  vlan: string,
  warnings: string[],
): Promise<string | undefined> {
  try {
    const {jobid} = await client.submitJob(COMMAND, {id: opts.pn.id, vlan})
    await client.waitForJob(jobid, {command: COMMAND, ...opts.wait})
    return jobid
  } catch (error) {
    if (!(error instanceof OutcomeUnknownError)) throw error
    warnings.push(
      `the answer to ${COMMAND} was lost (${error.code ?? 'connection lost'}); read back to settle it`,
    )
    opts.note(
      `the answer to ${COMMAND} was lost; reading the physical network to see whether the change is there`,
    )
    return undefined
  }
}

/** Once no other update is pending: the network's ranges and the command's jobs as listed. */
async function settled(
  client: MoldClient,
  opts: VerifiedApplyOptions,
  warnings: string[],
): Promise<{jobs: FoundJob[]; vlans: VlanRange[]}> {
  const jobs = (await waitForOtherUpdates(client, opts, warnings)) ?? []
  return {jobs, vlans: await readVlans(client, opts.pn)}
}
