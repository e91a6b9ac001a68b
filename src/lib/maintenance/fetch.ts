/** Reads a host and the VMs on it, as the maintenance commands need them. */
import type {MoldClient} from '../api/client.js'
import type {Host, Vm} from '../api/models.js'

import {fetchHosts, fetchVms} from '../api/fetch.js'
import {MoldctlError} from '../core/errors.js'

const VM_STATES_ON_HOST = new Set(['Error', 'Migrating', 'Running', 'Starting', 'Stopping', 'Unknown'])

export async function readHost(client: MoldClient, id: string): Promise<Host> {
  const [host] = await fetchHosts(client, {id})
  if (!host) throw new MoldctlError(`host ${id} is gone`)
  return host
}

/** The VMs placed on the host (running, migrating away, or stuck in a transitional state). */
export async function listVmsOnHost(client: MoldClient, hostId: string): Promise<Vm[]> {
  const vms = await fetchVms(client, {hostid: hostId, listall: true})
  return vms
    .filter((vm) => vm.hostid === undefined || vm.hostid === hostId)
    .filter((vm) => VM_STATES_ON_HOST.has(vm.state))
}
