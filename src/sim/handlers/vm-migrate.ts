import type {Host, SimModel, Vm} from '../state/model.js'

import {findMigrationTarget, hostCanTake, migrationSeconds} from '../behaviour/maintenance.js'
import {defineApi, SimApiError} from '../catalog/registry.js'
import {vmResponse} from './vms.js'

/*
 * migrateVirtualMachine (MigrateVMCmd) for running user VMs: live migration to the host asked
 * for, or with autoselect (the default) to one the allocator picks in the VM's cluster. Checks
 * and texts follow upstream's MigrateVMCmd.execute and the live-migration service
 * (VmLiveMigrationOrchestrationServiceImpl.migrateVirtualMachine / checkVmMigrationDestination,
 * formerly in UserVmManagerImpl); the migration takes simulated time like a drain's.
 * `storageid` (volume migration) is not simulated and not offered in listApis.
 */

function vmDescription(vm: Vm): string {
  return `VM instance {"id":${vm.internalId},"instanceName":"${vm.instanceName}","type":"User","uuid":"${vm.id}"}`
}

/** The synchronous checks upstream makes before the job migrates anything. */
function checkMigration(model: SimModel, vm: Vm, destination: Host | undefined, autoSelect: boolean): Host {
  if (!destination && !autoSelect) {
    throw SimApiError.invalidParameter(
      "Please specify a host or storage as destination, or pass 'autoselect=true' to automatically select a destination host which do not require storage migration",
    )
  }

  if (destination && destination.type !== 'Routing') {
    throw SimApiError.invalidParameter(
      `The specified host(${destination.name}) is not suitable to migrate the VM, please specify another one`,
    )
  }

  if (vm.state !== 'Running')
    throw SimApiError.invalidParameter('VM is not Running, unable to migrate the vm with specified id')
  const source = vm.hostId ? model.hosts.get(vm.hostId) : undefined
  if (!source)
    throw SimApiError.invalidParameter(`Cannot migrate VM, host with id: ${vm.hostId} for VM not found`)
  if (source.resourceState === 'PrepareForMaintenance') {
    throw SimApiError.invalidParameter(
      `Migrate VM operation on the VM: ${vmDescription(vm)} is not allowed as host is preparing for maintenance mode`,
    )
  }

  if (!destination) {
    const target = findMigrationTarget(model, vm, source)
    if (!target) throw SimApiError.internal('Unable to find a server to migrate the vm to')
    return target
  }

  if (destination.id === source.id) {
    throw SimApiError.invalidParameter(
      'Cannot migrate VM, VM is already present on this host, please specify valid destination host to migrate the VM',
    )
  }

  if (destination.status !== 'Up' || destination.resourceState !== 'Enabled') {
    throw SimApiError.invalidParameter(
      `Cannot migrate VM, destination host is not in correct state, has status: ${destination.status}, state: ${destination.resourceState}`,
    )
  }

  return destination
}

const migrateVirtualMachineApi = defineApi({
  description:
    'Attempts Migration of a VM to a different host or Root volume of the vm to a different storage pool',
  handler({clock, jobs, model, params}) {
    const vm = model.vms.get(params.virtualmachineid)!
    const destination = params.hostid ? model.hosts.get(params.hostid) : undefined
    const target = checkMigration(model, vm, destination, params.autoselect !== false)
    return jobs.submit({
      instanceId: vm.id,
      instanceType: 'VirtualMachine',
      async run() {
        // The simulator's own rule (the real server leaves this to the hypervisor): a VM moves
        // only where it fits under the cluster's overprovisioning factors.
        if (!hostCanTake(model, target, vm)) {
          throw SimApiError.internal(
            `Unable to migrate ${vmDescription(vm)} to host ${target.name}: not enough free CPU or memory`,
          )
        }

        const source = vm.hostId
        vm.state = 'Migrating'
        await clock.sleep(migrationSeconds(vm) * 1000)
        if (model.vms.get(vm.id) === vm && vm.state === 'Migrating') {
          vm.lastHostId = source
          vm.hostId = target.id
          vm.state = 'Running'
        }

        return {virtualmachine: vmResponse(model, vm)}
      },
    })
  },
  isasync: true,
  javaClass: 'org.apache.cloudstack.api.command.admin.vm.MigrateVMCmd',
  name: 'migrateVirtualMachine',
  params: [
    {
      description:
        'Automatically select a destination host which do not require storage migration, if hostId and storageId are not specified. false by default',
      name: 'autoselect',
      since: '4.16.0',
      type: 'boolean',
    },
    {description: 'Destination Host ID to migrate VM to.', entity: 'host', name: 'hostid', type: 'uuid'},
    {
      description: 'the ID of the virtual machine',
      entity: 'vm',
      name: 'virtualmachineid',
      required: true,
      type: 'uuid',
    },
  ],
})

/** The VM migration command. */
export const vmMigrateApis = [migrateVirtualMachineApi]
