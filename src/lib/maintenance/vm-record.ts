import {createHash} from 'node:crypto'
import {chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import type {MoldClient} from '../api/client.js'
import type {Host} from '../api/models.js'

import {rollsDir} from '../roll/state.js'
import {listVmsOnHost} from './fetch.js'

/*
 * Which VMs left each host when it entered maintenance, so that they can be put back
 * afterwards (`host migrate-back`, `host maintenance cancel --migrate-back`, `cluster roll
 * --migrate-back`). One file per profile (or per endpoint when no profile is used), mode 0600,
 * beside the roll states: $XDG_STATE_HOME/moldctl/maintenance/<profile>.json.
 */

export interface RecordedVm {
  id: string
  name: string
}

export interface HostVmRecord {
  hostId: string
  hostName: string
  recorded: string
  vms: RecordedVm[]
}

interface RecordFile {
  hosts: Record<string, HostVmRecord>
  version: 1
}

export interface RecordScope {
  endpoint: string
  profile?: string
}

export function vmRecordPath(scope: RecordScope, env: NodeJS.ProcessEnv = process.env): string {
  const name = scope.profile
    ? `profile-${scope.profile.replaceAll(/[^\w.-]/g, '_')}`
    : `endpoint-${createHash('sha256').update(scope.endpoint).digest('hex').slice(0, 12)}`
  return path.join(path.dirname(rollsDir(env)), 'maintenance', `${name}.json`)
}

function load(file: string): RecordFile {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as RecordFile
    if (parsed.version === 1 && parsed.hosts) return parsed
  } catch {
    // Missing or unreadable: start afresh.
  }

  return {hosts: {}, version: 1}
}

function save(file: string, data: RecordFile): void {
  mkdirSync(path.dirname(file), {mode: 0o700, recursive: true})
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`, {mode: 0o600})
  chmodSync(temporary, 0o600)
  renameSync(temporary, file)
}

/** Records the VMs about to leave a host (replacing an older record of that host). */
export function recordVmsLeaving(scope: RecordScope, record: HostVmRecord, env?: NodeJS.ProcessEnv): void {
  const file = vmRecordPath(scope, env)
  const data = load(file)
  data.hosts[record.hostId] = record
  save(file, data)
}

export function recordedVms(
  scope: RecordScope,
  hostId: string,
  env?: NodeJS.ProcessEnv,
): HostVmRecord | undefined {
  return load(vmRecordPath(scope, env)).hosts[hostId]
}

/** Keeps only `remaining` in the host's record (none left: the record goes). */
export function keepRecordedVms(
  scope: RecordScope,
  hostId: string,
  remaining: RecordedVm[],
  env?: NodeJS.ProcessEnv,
): void {
  const file = vmRecordPath(scope, env)
  const data = load(file)
  const record = data.hosts[hostId]
  if (!record) return
  if (remaining.length === 0) delete data.hosts[hostId]
  else record.vms = remaining
  save(file, data)
}

/** The hook `host maintenance enter` runs before each drain: records the host's running VMs. */
export function vmRecorder(client: MoldClient, scope: RecordScope): (host: Host) => Promise<void> {
  return async (host) => {
    const vms = (await listVmsOnHost(client, host.id)).filter((vm) => vm.state === 'Running')
    recordVmsLeaving(scope, {
      hostId: host.id,
      hostName: host.name,
      recorded: new Date().toISOString(),
      vms: vms.map((vm) => ({id: vm.id, name: vm.name})),
    })
  }
}
