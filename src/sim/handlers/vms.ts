import {
  accountParam,
  clusterIdParam,
  domainIdParam,
  hostIdParam,
  hypervisorParam,
  idParam,
  LIST_ALL_PROJECT_TEXT,
  listAllParam,
  nameParam,
  PAGING_PARAMS,
  podIdParam,
  projectIdParam,
  stateParam,
  zoneIdParam,
} from '../catalog/params.js'
import {defineApi, type RegisteredApi, responseFields} from '../catalog/registry.js'
import {listBody} from '../http/envelope.js'
import {type SimModel, type Vm, vmStartFactorsRecorded} from '../state/model.js'

/* listVirtualMachines (admin view) and the virtualmachine response object. */

export function vmResponse(model: SimModel, vm: Vm): Record<string, unknown> {
  const account = model.accounts.get(vm.accountId)
  const domain = model.domains.get(vm.domainId)
  const host = vm.hostId ? model.hosts.get(vm.hostId) : undefined
  const zone = model.zones.get(vm.zoneId)
  return {
    id: vm.id,
    name: vm.name,
    displayname: vm.displayName,
    account: account?.name,
    domainid: vm.domainId,
    domain: domain?.name,
    created: vm.created,
    state: vm.state,
    haenable: vm.haEnable,
    zoneid: vm.zoneId,
    zonename: zone?.name,
    hostid: host?.id,
    hostname: host?.name,
    hypervisor: vm.hypervisor,
    instancename: vm.instanceName,
    templatename: vm.templateName,
    templatedisplaytext: vm.templateName,
    serviceofferingname: vm.serviceOfferingName,
    cpunumber: vm.cpuNumber,
    cpuspeed: vm.cpuSpeed,
    memory: vm.memory,
    cpuused: vm.state === 'Running' ? '10%' : undefined,
    details: vmStartFactorsRecorded(vm)
      ? {cpuOvercommitRatio: vm.cpuOvercommitRatio, memoryOvercommitRatio: vm.memoryOvercommitRatio}
      : undefined,
    isdynamicallyscalable: false,
    passwordenabled: false,
    rootdevicetype: 'ROOT',
    rootdeviceid: 0,
    displayvm: true,
    nic: [],
    securitygroup: [],
    affinitygroup: [],
    tags: [],
    hasannotations: false,
  }
}

export const listVirtualMachinesApi = defineApi({
  description: 'List the virtual machines owned by the account.',
  handler({caller, model, paging, params}) {
    const hostCluster = new Map(model.state.hosts.map((h) => [h.id, h.clusterId]))
    const hostPod = new Map(model.state.hosts.map((h) => [h.id, h.podId]))
    const accountFilter = params.account
      ? (model.state.accounts.find(
          (a) =>
            a.name === params.account && (params.domainid === undefined || a.domainId === params.domainid),
        )?.id ?? '-')
      : undefined
    // Without listall an admin sees only its own account's VMs (unless asking for ids).
    const ownOnly =
      !params.listall && !params.account && !params.domainid && !params.projectid && !params.id && !params.ids
    const ids = params.ids ? new Set(params.ids) : undefined
    const state = params.state?.toLowerCase()
    const keyword = params.keyword?.toLowerCase()
    const vmsChecks = [
      (vm: Vm) => !ownOnly || vm.accountId === caller.account.id,
      (vm: Vm) => accountFilter === undefined || vm.accountId === accountFilter,
      (vm: Vm) => params.domainid === undefined || vm.domainId === params.domainid,
      (vm: Vm) => params.id === undefined || vm.id === params.id,
      (vm: Vm) => ids === undefined || ids.has(vm.id),
      (vm: Vm) => params.hostid === undefined || vm.hostId === params.hostid,
      (vm: Vm) =>
        params.clusterid === undefined || (vm.hostId && hostCluster.get(vm.hostId) === params.clusterid),
      (vm: Vm) => params.podid === undefined || (vm.hostId && hostPod.get(vm.hostId) === params.podid),
      (vm: Vm) => params.zoneid === undefined || vm.zoneId === params.zoneid,
      (vm: Vm) =>
        params.hypervisor === undefined || vm.hypervisor.toLowerCase() === params.hypervisor.toLowerCase(),
      (vm: Vm) => params.haenable === undefined || vm.haEnable === params.haenable,
      (vm: Vm) => params.name === undefined || vm.name.toLowerCase().includes(params.name.toLowerCase()),
      (vm: Vm) =>
        state === undefined ||
        (state === 'present'
          ? vm.state !== 'Destroyed' && vm.state !== 'Expunging'
          : vm.state.toLowerCase() === state),
      (vm: Vm) =>
        keyword === undefined ||
        vm.name.toLowerCase().includes(keyword) ||
        vm.displayName.toLowerCase().includes(keyword) ||
        vm.state.toLowerCase().includes(keyword),
    ]
    const vms = model.state.vms.filter((vm) => vmsChecks.every((check) => check(vm)))
    return listBody('virtualmachine', vms, paging, (vm) => vmResponse(model, vm))
  },
  isasync: false,
  javaClass: 'org.apache.cloudstack.api.command.admin.vm.ListVMsCmdByAdmin',
  name: 'listVirtualMachines',
  params: [
    accountParam('list resources by account. Must be used with the domainId parameter.'),
    clusterIdParam('the cluster ID', {since: '4.16.0'}),
    domainIdParam('list only resources belonging to the domain specified'),
    {
      description:
        'list by the High Availability offering; true if filtering VMs with HA enabled; false for VMs with HA disabled',
      name: 'haenable',
      since: '4.15',
      type: 'boolean',
    },
    hostIdParam('the host ID'),
    hypervisorParam('the target hypervisor for the template'),
    idParam('vm', 'the ID of the virtual machine'),
    {
      collectionType: 'uuid',
      description: 'the IDs of the virtual machines, mutually exclusive with id',
      entity: 'vm',
      name: 'ids',
      since: '4.4',
      type: 'list',
    },
    listAllParam(LIST_ALL_PROJECT_TEXT),
    nameParam(
      'name of the virtual machine (a substring match is made against the parameter value, data for all matching VMs will be returned)',
    ),
    podIdParam('the pod ID'),
    projectIdParam('list objects by project; if projectid=-1 lists All VMs'),
    stateParam(
      'state of the virtual machine. Possible values are: Running, Stopped, Present, Destroyed, Expunged. Present is used for the state equal not destroyed.',
    ),
    zoneIdParam('the availability zone ID'),
    ...PAGING_PARAMS,
  ],
  response: responseFields(
    'virtual machine',
    'account:string affinitygroup:set cpunumber:integer cpuspeed:integer cpuused:string created:date details:map displayname:string displayvm:boolean domain:string domainid:string haenable:boolean hasannotations:boolean hostid:string hostname:string hypervisor:string id:string instancename:string isdynamicallyscalable:boolean memory:integer name:string nic:set passwordenabled:boolean rootdeviceid:long rootdevicetype:string securitygroup:set serviceofferingname:string state:string tags:set templatedisplaytext:string templatename:string zoneid:string zonename:string',
  ),
})

export const vmApis: RegisteredApi[] = [listVirtualMachinesApi]
