import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {json, runCli, simEnv} from '../../../helpers/cli.js'
import {useSim} from '../../../helpers/sim.js'

let env: Record<string, string>
const sim = useSim(
  {},
  {
    async afterStart() {
      env = simEnv(sim)
    },
  },
)

describe('host maintenance enter --dry-run', () => {
  it('runs the checks, prints the plan and the calls, and changes nothing', async () => {
    await sim.clearRequests()
    const r = await runCli(['host', 'maintenance', 'enter', 'kvm-host-01', '--dry-run'], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^1\. kvm-host-01 \(kvm-cluster-1\): drain its VMs/m)
    const host = sim.model.state.hosts.find((h) => h.name === 'kvm-host-01')!
    assert.match(r.stdout, new RegExp(`prepareHostForMaintenance id=${host.id}`))
    assert.equal(host.resourceState, 'Enabled')
    const log = await sim.requests()
    assert.ok(
      log.some((q) => q.command === 'listVirtualMachines'),
      'the capacity check read the VMs',
    )
    assert.deepEqual(
      log.filter((q) => !(q.command ?? '').startsWith('list')).map((q) => q.command),
      [],
    )
  })

  it('gives the calls as JSON, and still refuses what the checks refuse (exit 2)', async () => {
    const r = await runCli(['host', 'maintenance', 'enter', 'kvm-host-03', '--dry-run', '--json'], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.match(json<{call: string}[]>(r)[0].call, /^prepareHostForMaintenance id=/)
    const refused = await runCli(
      ['host', 'maintenance', 'enter', 'kvm-host-01', 'kvm-host-02', '--dry-run'],
      {env},
    )
    assert.equal(refused.code, 2)
    assert.match(refused.stderr, /cannot take all the VMs/)
  })
})
