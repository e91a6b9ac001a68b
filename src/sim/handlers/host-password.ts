import type {Host, SimModel} from '../state/model.js'

import {clusterIdParam, hostIdParam} from '../catalog/params.js'
import {defineApi, type RegisteredApi, responseFields, SimApiError} from '../catalog/registry.js'

/*
 * updateHostPassword, as UpdateHostPasswordCmd and the management server's host-credentials
 * service handle it: with a cluster id every host of the cluster, else the one host; KVM and
 * XenServer only; XenServer hosts only per cluster; the username given (whitespace removed)
 * must be the one stored for every host, checked for all hosts before any is changed.
 * `update_passwd_on_host` also changes the password on the hypervisor; the server ignores the
 * agent's answer, so does the simulator.
 */

const SUPPORTED_HYPERVISORS = new Set(['KVM', 'XenServer'])

/**
 * The passwords set, per model, for this process only: the real server keeps them encrypted in
 * host_details and never returns them, so they stay out of responses and state files.
 */
const storedPasswords = new WeakMap<SimModel, Map<string, {onHost: boolean; password: string}>>()

export function simulatedHostPassword(
  model: SimModel,
  hostId: string,
): undefined | {onHost: boolean; password: string} {
  return storedPasswords.get(model)?.get(hostId)
}

function storePasswords(
  model: SimModel,
  hosts: Host[],
  update: {onHost: boolean; password: string; username: string},
): void {
  let passwords = storedPasswords.get(model)
  if (!passwords) {
    passwords = new Map()
    storedPasswords.set(model, passwords)
  }

  for (const host of hosts) {
    if (!host.agentUsername) host.agentUsername = update.username
    passwords.set(host.id, {onHost: update.onHost, password: update.password})
  }
}

export const updateHostPasswordApi = defineApi({
  description: 'Update password of a host/pool on management server.',
  handler({model, params}) {
    const username = params.username.replaceAll(/\s/g, '')
    let hosts: Host[]
    if (params.clusterid === undefined) {
      if (params.hostid === undefined) throw SimApiError.invalidParameter('You should provide an host id.')
      const host = model.hosts.get(params.hostid)!
      if (host.hypervisor === 'XenServer') {
        throw SimApiError.invalidParameter(
          'Single host update is not supported by XenServer hypervisors. Please try again informing the Cluster ID.',
        )
      }

      if (!SUPPORTED_HYPERVISORS.has(host.hypervisor)) {
        throw SimApiError.invalidParameter('This operation is not supported for this hypervisor type')
      }

      if (username === '') throw SimApiError.invalidParameter('Username should be non empty string')
      if (host.agentUsername && host.agentUsername !== username) {
        throw SimApiError.invalidParameter('The username is not same for the hosts..')
      }

      hosts = [host]
    } else {
      const cluster = model.clusters.get(params.clusterid)!
      if (!SUPPORTED_HYPERVISORS.has(cluster.hypervisor)) {
        throw SimApiError.invalidParameter('This operation is not supported for this hypervisor type')
      }

      hosts = model.hostsInCluster(cluster.id)
      if (username === '') throw SimApiError.invalidParameter('Username should be non empty string')
      if (hosts.some((host) => host.agentUsername && host.agentUsername !== username)) {
        throw SimApiError.invalidParameter(
          'The username is not same for all hosts, please modify passwords for individual hosts.',
        )
      }
    }

    storePasswords(model, hosts, {
      onHost: params.update_passwd_on_host === true,
      password: params.password,
      username,
    })
    return {success: true}
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.host.UpdateHostPasswordCmd',
  name: 'updateHostPassword',
  params: [
    clusterIdParam('The cluster ID'),
    hostIdParam('The host ID'),
    {description: 'The new password for the host/cluster', name: 'password', required: true, type: 'string'},
    {
      description: 'If the password should also be updated on the hosts',
      name: 'update_passwd_on_host',
      type: 'boolean',
    },
    {description: 'The username for the host/cluster', name: 'username', required: true, type: 'string'},
  ],
  response: responseFields(
    'updatehostpassword',
    'displaytext:string success:boolean',
    {},
    {
      displaytext: 'any text associated with the success or failure',
      success: 'true if operation is executed successfully',
    },
  ),
})

export const hostPasswordApis: RegisteredApi[] = [updateHostPasswordApi]
