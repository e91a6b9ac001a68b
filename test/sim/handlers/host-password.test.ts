import assert from 'node:assert/strict'
import {before, describe, it} from 'node:test'

import {simulatedHostPassword} from '../../../src/sim/handlers/host-password.js'
import {useSim} from '../../helpers/sim.js'

describe('simulator: updateHostPassword', () => {
  const sim = useSim()
  let kvmCluster: {id: string; name: string}
  let xenCluster: {id: string; name: string}
  let kvmHosts: Array<{id: string; name: string}>
  let xenHosts: Array<{id: string; name: string}>

  before(async () => {
    const clusters = (await sim.call('listClusters')).body.listclustersresponse.cluster as Array<{
      hypervisortype: string
      id: string
      name: string
    }>
    kvmCluster = clusters.find((c) => c.hypervisortype === 'KVM')!
    xenCluster = clusters.find((c) => c.hypervisortype === 'XenServer')!
    kvmHosts = (await sim.call('listHosts', {clusterid: kvmCluster.id})).body.listhostsresponse.host
    xenHosts = (await sim.call('listHosts', {clusterid: xenCluster.id})).body.listhostsresponse.host
  })

  it('updates one KVM host and answers success', async () => {
    const res = await sim.call(
      'updateHostPassword',
      {hostid: kvmHosts[0].id, password: 'n3w', username: 'root'},
      {method: 'POST'},
    )
    assert.equal(res.status, 200)
    assert.deepEqual(res.body, {updatehostpasswordresponse: {success: true}})
    assert.deepEqual(simulatedHostPassword(sim.model, kvmHosts[0].id), {onHost: false, password: 'n3w'})
    assert.equal(simulatedHostPassword(sim.model, kvmHosts[1].id), undefined)
  })

  it('updates every host of a cluster, on the hosts too when asked', async () => {
    const res = await sim.call(
      'updateHostPassword',
      // eslint-disable-next-line camelcase -- the API's own parameter name
      {clusterid: kvmCluster.id, password: 'cluster-pw', update_passwd_on_host: 'true', username: ' ro ot '},
      {method: 'POST'},
    )
    assert.equal(res.status, 200)
    for (const host of kvmHosts) {
      assert.deepEqual(simulatedHostPassword(sim.model, host.id), {onHost: true, password: 'cluster-pw'})
    }
  })

  it('XenServer hosts are updated per cluster only', async () => {
    const single = await sim.call('updateHostPassword', {
      hostid: xenHosts[0].id,
      password: 'x',
      username: 'root',
    })
    assert.equal(single.status, 431)
    assert.equal(
      single.body.updatehostpasswordresponse.errortext,
      'Single host update is not supported by XenServer hypervisors. Please try again informing the Cluster ID.',
    )
    const cluster = await sim.call('updateHostPassword', {
      clusterid: xenCluster.id,
      password: 'x',
      username: 'root',
    })
    assert.equal(cluster.status, 200)
  })

  it('refuses bad input with the server texts and changes nothing', async () => {
    const before = simulatedHostPassword(sim.model, kvmHosts[2].id)
    const cases: Array<[Record<string, string>, string]> = [
      [{password: 'x'}, 'Unable to execute API command updatehostpassword due to missing parameter username'],
      [
        {username: 'root'},
        'Unable to execute API command updatehostpassword due to missing parameter password',
      ],
      [{password: 'x', username: 'root'}, 'You should provide an host id.'],
      [{hostid: kvmHosts[2].id, password: 'x', username: '   '}, 'Username should be non empty string'],
      [
        {hostid: kvmHosts[2].id, password: 'x', username: 'admin'},
        'The username is not same for the hosts..',
      ],
      [
        {clusterid: kvmCluster.id, password: 'x', username: 'admin'},
        'The username is not same for all hosts, please modify passwords for individual hosts.',
      ],
    ]
    for (const [params, text] of cases) {
      const res = await sim.call('updateHostPassword', params)
      assert.equal(res.status, 431, text)
      assert.equal(res.body.updatehostpasswordresponse.errortext, text)
    }

    const unknown = await sim.call('updateHostPassword', {
      hostid: '00000000-0000-0000-0000-000000000000',
      password: 'x',
      username: 'root',
    })
    assert.equal(unknown.status, 431)
    assert.deepEqual(simulatedHostPassword(sim.model, kvmHosts[2].id), before)
  })

  it('keeps the password out of the request log', async () => {
    await sim.clearRequests()
    await sim.call('updateHostPassword', {
      hostid: kvmHosts[3].id,
      password: 'Very-Secret-9',
      username: 'root',
    })
    const log = JSON.stringify(await sim.requests())
    assert.ok(log.includes('updateHostPassword'))
    assert.ok(!log.includes('Very-Secret-9'))
  })

  it('is described by listApis', async () => {
    const res = await sim.call('listApis', {name: 'updateHostPassword'})
    const [api] = res.body.listapisresponse.api
    assert.equal(api.isasync, false)
    assert.deepEqual(
      api.params
        .filter((p: {required: boolean}) => p.required)
        .map((p: {name: string}) => p.name)
        .sort(),
      ['password', 'username'],
    )
  })
})
