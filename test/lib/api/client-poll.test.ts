import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {oobmTopology} from '../../helpers/oobm-topology.js'
import {simClient, useSim} from '../../helpers/sim.js'

describe('MoldClient.waitForJob with a poll schedule', () => {
  const sim = useSim({topology: oobmTopology()})

  it('waits as the schedule says, before the first poll too, and returns the job result', async () => {
    const client = simClient(sim)
    const hostid = sim.model.state.hosts.find((h) => h.name === 'kvm-a01')!.id
    const {jobid} = await client.submitJob('issueOutOfBandManagementPowerAction', {action: 'STATUS', hostid})
    await sim.clearRequests()
    const asked: number[] = []
    const result = await client.waitForJob(jobid, {
      pollDelayMs(elapsed) {
        asked.push(elapsed)
        return 1
      },
    })
    assert.equal((result.outofbandmanagement as {description: string}).description, 'Chassis Power is on')
    assert.equal(asked[0], 0)
    assert.ok(
      asked.every((e, i) => i === 0 || e >= asked[i - 1]),
      `elapsed times grow: ${asked.join(', ')}`,
    )
    // One wait before each poll.
    const polls = (await sim.requests()).filter((r) => r.command === 'queryAsyncJobResult')
    assert.equal(polls.length, asked.length)
  })
})
