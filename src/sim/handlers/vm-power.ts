import type {Host, SimModel, Vm} from '../state/model.js'

import {hostIdParam, idParam} from '../catalog/params.js'
import {defineApi, type RegisteredApi, SimApiError} from '../catalog/registry.js'
import {vmResponse} from './vms.js'

/*
 * stopVirtualMachine and startVirtualMachine: enough VM lifecycle to show that a VM keeps the
 * overprovisioning factors it was started with until it is stopped and started again (a start
 * records the cluster's factors in force at that moment, as user_vm_details does).
 */

/** Simulated seconds a stop and a start take. */
const STOP_MS = 5000
const START_MS = 15_000

function vmOrFail(model: SimModel, id: string): Vm {
  const vm = model.vms.get(id)
  if (!vm) throw SimApiError.invalidParameter(`unable to find a virtual machine with specified vmId ${id}`)
  return vm
}

/** Whether the VM fits on the host under its cluster's current factors. */
function fits(model: SimModel, host: Host, vm: Vm): boolean {
  const capacity = model.hostCapacity(host)
  return (
    capacity.cpuAllocated + vm.cpuNumber * vm.cpuSpeed <= capacity.cpuWithOverprovisioning &&
    capacity.memoryAllocated + vm.memory * 1024 * 1024 <= capacity.memoryWithOverprovisioning
  )
}

function usable(model: SimModel, host: Host): boolean {
  const cluster = model.clusters.get(host.clusterId)
  return host.status === 'Up' && host.resourceState === 'Enabled' && cluster?.allocationState === 'Enabled'
}

/** The host to start on: the one asked for, else the last host, else any usable host of the zone. */
function chooseHost(model: SimModel, vm: Vm, hostId?: string): Host | undefined {
  if (hostId) {
    const host = model.hosts.get(hostId)!
    return usable(model, host) && fits(model, host, vm) ? host : undefined
  }

  const last = vm.lastHostId ? model.hosts.get(vm.lastHostId) : undefined
  if (last && usable(model, last) && fits(model, last, vm)) return last
  return model.state.hosts.find(
    (host) =>
      host.zoneId === vm.zoneId &&
      host.hypervisor === vm.hypervisor &&
      usable(model, host) &&
      fits(model, host, vm),
  )
}

export const stopVirtualMachineApi = defineApi({
  description: 'Stops a virtual machine.',
  handler({clock, jobs, model, params}) {
    return jobs.submitFor('VirtualMachine', vmOrFail(model, params.id), async (vm) => {
      if (vm.state === 'Running') {
        // forced: VirtualMachineManagerImpl.advanceStop(vm, cleanUpEvenIfUnableToStop) marks the VM
        // Stopped without waiting for the agent's answer (apache/cloudstack
        // engine/orchestration/src/main/java/com/cloud/vm/VirtualMachineManagerImpl.java).
        if (params.forced !== true) {
          vm.state = 'Stopping'
          await clock.sleep(STOP_MS)
        }

        vm.lastHostId = vm.hostId ?? vm.lastHostId
        vm.hostId = undefined
        vm.state = 'Stopped'
      } else if (vm.state !== 'Stopped') {
        throw SimApiError.internal(`Unable to stop VM ${vm.instanceName} in state ${vm.state}`)
      }

      return {virtualmachine: vmResponse(model, vm)}
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.admin.vm.StopVMCmdByAdmin',
  name: 'stopVirtualMachine',
  params: [
    {
      description:
        'Force stop the VM (vm is marked as Stopped even when command fails to be send to the backend, otherwise a force poweroff is attempted). To be used if the caller knows the VM is stopped and should be marked as such.',
      name: 'forced',
      type: 'boolean',
    },
    idParam('vm', 'The ID of the virtual machine', {required: true}),
  ],
})

export const startVirtualMachineApi = defineApi({
  description: 'Starts a virtual machine.',
  handler({clock, jobs, model, params}) {
    return jobs.submitFor('VirtualMachine', vmOrFail(model, params.id), async (vm) => {
      if (vm.state === 'Running') return {virtualmachine: vmResponse(model, vm)}
      if (vm.state !== 'Stopped') {
        throw SimApiError.internal(`Unable to start VM ${vm.instanceName} in state ${vm.state}`)
      }

      const host = chooseHost(model, vm, params.hostid)
      if (!host) {
        throw new SimApiError(533, `Unable to create a deployment for VM[User|${vm.instanceName}]`, 4335)
      }

      const cluster = model.clusters.get(host.clusterId)!
      vm.state = 'Starting'
      vm.hostId = host.id
      // The factors in force now are the ones this VM keeps until its next stop and start.
      vm.cpuOvercommitRatio = model.clusterFactor(cluster, 'cpu')
      vm.memoryOvercommitRatio = model.clusterFactor(cluster, 'memory')
      await clock.sleep(START_MS)
      vm.state = 'Running'
      vm.lastHostId = host.id
      return {virtualmachine: vmResponse(model, vm)}
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.admin.vm.StartVMCmdByAdmin',
  name: 'startVirtualMachine',
  params: [
    hostIdParam('destination Host ID to deploy the VM to - parameter available for root admin only', {
      since: '3.0.1',
    }),
    idParam('vm', 'The ID of the virtual machine', {required: true}),
  ],
})

export const vmPowerApis: RegisteredApi[] = [stopVirtualMachineApi, startVirtualMachineApi]
