import {formatDuration} from './report.js'

/** What one poll of listClusters / listHosts showed. */
export interface ProgressSnapshot {
  clusters: {allocationstate?: string; id: string; name: string}[]
  hosts: {clusterid?: string; id: string; name: string; resourcestate?: string}[]
}

interface HostTrack {
  /** When the host was first seen out of Enabled (PrepareForMaintenance), ms. */
  left?: number
  name: string
  /** When it came back to Enabled after that, ms. */
  returned?: number
  state: string
}

/** Everything learnt so far while the job runs. */
export interface ProgressState {
  /** `touched`: seen out of Enabled during the run (shown in the live view from then on). */
  clusters: Map<string, {name: string; state: string; touched: boolean}>
  hosts: Map<string, HostTrack>
  started: number
}

export function newProgressState(started: number): ProgressState {
  return {clusters: new Map(), hosts: new Map(), started}
}

/**
 * Folds one poll into the state and returns the changes as plain sentences (the lines printed
 * when stderr is not a terminal). The first poll only records what it sees.
 */
export function applySnapshot(state: ProgressState, snapshot: ProgressSnapshot, now: number): string[] {
  const events: string[] = []
  for (const cluster of snapshot.clusters) {
    const allocation = cluster.allocationstate ?? 'Enabled'
    const before = state.clusters.get(cluster.id)
    if (before && before.state !== allocation) events.push(`cluster ${cluster.name}: ${allocation}`)
    const touched = (before?.touched ?? false) || (before !== undefined && allocation !== 'Enabled')
    state.clusters.set(cluster.id, {name: cluster.name, state: allocation, touched})
  }

  for (const host of snapshot.hosts) {
    const resource = host.resourcestate ?? 'Unknown'
    const track = state.hosts.get(host.id)
    if (!track) {
      state.hosts.set(host.id, {
        left: resource === 'Enabled' ? undefined : now,
        name: host.name,
        state: resource,
      })
      continue
    }

    if (track.state === resource) continue
    if (resource === 'Enabled' && track.left !== undefined) {
      track.returned = now
      events.push(`host ${host.name}: Enabled again after ${formatDuration(now - track.left)}`)
    } else if (resource !== 'Enabled') {
      if (track.state === 'Enabled' || track.left === undefined) {
        track.left = now
        track.returned = undefined
      }

      events.push(
        `host ${host.name}: ${resource}${resource === 'Enabled' ? '' : ` (${formatDuration(now - track.left)})`}`,
      )
    }

    track.state = resource
  }

  return events
}

/** One line of the live view; `key` stays the same while its text changes. */
export interface LiveLine {
  key: string
  text: string
}

/** The live view on a terminal: the run, the clusters it disabled, the hosts it worked on. */
export function liveLines(state: ProgressState, now: number, jobId: string): LiveLine[] {
  const lines = [
    {
      key: 'job',
      text: `rolling maintenance job ${jobId}: running for ${formatDuration(now - state.started)}`,
    },
  ]
  for (const [id, cluster] of state.clusters) {
    if (!cluster.touched) continue
    const text = cluster.state === 'Enabled' ? 'Enabled again' : cluster.state
    lines.push({key: `cluster:${id}`, text: `  cluster ${cluster.name}: ${text}`})
  }

  for (const [id, host] of state.hosts) {
    if (host.left === undefined) continue
    const elapsed = formatDuration((host.returned ?? now) - host.left)
    lines.push({
      key: `host:${id}`,
      text:
        host.returned === undefined
          ? `  host ${host.name}: ${host.state} for ${elapsed}`
          : `  host ${host.name}: done, ${elapsed} out of service`,
    })
  }

  return lines
}

/**
 * Polite polling over hours: start at `minMs`, grow by half each quiet poll up to `maxMs`, and
 * drop back to `minMs` when something changed.
 */
export function nextPollDelay(previousMs: number, changed: boolean, minMs: number, maxMs: number): number {
  if (changed) return minMs
  return Math.min(maxMs, Math.max(minMs, Math.round(previousMs * 1.5)))
}
