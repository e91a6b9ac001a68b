import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {readFixture} from '../../helpers/fixtures.js'
import {useSim} from '../../helpers/sim.js'

type Json = Record<string, unknown>

function jsonType(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value
}

/** Every field of the recorded object exists in ours with the same JSON type. */
function assertSameShape(ours: Json, recorded: Json, what: string, skip: string[] = []): void {
  for (const [field, value] of Object.entries(recorded)) {
    if (skip.includes(field)) continue
    assert.ok(field in ours, `${what}: missing field ${field}`)
    assert.equal(jsonType(ours[field]), jsonType(value), `${what}: type of ${field}`)
  }
}

describe('responses have the fields and types of recorded real responses', () => {
  const sim = useSim()

  it('listHosts', async () => {
    const recorded = readFixture<Json>('recorded/HostService.json').listHosts as {
      listhostsresponse: {host: Json[]}
    }
    const res = await sim.call('listHosts', {hypervisor: 'XenServer'})
    const host = res.body.listhostsresponse.host[0]
    assertSameShape(host, recorded.listhostsresponse.host[0], 'host')
    assert.deepEqual(Object.keys(host.hostha).sort(), ['haenable', 'hastate'])
    assert.deepEqual(host.outofbandmanagement, {enabled: false, powerstate: 'Disabled'})
  })

  it('listHosts KVM hosts: OOBM with masked password and host details', async () => {
    const res = await sim.call('listHosts', {hypervisor: 'KVM'})
    const host = res.body.listhostsresponse.host[0]
    assert.equal(host.outofbandmanagement.password, 'i****')
    assert.equal(host.outofbandmanagement.powerstate, 'On')
    assert.equal(typeof host.details['Host.OS'], 'string')
    const min = await sim.call('listHosts', {details: 'min', hypervisor: 'KVM'})
    assert.equal(min.body.listhostsresponse.host[0].cpuallocated, undefined)
    assert.equal(min.body.listhostsresponse.host[0].details, undefined)
  })

  it('listClusters', async () => {
    const recorded = readFixture<Json>('recorded/ClusterService.json').listClusters as {
      listclustersresponse: {cluster: Json[]}
    }
    const res = await sim.call('listClusters')
    const cluster = res.body.listclustersresponse.cluster[0]
    assertSameShape(cluster, recorded.listclustersresponse.cluster[0], 'cluster')
    assert.equal(cluster.cpuovercommitratio, cluster.resourcedetails.cpuOvercommitRatio)
  })

  it('listConfigurations and listCapabilities', async () => {
    const recorded = readFixture<Json>('recorded/ConfigurationService.json') as {
      listCapabilities: {listcapabilitiesresponse: {capability: Json}}
      listConfigurations: {listconfigurationsresponse: {configuration: Json[]}}
    }
    const configs = await sim.call('listConfigurations', {name: 'allow.user.create.projects'})
    assert.deepEqual(
      Object.fromEntries(
        Object.keys(recorded.listConfigurations.listconfigurationsresponse.configuration[0]).map((k) => [
          k,
          configs.body.listconfigurationsresponse.configuration[0][k],
        ]),
      ),
      recorded.listConfigurations.listconfigurationsresponse.configuration[0],
    )
    const caps = await sim.call('listCapabilities')
    assertSameShape(
      caps.body.listcapabilitiesresponse.capability,
      recorded.listCapabilities.listcapabilitiesresponse.capability,
      'capability',
    )
    assert.equal(caps.body.listcapabilitiesresponse.capability.cloudstackversion, '4.22.0.0')
  })

  it('scopes listConfigurations to a cluster', async () => {
    const cluster = sim.model.state.clusters[0]
    cluster.details.cpuOvercommitRatio = '3.0'
    const res = await sim.call('listConfigurations', {
      clusterid: cluster.id,
      name: 'cpu.overprovisioning.factor',
    })
    const [config] = res.body.listconfigurationsresponse.configuration
    assert.equal(config.value, '3.0')
    assert.equal(config.scope, 'cluster')
    const zoneScoped = await sim.call('listConfigurations', {zoneid: sim.model.state.zones[0].id})
    const names = new Set(zoneScoped.body.listconfigurationsresponse.configuration.map((c: Json) => c.name))
    assert.ok(names.has('ca.framework.cert.systemvm.allow.host.ip'))
    assert.ok(!names.has('cpu.overprovisioning.factor'))
    cluster.details.cpuOvercommitRatio = '1.0'
  })

  it('listVirtualMachines', async () => {
    // The recorded file keeps this one under a non-standard key.
    const recorded = (
      readFixture<Json>('recorded/VirtualMachineService.json').listVirtualMachines as {
        listVirtualMachines: {virtualmachine: Json[]}
      }
    ).listVirtualMachines
    const res = await sim.call('listVirtualMachines', {listall: 'true'})
    const vm = res.body.listvirtualmachinesresponse.virtualmachine[0]
    const fields = [
      'account',
      'cpunumber',
      'cpuspeed',
      'created',
      'displayname',
      'domain',
      'domainid',
      'haenable',
      'hostid',
      'hostname',
      'hypervisor',
      'id',
      'instancename',
      'memory',
      'name',
      'state',
      'zoneid',
      'zonename',
    ]
    assertSameShape(
      vm,
      Object.fromEntries(fields.map((f) => [f, recorded.virtualmachine[0][f]])),
      'virtualmachine',
    )
    assert.equal(res.body.listvirtualmachinesresponse.count, 20)
    const own = await sim.call('listVirtualMachines')
    assert.ok(own.body.listvirtualmachinesresponse.count < 20, 'without listall only the caller’s VMs')
    const onHost = await sim.call('listVirtualMachines', {hostid: vm.hostid, listall: 'true'})
    assert.ok(
      onHost.body.listvirtualmachinesresponse.virtualmachine.every((v: Json) => v.hostid === vm.hostid),
    )
  })

  it('listAsyncJobs items', async () => {
    const recorded = readFixture<Json>('recorded/AsyncJobService.json').listAsyncJobs as {
      listasyncjobsresponse: {asyncjobs: Json[]}
    }
    const empty = await sim.call('listAsyncJobs')
    assert.deepEqual(empty.body, {listasyncjobsresponse: {}})
    sim.model.state.jobs.push({
      accountId: sim.model.rootAdmin().accountId,
      cmd: 'org.apache.cloudstack.api.command.admin.host.PrepareForMaintenanceCmd',
      command: 'prepareHostForMaintenance',
      created: '2021-09-29T17:50:11+0000',
      jobid: '6679e6b9-4bf2-4d83-b9f0-235fc1609227',
      resultCode: 0,
      status: 0,
      userId: sim.model.rootAdmin().id,
    })
    const res = await sim.call('listAsyncJobs')
    assertSameShape(
      res.body.listasyncjobsresponse.asyncjobs[0],
      recorded.listasyncjobsresponse.asyncjobs[0],
      'asyncjob',
    )
  })
})
