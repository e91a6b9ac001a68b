/**
 * The admin guide's reminders that no API call can do for the operator ("Working with hosts":
 * vCenter and maintenance mode; removing XenServer and KVM hosts; removing vSphere hosts).
 */

function isVmware(hypervisor: string): boolean {
  return hypervisor.toLowerCase() === 'vmware'
}

function isKvm(hypervisor: string): boolean {
  return hypervisor.toLowerCase() === 'kvm'
}

/** Printed when a VMware host enters Mold's maintenance. */
export function enterMaintenanceReminder(hypervisor: string, hostName: string): string[] {
  if (!isVmware(hypervisor)) return []
  return [
    `${hostName} is a VMware host. Mold's maintenance mode does not put it in vCenter's maintenance mode.`,
    `The guide's order: wait until Mold shows it ready for maintenance (resource state Maintenance),`,
    `then use vCenter to enter vCenter's maintenance mode and do the work. When done, first exit`,
    `vCenter's maintenance mode, then cancel Mold's: moldctl host maintenance cancel ${hostName}`,
  ]
}

/** Printed before Mold's maintenance of a VMware host is cancelled. */
export function cancelMaintenanceReminder(hypervisor: string, hostName: string): string[] {
  if (!isVmware(hypervisor)) return []
  return [
    `${hostName} is a VMware host. The guide's order: exit vCenter's maintenance mode first, then cancel`,
    `Mold's. Afterwards the VMs that moved away can be migrated back manually.`,
  ]
}

/** Printed when a host is removed, per hypervisor. */
export function removeHostReminder(hypervisor: string, hostName: string): string[] {
  if (isKvm(hypervisor))
    return [
      `${hostName} is a KVM host: as the guide says, stop the agent on it before removing it`,
      `(systemctl stop cloudstack-agent); afterwards the host can be powered off, its IP reused, and reinstalled.`,
    ]
  if (isVmware(hypervisor))
    return [
      `${hostName} is a vSphere host: Mold sends no command to a removed host, and it stays in its vCenter cluster`,
      `until removed there.`,
    ]
  return []
}

/**
 * Printed when a host whose agent is not connected is put into maintenance: its VMs may not
 * migrate, and the guide's way out for a host that cannot enter maintenance is to remove it
 * before reinstalling it ("Re-installing hosts").
 */
export function unreachableHostReminder(hostName: string, status: string | undefined): string[] {
  if (!['Alert', 'Disconnected', 'Down'].includes(status ?? '')) return []
  return [
    `${hostName} is ${status}: the management server cannot reach its agent, so its VMs may not migrate and it may never reach Maintenance.`,
    `If it cannot enter maintenance, the guide removes it before reinstalling: moldctl host remove ${hostName} --force`,
    `(deleteHost forced=true: HA-enabled VMs restart elsewhere, the others stop), reinstall it, then add it again with moldctl host add.`,
  ]
}
