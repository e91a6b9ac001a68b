import assert from 'node:assert/strict'
import {beforeEach, describe, it} from 'node:test'
import {setTimeout as delay} from 'node:timers/promises'

import {SETTING_DEFINITIONS} from '../../../src/sim/catalog/settings.js'
import {guideTopology} from '../../helpers/guide-topology.js'
import {startTestSim, type TestSim, useSim} from '../../helpers/sim.js'

const GiB = 1024 ** 3

/* updateConfiguration, resetConfiguration, listCapacity and VM start/stop in the simulator. */

async function ok(sim: TestSim, command: string, params: Record<string, string> = {}) {
  const res = await sim.call(command, params, {method: command.startsWith('list') ? 'GET' : 'POST'})
  assert.equal(res.status, 200, `${command}: ${res.text}`)
  return res.body[`${command.toLowerCase()}response`]
}

async function fails(sim: TestSim, command: string, params: Record<string, string>) {
  const res = await sim.call(command, params, {method: 'POST'})
  const body = res.body[`${command.toLowerCase()}response`]
  return {errorcode: body.errorcode, errortext: body.errortext as string, status: res.status}
}

async function runJob(sim: TestSim, command: string, params: Record<string, string>) {
  const {jobid} = await ok(sim, command, params)
  for (let i = 0; i < 400; i++) {
    const job = await ok(sim, 'queryAsyncJobResult', {jobid})
    if (job.jobstatus !== 0) return job
    await delay(5)
  }

  throw new Error(`${command} job did not finish`)
}

describe('simulated settings and capacity', () => {
  const sim = useSim({speed: 10_000, topology: guideTopology()})
  let kvm: {id: string}
  let xen: {id: string}
  let zone: {id: string}

  beforeEach(async () => {
    // Each test starts from the guide's state.
    const clusters = (await ok(sim, 'listClusters')).cluster
    kvm = clusters.find((c: {name: string}) => c.name === 'guide-kvm')
    xen = clusters.find((c: {name: string}) => c.name === 'guide-xen')
    zone = (await ok(sim, 'listZones')).zone[0]
    sim.model.clusters.get(kvm.id)!.details.memoryOvercommitRatio = '2.0'
    sim.model.clusters.get(kvm.id)!.details.cpuOvercommitRatio = '1.0'
    for (const vm of sim.model.state.vms) {
      if (vm.name.startsWith('vm-')) Object.assign(vm, {memoryOvercommitRatio: '2.0', state: 'Running'})
    }
  })

  describe('listCapacity', () => {
    it('gives the guide example: 2 GB × 2 = 4 GB, three 1 GB VMs use 3 GB', async () => {
      const {capacity} = await ok(sim, 'listCapacity', {clusterid: kvm.id, type: '0'})
      assert.deepEqual(capacity, [
        {
          capacitytotal: 4 * GiB,
          capacityused: 3 * GiB,
          clusterid: kvm.id,
          clustername: 'guide-kvm',
          name: 'MEMORY',
          percentused: '75',
          type: 0,
          zoneid: zone.id,
          zonename: 'guide-zone',
        },
      ])
    })

    it('lists zone rows by type with allocation, CPU cores and the VLAN capacity', async () => {
      const {capacity, count} = await ok(sim, 'listCapacity', {zoneid: zone.id})
      assert.deepEqual(
        capacity.map((c: {name: string}) => c.name),
        ['MEMORY', 'CPU', 'VLAN', 'CPU_CORE'],
      )
      assert.equal(count, 4)
      const memory = capacity[0]
      assert.equal(memory.capacitytotal, 4 * GiB + 16 * GiB)
      assert.equal(memory.capacityallocated, 3 * GiB + 4 * GiB)
      assert.equal(memory.podid, undefined)
      const vlan = capacity[2]
      assert.deepEqual([vlan.capacityused, vlan.capacitytotal, vlan.percentused], [1, 100, '1'])
    })

    it('refuses an unknown sortby and clusterid with sortby, with the server texts', async () => {
      assert.deepEqual(await fails(sim, 'listCapacity', {sortby: 'name'}), {
        errorcode: 431,
        errortext: 'Only value supported for sortBy parameter is : usage',
        status: 431,
      })
      assert.equal(
        (await fails(sim, 'listCapacity', {clusterid: kvm.id, sortby: 'usage'})).errortext,
        'Currently clusterId param is not supported',
      )
    })

    it('sorts by usage per cluster within a pod', async () => {
      const pod = (await ok(sim, 'listPods')).pod[0]
      const {capacity} = await ok(sim, 'listCapacity', {podid: pod.id, sortby: 'usage', type: '0'})
      assert.deepEqual(
        capacity.map((c: {clustername: string; percentused: string}) => [c.clustername, c.percentused]),
        [
          ['guide-kvm', '75'],
          ['guide-xen', '25'],
        ],
      )
    })

    it('leaves out disabled clusters', async () => {
      sim.model.clusters.get(xen.id)!.allocationState = 'Disabled'
      try {
        const {capacity} = await ok(sim, 'listCapacity', {clusterid: xen.id})
        assert.equal(capacity, undefined)
      } finally {
        sim.model.clusters.get(xen.id)!.allocationState = 'Enabled'
      }
    })
  })

  describe('updateConfiguration', () => {
    it('stores a cluster factor as cpuOvercommitRatio and listClusters, listHosts and listCapacity follow', async () => {
      const {configuration} = await ok(sim, 'updateConfiguration', {
        clusterid: kvm.id,
        name: 'cpu.overprovisioning.factor',
        value: '2',
      })
      assert.equal(configuration.value, '2')
      assert.equal(configuration.scope, 'cluster')
      assert.equal(configuration.type, 'Decimal')
      const cluster = (await ok(sim, 'listClusters', {id: kvm.id})).cluster[0]
      assert.equal(cluster.cpuovercommitratio, '2')
      assert.equal(cluster.resourcedetails.cpuOvercommitRatio, '2')
      const host = (await ok(sim, 'listHosts', {clusterid: kvm.id})).host[0]
      assert.equal(host.cpuwithoverprovisioning, '16000')
      const {capacity} = await ok(sim, 'listCapacity', {clusterid: kvm.id, type: '1'})
      assert.equal(capacity[0].capacitytotal, 16_000)
      const global = (await ok(sim, 'listConfigurations', {name: 'cpu.overprovisioning.factor'}))
        .configuration[0]
      assert.equal(global.value, '1.0')
    })

    const refusals: Array<[string, Record<string, string>, string]> = [
      ['0', {value: '0'}, 'mem.overprovisioning.factor should be greater than 0'],
      ['-1', {value: '-1'}, 'mem.overprovisioning.factor should be greater than 0'],
      [
        'abc',
        {value: 'abc'},
        'There was error in trying to parse value: abc. Please enter a valid float value for parameter mem.overprovisioning.factor',
      ],
      [
        'an empty value at cluster scope',
        {value: ''},
        'There was error in trying to parse value: . Please enter a valid float value for parameter mem.overprovisioning.factor',
      ],
    ]
    for (const [what, params, text] of refusals) {
      it(`refuses factor ${what} with the server's text and changes nothing`, async () => {
        const result = await fails(sim, 'updateConfiguration', {
          clusterid: kvm.id,
          name: 'mem.overprovisioning.factor',
          ...params,
        })
        assert.deepEqual(result, {errorcode: 431, errortext: text, status: 431})
        assert.equal(sim.model.clusters.get(kvm.id)!.details.memoryOvercommitRatio, '2.0')
      })
    }

    it('has no upper bound for XenServer factors (that limit is the guide’s, not the server’s)', async () => {
      await ok(sim, 'updateConfiguration', {
        clusterid: xen.id,
        name: 'mem.overprovisioning.factor',
        value: '5',
      })
      assert.equal(sim.model.clusters.get(xen.id)!.details.memoryOvercommitRatio, '5')
      sim.model.clusters.get(xen.id)!.details.memoryOvercommitRatio = '1.0'
    })

    it('refuses unknown names, wrong scopes and several scopes', async () => {
      assert.equal(
        (await fails(sim, 'updateConfiguration', {name: 'no.such.setting', value: '1'})).errortext,
        "Config parameter with name no.such.setting doesn't exist",
      )
      assert.equal(
        (
          await fails(sim, 'updateConfiguration', {
            clusterid: kvm.id,
            name: 'kvm.rolling.maintenance.ping.interval',
            value: '20',
          })
        ).errortext,
        'Invalid scope id provided for the parameter kvm.rolling.maintenance.ping.interval',
      )
      assert.equal(
        (
          await fails(sim, 'updateConfiguration', {
            clusterid: kvm.id,
            name: 'cpu.overprovisioning.factor',
            value: '2',
            zoneid: zone.id,
          })
        ).errortext,
        'cannot handle multiple IDs, provide only one ID corresponding to the scope',
      )
    })

    it('wants booleans exactly true or false and integers that parse', async () => {
      assert.equal(
        (await fails(sim, 'updateConfiguration', {name: 'redfish.ignore.ssl', value: 'TRUE'})).errortext,
        "Please enter either 'true' or 'false'.",
      )
      assert.equal(
        (
          await fails(sim, 'updateConfiguration', {
            name: 'kvm.rolling.maintenance.ping.interval',
            value: '1.5',
          })
        ).errortext,
        'There was error in trying to parse value: 1.5. Please enter a valid integer value for parameter kvm.rolling.maintenance.ping.interval',
      )
      const {configuration} = await ok(sim, 'updateConfiguration', {
        name: 'redfish.ignore.ssl',
        value: 'true',
      })
      assert.equal(configuration.value, 'true')
      assert.equal(configuration.scope, undefined)
      await ok(sim, 'resetConfiguration', {name: 'redfish.ignore.ssl'})
    })

    it('keeps a zone value apart from the global one', async () => {
      await ok(sim, 'updateConfiguration', {
        name: 'ca.framework.cert.systemvm.allow.host.ip',
        value: 'true',
        zoneid: zone.id,
      })
      const zoned = (
        await ok(sim, 'listConfigurations', {
          name: 'ca.framework.cert.systemvm.allow.host.ip',
          zoneid: zone.id,
        })
      ).configuration[0]
      assert.deepEqual([zoned.value, zoned.scope], ['true', 'zone'])
      const {configuration} = await ok(sim, 'resetConfiguration', {
        name: 'ca.framework.cert.systemvm.allow.host.ip',
        zoneid: zone.id,
      })
      assert.deepEqual([configuration.value, configuration.scope], ['false', 'zone'])
    })

    it('returns the setting unchanged when no value is given', async () => {
      const {configuration} = await ok(sim, 'updateConfiguration', {name: 'cpu.overprovisioning.factor'})
      assert.equal(configuration.name, 'cpu.overprovisioning.factor')
      assert.equal(configuration.value, undefined)
    })
  })

  describe('resetConfiguration', () => {
    it('re-persists a cluster factor with the global value instead of removing it', async () => {
      await ok(sim, 'updateConfiguration', {name: 'mem.overprovisioning.factor', value: '1.5'})
      const {configuration} = await ok(sim, 'resetConfiguration', {
        clusterid: kvm.id,
        name: 'mem.overprovisioning.factor',
      })
      assert.deepEqual([configuration.value, configuration.scope], ['1.5', 'cluster'])
      assert.equal(sim.model.clusters.get(kvm.id)!.details.memoryOvercommitRatio, '1.5')
      await ok(sim, 'resetConfiguration', {name: 'mem.overprovisioning.factor'})
      assert.equal(
        (await ok(sim, 'listConfigurations', {name: 'mem.overprovisioning.factor'})).configuration[0].value,
        '1.0',
      )
    })

    it('refuses a scope the setting does not have', async () => {
      assert.equal(
        (await fails(sim, 'resetConfiguration', {name: 'default.page.size', zoneid: zone.id})).errortext,
        'Invalid scope id provided for the parameter default.page.size',
      )
    })
  })

  describe('VMs keep the factor they were started with', () => {
    it('count under their old factor until stopped and started', async () => {
      await ok(sim, 'updateConfiguration', {
        clusterid: kvm.id,
        name: 'mem.overprovisioning.factor',
        value: '4',
      })
      let [memory] = (await ok(sim, 'listCapacity', {clusterid: kvm.id, type: '0'})).capacity
      // Each 1 GB VM started under factor 2 holds 0.5 GB of the host: 2 GB in factor-4 units.
      assert.deepEqual([memory.capacitytotal, memory.capacityused], [8 * GiB, 6 * GiB])
      const vmA = (await ok(sim, 'listVirtualMachines', {listall: 'true', name: 'vm-a'})).virtualmachine[0]
      assert.equal(vmA.details.memoryOvercommitRatio, '2.0')

      assert.equal((await runJob(sim, 'stopVirtualMachine', {id: vmA.id})).jobstatus, 1)
      const started = await runJob(sim, 'startVirtualMachine', {id: vmA.id})
      assert.equal(started.jobstatus, 1, JSON.stringify(started))
      assert.equal(started.jobresult.virtualmachine.details.memoryOvercommitRatio, '4')
      ;[memory] = (await ok(sim, 'listCapacity', {clusterid: kvm.id, type: '0'})).capacity
      assert.equal(memory.capacityused, 5 * GiB)
    })

    it('shows no start factors for VMs started without overprovisioning', async () => {
      const vm = (await ok(sim, 'listVirtualMachines', {listall: 'true', name: 'xen-vm'})).virtualmachine[0]
      assert.equal(vm.details, undefined)
    })
  })
})

describe('settings as upstream declares them (catalog/settings.ts)', () => {
  it('reports the OOBM ConfigKeys as dynamic, as OutOfBandManagementService and the ipmitool driver declare them', async () => {
    const sim = await startTestSim()
    try {
      for (const name of [
        'outofbandmanagement.action.timeout',
        'outofbandmanagement.sync.poolsize',
        'outofbandmanagement.ipmitool.path',
        'outofbandmanagement.ipmitool.interface',
        'outofbandmanagement.ipmitool.retries',
      ]) {
        const res = await sim.call('listConfigurations', {name})
        const setting = res.body.listconfigurationsresponse.configuration.find(
          (c: {name: string}) => c.name === name,
        )
        assert.equal(setting.isdynamic, true, name)
      }
    } finally {
      await sim.close()
    }
  })

  it('cites the upstream file declaring every setting', () => {
    for (const definition of SETTING_DEFINITIONS) {
      assert.match(definition.source, /^(api|server|engine|plugins)\/.+\/[A-Z]\w+\.java$/, definition.name)
    }
  })

  // Values read from the upstream declarations cited in catalog/settings.ts, where the simulator
  // used to say otherwise.
  const UPSTREAM: Array<
    [
      string,
      Partial<Record<'defaultvalue' | 'description' | 'isdynamic' | 'options' | 'scopes' | 'type', unknown>>,
    ]
  > = [
    ['ca.framework.background.task.delay', {isdynamic: true}], // CAManager
    ['enforce.post.requests.and.timestamps', {isdynamic: false}], // ApiServer
    ['set.host.down.to.maintenance', {isdynamic: true, scopes: ['zone']}], // ConfigurationManagerImpl
    ['migrate.vm.across.clusters', {defaultvalue: 'false', scopes: ['zone']}], // ConfigurationManagerImpl
    ['host.maintenance.local.storage.strategy', {options: 'Error,Migration,ForceStop', type: 'Select'}], // ResourceManager
    // ResourceManager declares it with this (mismatched) description, not dynamic.
    [
      'kvm.ssh.to.agent',
      {
        defaultvalue: 'true',
        description: 'Number of retries when preparing a host into Maintenance Mode is faulty before failing',
        isdynamic: false,
      },
    ],
    ['api.sessionkey.cookie.samesite', {options: 'Lax, Strict, NoneAndSecure, Null'}], // ApiServer
    ['storage.overprovisioning.factor', {scopes: ['storagepool'], type: 'Decimal'}], // CapacityManager (Double)
    ['cluster.cpu.allocated.capacity.notificationthreshold', {scopes: ['cluster'], type: 'Decimal'}], // AlertManager
  ]

  it('reports the corrected declarations through listConfigurations', async () => {
    const sim = await startTestSim()
    try {
      for (const [name, expected] of UPSTREAM) {
        const res = await sim.call('listConfigurations', {name})
        const setting = res.body.listconfigurationsresponse.configuration.find(
          (c: {name: string}) => c.name === name,
        )
        assert.ok(setting, name)
        const {scopes, ...fields} = expected
        for (const [field, value] of Object.entries(fields))
          assert.equal(setting[field], value, `${name}.${field}`)
        // Scopes below global: the catalog's, which listConfigurations honours with zoneid/clusterid.
        if (scopes) assert.deepEqual(sim.model.settingDefinitions.get(name)?.scopes, scopes, `${name}.scopes`)
      }
    } finally {
      await sim.close()
    }
  })
  // KVMHAConfig (plugins/hypervisors/kvm/.../kvm/ha/KVMHAConfig.java, registered by KVMHAProvider
  // under the component KVMHAConfig) and HighAvailabilityManager (engine/components-api/.../ha/).
  it('declares the host-HA and HA-manager settings as upstream does', async () => {
    const sim = await startTestSim()
    try {
      const byComponent = async (keyword: string) =>
        (
          (await sim.call('listConfigurations', {keyword})).body.listconfigurationsresponse
            .configuration as Array<Record<string, unknown>>
        ).filter((c) => c.component === keyword)
      const kvmHa = await byComponent('KVMHAConfig')
      assert.deepEqual(kvmHa.map((c) => c.name).sort(), [
        'kvm.ha.activity.check.failure.ratio',
        'kvm.ha.activity.check.interval',
        'kvm.ha.activity.check.max.attempts',
        'kvm.ha.activity.check.timeout',
        'kvm.ha.degraded.max.period',
        'kvm.ha.fence.timeout',
        'kvm.ha.health.check.timeout',
        'kvm.ha.recover.failure.threshold',
        'kvm.ha.recover.timeout',
        'kvm.ha.recover.wait.period',
      ])
      for (const setting of kvmHa) {
        assert.equal(setting.isdynamic, true, String(setting.name))
        assert.deepEqual(sim.model.settingDefinitions.get(String(setting.name))?.scopes, ['cluster'])
      }

      const ratio = kvmHa.find((c) => c.name === 'kvm.ha.activity.check.failure.ratio')!
      assert.deepEqual([ratio.defaultvalue, ratio.type], ['0.7', 'Decimal'])
      const cluster = (await sim.call('listClusters', {name: 'kvm-cluster-1'})).body.listclustersresponse
        .cluster[0]
      const atCluster = await sim.call('listConfigurations', {
        clusterid: cluster.id,
        name: 'kvm.ha.fence.timeout',
      })
      assert.deepEqual(
        atCluster.body.listconfigurationsresponse.configuration.map((c: Record<string, unknown>) => [
          c.scope,
          c.value,
        ]),
        [['cluster', '60']],
      )

      const manager = await byComponent('HighAvailabilityManager')
      assert.deepEqual(manager.map((c) => [c.name, c.defaultvalue, c.isdynamic]).sort(), [
        ['max.retries', '5', false],
        ['time.between.cleanup', '86400', false],
        ['time.between.failures', '3600', false],
        ['time.to.sleep', '60', false],
      ])
    } finally {
      await sim.close()
    }
  })

  // ManagementServerImpl.searchForConfigurations: keyword LIKE over name, instance, component,
  // description, category and value; category Hidden never listed (RootCAProvider's CA material).
  it('matches the keyword as searchForConfigurations does and never lists the Hidden category', async () => {
    const sim = await startTestSim()
    try {
      const names = async (params: Record<string, string>) =>
        (
          (await sim.call('listConfigurations', params)).body.listconfigurationsresponse.configuration ?? []
        ).map((c: {name: string}) => c.name) as string[]
      assert.deepEqual((await names({name: 'ca.plugin.root'})).sort(), [
        'ca.plugin.root.allow.expired.cert',
        'ca.plugin.root.auth.strictness',
        'ca.plugin.root.issuer.dn',
      ])
      assert.deepEqual(await names({category: 'Hidden'}), [])
      assert.ok(sim.model.settingDefinitions.get('ca.plugin.root.private.key'), 'the hidden key is declared')
      // By value: only outofbandmanagement.ipmitool.path holds /usr/bin/ipmitool.
      assert.deepEqual(await names({keyword: '/usr/bin/ipmi'}), ['outofbandmanagement.ipmitool.path'])
      // By component: RollingMaintenanceManager's stage timeout is reported under KVMInvestigator.
      assert.ok((await names({keyword: 'kvminvestigator'})).includes('kvm.rolling.maintenance.stage.timeout'))
      // The instance column is DEFAULT on every row, so that keyword matches every listed setting.
      const listed = [...sim.model.settingDefinitions.values()].filter((d) => d.category !== 'Hidden')
      assert.equal((await names({keyword: 'DEFAULT', pagesize: '500', page: '1'})).length, listed.length)
    } finally {
      await sim.close()
    }
  })
})
