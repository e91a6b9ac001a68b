import type {MoldClient} from '../api/client.js'
import type {HostOutOfBand} from '../api/models.js'
import type {ApiObject, Params} from '../api/types.js'
import type {Ui} from '../core/ui.js'

import {UsageError} from '../core/errors.js'
import {resolveEntity} from '../infra/resolve.js'
import {promptSecret, readStdin} from '../output/prompt.js'
import {isInteractive} from '../output/tty.js'
import {buildConfigureRequest, type ConfigureInput, OOBM_PASSWORD_MAX_LENGTH} from './rules.js'

/** The BMC password: from stdin with --password-stdin, else asked at a terminal. */
export async function readBmcPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) {
    const password = await readStdin('the BMC password')
    if (!password) throw new UsageError('The password read from stdin is empty.')
    return password
  }

  if (!isInteractive())
    throw new UsageError('the BMC password is needed', ['pass it on standard input with --password-stdin'])
  return promptSecret('BMC password', {stdinFlag: '--password-stdin'})
}

export interface ConfigureOptions extends Omit<ConfigureInput, 'flavor' | 'hostid'> {
  dryRun?: boolean
}

/** configureOutOfBandManagement's answer (OutOfBandManagementResponse): the host's OOBM with its id; the password is masked. */
export type ConfiguredOutOfBand = ApiObject & HostOutOfBand & {hostid?: string; password?: string}

/** `oobm configure --json`: the host's OOBM as configured, or under --dry-run the parameters that would be sent (password `***`). */
export type OobmConfigureResult = ConfiguredOutOfBand | (Params & {dryrun: true})

/**
 * configureOutOfBandManagement for one host. The flavor (and so whether Mold's console
 * parameters are sent) is known once the host has been looked up.
 */
export async function configureOutOfBand(
  client: MoldClient,
  hostRef: string,
  opts: ConfigureOptions,
  ui: Ui,
): Promise<OobmConfigureResult> {
  const host = await resolveEntity(client, 'host', hostRef)
  const flavor = client.flavor ?? 'mold'
  const {notes, params} = buildConfigureRequest({...opts, flavor, hostid: host.id})
  for (const note of notes) ui.noteAlways(note)
  if (opts.dryRun) {
    const shown = Object.entries({...params, password: '***'}).map(([k, v]) => `${k}=${v}`)
    ui.noteAlways(`dry run: configureOutOfBandManagement ${shown.join(' ')} (not sent)`)
    return {dryrun: true, ...params, password: '***'}
  }

  const answer = await client.request('configureOutOfBandManagement', params)
  const oobm = {...((answer.outofbandmanagement ?? answer) as ConfiguredOutOfBand)}
  // The server masks all but the first character; show none of it.
  if (oobm.password) oobm.password = '****'
  if (!oobm.enabled) ui.noteAlways(`Next: moldctl oobm enable --host ${host.name}`)
  return oobm
}

/** A new BMC password (from stdin) as changeOutOfBandManagementPassword accepts it. */
export function checkNewBmcPassword(password: string): string {
  if (!password) throw new UsageError('the new BMC password read from stdin is empty')
  if (password.length > OOBM_PASSWORD_MAX_LENGTH) {
    throw new UsageError(
      `the new BMC password is ${password.length} characters; the API allows at most ${OOBM_PASSWORD_MAX_LENGTH}`,
    )
  }

  return password
}

/** What `oobm password change --json` prints: the host's out-of-band management after the change (API field names), or status false when the operator declined. */
export type BmcPasswordChange =
  | (Record<string, unknown> & {name: string})
  | {calls: Array<{command: string; params: Record<string, string>}>; dryrun: true}
  | {hostid: string; status: false}

export interface BmcPasswordOptions {
  /** Print the call (the password redacted) and make none. */
  dryRun?: boolean
  /** The new password (checked with checkNewBmcPassword); without it the server picks a random one. */
  password?: string
}

/** Changes a host's BMC password through changeOutOfBandManagementPassword, after asking. */
export async function changeBmcPassword(
  client: MoldClient,
  hostRef: string,
  opts: BmcPasswordOptions,
  ui: Ui,
): Promise<{changed: boolean; result: BmcPasswordChange}> {
  const host = await resolveEntity(client, 'host', hostRef)
  const what = opts.password ? 'the given password' : 'a random password the server does not reveal'
  const driver = (host.outofbandmanagement as undefined | {driver?: string})?.driver
  if (driver === 'redfish') {
    ui.note(
      `Note: ${host.name} uses the redfish driver: only the password Mold keeps for its BMC changes; the BMC's own password stays as it is (change it on the BMC to match).`,
    )
  }

  if (opts.dryRun) {
    ui.log(
      `would call: changeOutOfBandManagementPassword hostid=${host.id}${opts.password ? ' password=<redacted>' : ''}`,
    )
    return {
      changed: false,
      result: {
        calls: [{command: 'changeOutOfBandManagementPassword', params: {hostid: host.id}}],
        dryrun: true,
      },
    }
  }

  if (!(await ui.confirm(`Change the BMC password of ${host.name} to ${what}?`))) {
    ui.note('Nothing changed.')
    return {changed: false, result: {hostid: host.id, status: false}}
  }

  const answer = await client.call(
    'changeOutOfBandManagementPassword',
    {hostid: host.id, password: opts.password},
    {signal: ui.signal},
  )
  return {
    changed: true,
    result: {name: host.name, ...((answer.outofbandmanagement ?? answer) as Record<string, unknown>)},
  }
}
