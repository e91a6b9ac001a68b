import assert from 'node:assert/strict'
import {before, beforeEach, describe, it} from 'node:test'

import {json, runCli, simEnv} from '../../helpers/cli.js'
import {guideTopology} from '../../helpers/guide-topology.js'
import {useSim} from '../../helpers/sim.js'

/* `setting list|get|set|reset` through the built CLI against the simulator (needs `npm run build`). */

describe('setting', () => {
  const sim = useSim({topology: guideTopology()})
  let env: Record<string, string>
  const moldctl = (...args: string[]) => runCli(args, {env})
  const mutatingCalls = async () =>
    (await sim.requests()).filter(
      (r) => r.command === 'updateConfiguration' || r.command === 'resetConfiguration',
    )

  before(async () => {
    env = simEnv(sim)
  })

  beforeEach(async () => {
    await sim.clearFaults()
    await sim.clearRequests()
  })

  it('list --filter finds the overprovisioning defaults', async () => {
    const result = await moldctl('setting', 'list', '--filter', 'overprovisioning', '--json')
    assert.equal(result.code, 0, result.stderr)
    const names = json<Array<{name: string}>>(result).map((s) => s.name)
    assert.deepEqual(names, [
      'cpu.overprovisioning.factor',
      'mem.overprovisioning.factor',
      'storage.overprovisioning.factor',
    ])
  })

  it('list --cluster shows only cluster settings, as seen from the cluster', async () => {
    const result = await moldctl('setting', 'list', '--cluster', 'guide-kvm', '--json')
    assert.equal(result.code, 0, result.stderr)
    const settings = json<Array<{name: string; scope: string; value: string}>>(result)
    assert.ok(settings.every((s) => s.scope === 'cluster'))
    assert.equal(settings.find((s) => s.name === 'mem.overprovisioning.factor')?.value, '2.0')
    assert.ok(settings.some((s) => s.name === 'outofbandmanagement.action.timeout'))
    assert.ok(!settings.some((s) => s.name === 'kvm.rolling.maintenance.ping.interval'))
  })

  it('get shows the guide settings with their defaults', async () => {
    for (const [name, value] of [
      ['kvm.rolling.maintenance.stage.timeout', '1800'],
      ['outofbandmanagement.ipmitool.interface', 'lanplus'],
      ['ca.framework.cert.validity.period', '365'],
    ]) {
      const result = await moldctl('setting', 'get', name)
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, new RegExp(`^value +${value}$`, 'm'))
      assert.match(result.stdout, new RegExp(`^defaultvalue +${value}$`, 'm'))
    }
  })

  const refusals: Array<[string, string[], string]> = [
    [
      'an unknown name',
      ['set', 'no.such.setting', '1'],
      "Config parameter with name no.such.setting doesn't exist",
    ],
    [
      'a scope the setting does not have',
      ['set', 'kvm.rolling.maintenance.ping.interval', '20', '--cluster', 'guide-kvm'],
      'Invalid scope id provided for the parameter kvm.rolling.maintenance.ping.interval',
    ],
    [
      'a boolean that is not exactly true or false',
      ['set', 'redfish.ignore.ssl', 'TRUE'],
      "Please enter either 'true' or 'false'.",
    ],
    [
      'a number that does not parse',
      ['set', 'kvm.rolling.maintenance.ping.interval', '1.5'],
      'There was error in trying to parse value: 1.5. Please enter a valid integer value for parameter kvm.rolling.maintenance.ping.interval',
    ],
    [
      'a factor of 0',
      ['set', 'cpu.overprovisioning.factor', '0', '--cluster', 'guide-kvm'],
      'cpu.overprovisioning.factor should be greater than 0',
    ],
    [
      'a factor of abc',
      ['set', 'mem.overprovisioning.factor', 'abc'],
      'There was error in trying to parse value: abc. Please enter a valid float value for parameter mem.overprovisioning.factor',
    ],
    [
      'reset of an unknown name',
      ['reset', 'no.such.setting'],
      "Config parameter with name no.such.setting doesn't exist",
    ],
    [
      'reset at a scope the setting does not have',
      ['reset', 'default.page.size', '--zone', 'guide-zone'],
      'Invalid scope id provided for the parameter default.page.size',
    ],
  ]
  for (const [what, args, text] of refusals) {
    it(`refuses ${what} with the server's text, exit 2 and no call`, async () => {
      const result = await moldctl('setting', ...args)
      assert.equal(result.code, 2, result.stderr)
      assert.ok(result.stderr.startsWith(`Error: ${text}\n`), result.stderr)
      assert.deepEqual(await mutatingCalls(), [])
    })
  }

  it('the server gives the same texts when called directly', async () => {
    const res = await sim.call(
      'updateConfiguration',
      {clusterid: sim.model.state.clusters[0].id, name: 'kvm.rolling.maintenance.ping.interval', value: '20'},
      {method: 'POST'},
    )
    assert.equal(
      res.body.updateconfigurationresponse.errortext,
      'Invalid scope id provided for the parameter kvm.rolling.maintenance.ping.interval',
    )
  })

  it('refuses --zone together with --cluster (exit 2, no call)', async () => {
    const result = await moldctl(
      'setting',
      'set',
      'cpu.overprovisioning.factor',
      '2',
      '--zone',
      'guide-zone',
      '--cluster',
      'guide-kvm',
    )
    assert.equal(result.code, 2)
    assert.match(result.stderr, /cannot also be provided/)
    assert.deepEqual(await mutatingCalls(), [])
  })

  it('set and reset a cluster value (out-of-band action timeout)', async () => {
    const kvm = sim.model.state.clusters.find((c) => c.name === 'guide-kvm')!
    let result = await moldctl(
      'setting',
      'set',
      'outofbandmanagement.action.timeout',
      '120',
      '--cluster',
      'guide-kvm',
    )
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^value +120$/m)
    assert.match(result.stdout, /^scope +cluster$/m)
    assert.equal(kvm.details['outofbandmanagement.action.timeout'], '120')
    const calls = await mutatingCalls()
    assert.deepEqual(
      calls.map((c) => [c.command, c.method, c.params.clusterid]),
      [['updateConfiguration', 'POST', kvm.id]],
    )

    result = await moldctl(
      'setting',
      'reset',
      'outofbandmanagement.action.timeout',
      '--cluster',
      'guide-kvm',
      '--json',
    )
    assert.equal(result.code, 0, result.stderr)
    assert.equal(json<{value: string}>(result).value, '60')
    assert.equal(kvm.details['outofbandmanagement.action.timeout'], undefined)
  })

  it('sets a global default and a zone value (CA framework)', async () => {
    let result = await moldctl(
      'setting',
      'set',
      'ca.framework.cert.systemvm.allow.host.ip',
      'true',
      '--zone',
      'guide-zone',
    )
    assert.equal(result.code, 0, result.stderr)
    result = await moldctl(
      'setting',
      'get',
      'ca.framework.cert.systemvm.allow.host.ip',
      '--zone',
      'guide-zone',
      '--json',
    )
    assert.equal(json<{value: string}>(result).value, 'true')
    result = await moldctl('setting', 'get', 'ca.framework.cert.systemvm.allow.host.ip', '--json')
    assert.equal(json<{value: string}>(result).value, 'false')
    assert.equal(
      (await moldctl('setting', 'reset', 'ca.framework.cert.systemvm.allow.host.ip', '--zone', 'guide-zone'))
        .code,
      0,
    )
  })

  it('warns when a setting only applies after a restart', async () => {
    // ca.framework.background.task.delay is read at start-up (the OOBM ipmitool settings, used
    // here before, are dynamic upstream: the old simulator was wrong about them).
    const result = await moldctl('setting', 'set', 'ca.framework.background.task.delay', '7200')
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /restart the management/)
    assert.equal((await moldctl('setting', 'reset', 'ca.framework.background.task.delay')).code, 0)
  })

  it('--dry-run prints the call and changes nothing', async () => {
    const result = await moldctl('setting', 'set', 'kvm.rolling.maintenance.ping.interval', '20', '--dry-run')
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stdout,
      /would call: updateConfiguration name=kvm\.rolling\.maintenance\.ping\.interval value=20/,
    )
    assert.deepEqual(await mutatingCalls(), [])
  })

  it('a refusal the server makes itself is exit 1 with its text, sent once', async () => {
    await sim.setFaults({
      failCommand: {
        command: 'updateConfiguration',
        errorcode: 431,
        errortext: 'Restricted configuration update not allowed',
      },
    })
    const result = await moldctl('setting', 'set', 'kvm.rolling.maintenance.ping.interval', '20')
    assert.equal(result.code, 1)
    assert.match(result.stderr, /Restricted configuration update not allowed/)
    assert.equal((await mutatingCalls()).length, 1)
  })
})
