import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import type {RollingHostOptions} from '../../helpers/rolling-topology.js'

import {json, runCli, simEnv, spawnCli} from '../../helpers/cli.js'
import {rollingTopology} from '../../helpers/rolling-topology.js'
import {startTestSim, type TestSim} from '../../helpers/sim.js'

interface Rolling {
  details: string
  hostsskipped: {hostid: string; hostname: string; reason: string}[]
  hostsupdated: {enddate: string; hostid: string; hostname: string; output: string; startdate: string}[]
  success: boolean
}

const THREE_HOSTS: RollingHostOptions[] = [{}, {}, {}]

async function withSim<T>(
  hosts: RollingHostOptions[],
  run: (sim: TestSim) => Promise<T>,
  settings: Record<string, string> = {},
  speed = 1000,
): Promise<T> {
  const sim = await startTestSim({speed, topology: rollingTopology(hosts, settings)})
  try {
    return await run(sim)
  } finally {
    await sim.close()
  }
}

const rm = (sim: TestSim, args: string[]) =>
  runCli(['rolling-maintenance', 'start', ...args], {env: simEnv(sim)})

async function mutatingCalls(sim: TestSim): Promise<string[]> {
  const requests = await sim.requests()
  return requests.map((r) => r.command ?? '').filter((c) => c && !/^(list|query|get)/.test(c))
}

describe('rolling-maintenance start', () => {
  it('rolls a cluster, prints the report and re-enables the cluster', async () => {
    // Slow enough (about 5 s) for the client's polls to see every host out of service.
    await withSim(
      THREE_HOSTS,
      async (sim) => {
        const result = await rm(sim, ['--clusters', 'kvm-a', '--yes'])
        assert.equal(result.code, 0, result.stderr)
        assert.match(result.stdout, /Updated hosts \(3\):/)
        for (const name of ['kvm-1', 'kvm-2', 'kvm-3'])
          assert.match(
            result.stdout,
            new RegExp(
              `${name}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+\\d+m\\d\\ds\\s+Maintenance: package`,
            ),
          )
        assert.match(result.stdout, /HOST\s+START \(\+00:00\)\s+END \(\+00:00\)\s+DURATION\s+OUTPUT/)
        assert.match(result.stdout, /Skipped hosts \(0\):/)
        assert.match(result.stderr, /Rolling maintenance job [\da-f-]{36} started/)
        assert.match(result.stderr, /cluster kvm-a: Disabled/)
        for (const name of ['kvm-1', 'kvm-2', 'kvm-3']) {
          assert.match(result.stderr, new RegExp(`host ${name}: (PrepareForMaintenance|Maintenance) \\(`))
          assert.match(result.stderr, new RegExp(`host ${name}: Enabled again after \\d+s`))
        }

        assert.match(result.stderr, /Rolling maintenance succeeded: OK/)
        const cluster = [...sim.model.clusters.values()].find((c) => c.name === 'kvm-a')!
        assert.equal(cluster.allocationState, 'Enabled')
        assert.ok([...sim.model.hosts.values()].every((h) => h.resourceState === 'Enabled'))
        assert.deepEqual(await mutatingCalls(sim), ['startRollingMaintenance'])
        const start = (await sim.requests()).find((r) => r.command === 'startRollingMaintenance')!
        assert.equal(start.params.clusterids, cluster.id)
        assert.equal(start.params.forced, undefined)
      },
      {},
      100,
    )
  })

  it("gives the API's rollingmaintenance object with --json", async () => {
    await withSim(THREE_HOSTS, async (sim) => {
      const result = await rm(sim, ['--hosts', 'kvm-2,10.20.0.13', '--yes', '--json'])
      assert.equal(result.code, 0, result.stderr)
      const rolling = json<Rolling>(result)
      assert.equal(rolling.success, true)
      assert.equal(rolling.details, 'OK')
      assert.deepEqual(
        rolling.hostsupdated.map((h) => h.hostname),
        ['kvm-2', 'kvm-3'],
      )
      assert.deepEqual(rolling.hostsskipped, [])
      for (const host of rolling.hostsupdated) {
        assert.match(host.startdate, /^\d{4}-\d\d-\d\d'T'\d\d:\d\d:\d\d\+00:00$/)
        assert.ok(host.enddate >= host.startdate)
        assert.equal(host.output, 'Maintenance: packages updated\nrebooted')
      }
    })
  })

  it('reports a host whose PreFlight exits 70 as skipped, and still succeeds', async () => {
    const hosts = [{}, {stages: {PreFlight: {exitcode: 70, output: 'up to date'}}}, {}]
    await withSim(hosts, async (sim) => {
      const result = await rm(sim, ['--clusters', 'kvm-a', '--yes'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /Updated hosts \(2\):/)
      assert.match(
        result.stdout,
        /Skipped hosts \(1\):\n[\s\S]*kvm-2\s+Pre-flight stage set to avoid maintenance/,
      )
    })
  })

  it('exits 1 with the details when a Maintenance script fails, and names the host left in maintenance', async () => {
    const hosts = [{}, {stages: {Maintenance: {exitcode: 1, output: 'disk full'}}}, {}]
    await withSim(hosts, async (sim) => {
      const result = await rm(sim, ['--clusters', 'kvm-a', '--yes', '--json'])
      assert.equal(result.code, 1)
      const rolling = json<Rolling>(result)
      const host2 = [...sim.model.hosts.values()].find((h) => h.name === 'kvm-2')!
      assert.equal(rolling.success, false)
      assert.equal(
        rolling.details,
        `Error starting rolling maintenance: Stage: Maintenance failed on host ${host2.id}: disk full`,
      )
      assert.deepEqual(
        rolling.hostsupdated.map((h) => h.hostname),
        ['kvm-1'],
      )
      assert.match(
        result.stderr,
        /Error: rolling maintenance failed: Error starting rolling maintenance: Stage: Maintenance failed/,
      )
      assert.match(result.stderr, /kvm-2 was left in Maintenance: moldctl host maintenance cancel kvm-2/)
      assert.equal(
        [...sim.model.clusters.values()].find((c) => c.name === 'kvm-a')!.allocationState,
        'Enabled',
      )
    })
  })

  it('with --forced skips the failing host and goes on', async () => {
    const hosts = [{}, {stages: {Maintenance: {exitcode: 1, output: 'disk full'}}}, {}]
    await withSim(hosts, async (sim) => {
      const result = await rm(sim, ['--clusters', 'kvm-a', '--forced', '--yes'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /Updated hosts \(2\):/)
      assert.match(result.stdout, /kvm-2\s+Maintenance script failed: disk full/)
      assert.ok([...sim.model.hosts.values()].every((h) => h.resourceState === 'Enabled'))
      const start = (await sim.requests()).find((r) => r.command === 'startRollingMaintenance')!
      assert.equal(start.params.forced, 'true')
    })
  })

  it('refuses a timeout not above the ping interval with exit 2 and no call', async () => {
    await withSim(THREE_HOSTS, async (sim) => {
      const result = await rm(sim, ['--clusters', 'kvm-a', '--timeout', '10', '--yes'])
      assert.equal(result.code, 2)
      assert.match(
        result.stderr,
        /The timeout value provided must be greater or equal than the ping interval defined in 'kvm.rolling.maintenance.ping.interval' \(--timeout 10, kvm.rolling.maintenance.ping.interval = 10\)/,
      )
      assert.deepEqual(await mutatingCalls(sim), [])
    })
  })

  it('checks the stage timeout setting when --timeout is not given', async () => {
    const settings = {
      'kvm.rolling.maintenance.ping.interval': '60',
      'kvm.rolling.maintenance.stage.timeout': '60',
    }
    await withSim(
      THREE_HOSTS,
      async (sim) => {
        const result = await rm(sim, ['--clusters', 'kvm-a', '--yes'])
        assert.equal(result.code, 2)
        assert.match(
          result.stderr,
          /kvm.rolling.maintenance.stage.timeout = 60, kvm.rolling.maintenance.ping.interval = 60/,
        )
        assert.deepEqual(await mutatingCalls(sim), [])
      },
      settings,
    )
  })

  it('refuses no scope, two scopes and unknown names with exit 2 before any change', async () => {
    await withSim(THREE_HOSTS, async (sim) => {
      const none = await rm(sim, ['--yes'])
      assert.equal(none.code, 2)
      assert.match(none.stderr, /give the scope: one of --hosts, --clusters, --pods or --zones/)
      const two = await rm(sim, ['--clusters', 'kvm-a', '--hosts', 'kvm-1', '--yes'])
      assert.equal(two.code, 2)
      assert.match(two.stderr, /give only one scope, not --clusters and --hosts/)
      assert.deepEqual(await sim.requests(), [])
      const unknown = await rm(sim, ['--clusters', 'nope', '--yes'])
      assert.equal(unknown.code, 2)
      assert.match(unknown.stderr, /no cluster is named "nope"/)
      assert.deepEqual(await mutatingCalls(sim), [])
    })
  })

  it('without a terminal and without --yes, asks for --yes in one sentence (exit 2, nothing started)', async () => {
    await withSim(THREE_HOSTS, async (sim) => {
      const result = await rm(sim, ['--clusters', 'kvm-a'])
      assert.equal(result.code, 2, result.stderr)
      assert.match(
        result.stderr,
        /^Error: Start rolling maintenance of .+\? Each host goes into maintenance in turn: confirmation needed, but there is no terminal to ask$/m,
      )
      assert.doesNotMatch(result.stderr, /\.: /)
      assert.match(result.stderr, /add --yes to confirm/)
      assert.deepEqual(await mutatingCalls(sim), [])
    })
  })

  it('stops with a capacity failure, which --dry-run predicts', async () => {
    // kvm-1 runs a 48 GiB VM; the others have 64 GiB with 40 GiB taken: nowhere to go.
    const hosts: RollingHostOptions[] = [
      {vms: [['big', 4, 48]]},
      {vms: [['b1', 2, 40]]},
      {vms: [['c1', 2, 40]]},
    ]
    await withSim(hosts, async (sim) => {
      const dry = await rm(sim, ['--clusters', 'kvm-a', '--dry-run'])
      assert.equal(dry.code, 0, dry.stderr)
      assert.match(dry.stdout, /kvm-1\s+Up\s+Enabled\s+1\s+-\s+FAILS: big cannot be migrated away from kvm-1/)
      assert.match(dry.stdout, /the run stops: capacity check failed for kvm-1/)
      assert.match(dry.stdout, /Would call:\n\s+startRollingMaintenance clusterids=[\da-f-]{36}/)
      assert.deepEqual(await mutatingCalls(sim), [])

      const result = await rm(sim, ['--clusters', 'kvm-a', '--yes', '--json'])
      assert.equal(result.code, 1)
      const rolling = json<Rolling>(result)
      assert.match(
        rolling.details,
        /^Error starting rolling maintenance: Capacity check failed for Host \{"id":\d+,"name":"kvm-1","type":"Routing","uuid":"[\da-f-]{36}"\} : VM instance \{"id":\d+,"instanceName":"[^"]+","type":"User","uuid":"[\da-f-]{36}"\} cannot be migrated away from Host \{.*"name":"kvm-1".*\} to any other host in the cluster$/,
      )
      assert.deepEqual(rolling.hostsupdated, [])
    })
  })

  it('names non-KVM hosts as ignored and prints the plan as JSON with --dry-run', async () => {
    await withSim([{}, {vms: [['stuck', 2, 4, 'Migrating']]}], async (sim) => {
      const result = await rm(sim, ['--zones', 'zone-r', '--dry-run', '--json'])
      assert.equal(result.code, 0, result.stderr)
      const plan = json<{
        clusters: {hosts: {blockingvms: unknown[]; name: string}[]; name: string}[]
        expectations: string[]
        ignoredhosts: {name: string}[]
        willfail: boolean
      }>(result)
      assert.deepEqual(
        plan.ignoredhosts.map((h) => h.name),
        ['xen-1'],
      )
      assert.deepEqual(
        plan.clusters.map((c) => c.name),
        ['kvm-a'],
      )
      assert.deepEqual(plan.clusters[0].hosts[1].blockingvms, [{name: 'stuck', state: 'Migrating'}])
      assert.equal(plan.willfail, true)
      assert.match(plan.expectations[0], /VMs in invalid states in cluster/)
      assert.deepEqual(await mutatingCalls(sim), [])
    })
  })

  it('saves each host output with --output-dir', async () => {
    await withSim([{}, {}], async (sim) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-rm-out-'))
      try {
        const result = await rm(sim, ['--clusters', 'kvm-a', '--yes', '--output-dir', path.join(dir, 'out')])
        assert.equal(result.code, 0, result.stderr)
        assert.deepEqual(readdirSync(path.join(dir, 'out')).sort(), [
          'kvm-1.maintenance.txt',
          'kvm-2.maintenance.txt',
        ])
        assert.equal(
          readFileSync(path.join(dir, 'out', 'kvm-1.maintenance.txt'), 'utf8'),
          'Maintenance: packages updated\nrebooted\n',
        )
        assert.match(result.stderr, /Saved 2 Maintenance stage outputs in/)
      } finally {
        rmSync(dir, {force: true, recursive: true})
      }
    })
  })

  it('skips hosts without a Maintenance script and fails a stage that runs past the timeout', async () => {
    const hosts: RollingHostOptions[] = [{stages: null}, {stages: {PostMaintenance: {duration: 900}}}, {}]
    await withSim(hosts, async (sim) => {
      const result = await rm(sim, ['--clusters', 'kvm-a', '--timeout', '600', '--forced', '--yes', '--json'])
      assert.equal(result.code, 0, result.stderr)
      const rolling = json<Rolling>(result)
      const host2 = [...sim.model.hosts.values()].find((h) => h.name === 'kvm-2')!
      assert.deepEqual(
        rolling.hostsskipped.map((h) => [h.hostname, h.reason]),
        [
          ['kvm-1', 'There is no maintenance script on the host'],
          [
            'kvm-2',
            `Post-maintenance script failed: Timeout exceeded for rolling maintenance on host ${host2.id} and stage PostMaintenance`,
          ],
        ],
      )
      assert.deepEqual(
        rolling.hostsupdated.map((h) => h.hostname),
        ['kvm-2', 'kvm-3'],
      )
    })
  })

  it('asks for --yes without a terminal and changes nothing', async () => {
    await withSim(THREE_HOSTS, async (sim) => {
      const result = await rm(sim, ['--clusters', 'kvm-a'])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /add --yes/)
      assert.deepEqual(await mutatingCalls(sim), [])
    })
  })

  it('keeps polling through server errors while the job runs', async () => {
    await withSim(THREE_HOSTS, async (sim) => {
      await sim.setFaults({errorRate: 0.3})
      const result = await rm(sim, ['--clusters', 'kvm-a', '--yes', '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(json<Rolling>(result).hostsupdated.length, 3)
      assert.deepEqual(await mutatingCalls(sim), ['startRollingMaintenance'])
    })
  })

  it('names non-KVM hosts of the scope as ignored and rolls the KVM ones', async () => {
    await withSim([{}, {}], async (sim) => {
      const result = await rm(sim, ['--zones', 'zone-r', '--yes'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /Ignored: xen-1 is XenServer, not KVM/)
      assert.match(result.stdout, /Updated hosts \(2\):/)
      assert.equal(sim.model.state.hosts.find((h) => h.name === 'xen-1')!.resourceState, 'Enabled')
    })
  })

  it('exits 1 when the job itself fails, and sends the start once when the call fails', async () => {
    await withSim(THREE_HOSTS, async (sim) => {
      await sim.setFaults({failCommand: {command: 'startRollingMaintenance', errortext: 'boom', inJob: true}})
      const inJob = await rm(sim, ['--clusters', 'kvm-a', '--yes'])
      assert.equal(inJob.code, 1)
      assert.match(inJob.stderr, /startRollingMaintenance job [\da-f-]{36} failed \(530\): boom/)
      await sim.clearFaults()
      await sim.clearRequests()
      await sim.setFaults({
        failCommand: {command: 'startRollingMaintenance', errorcode: 530, errortext: 'refused'},
      })
      const refused = await rm(sim, ['--clusters', 'kvm-a', '--yes'])
      assert.equal(refused.code, 1)
      assert.match(refused.stderr, /refused/)
      assert.deepEqual(await mutatingCalls(sim), ['startRollingMaintenance'])
    })
  })

  it('stops waiting after --max-wait with exit 5 and the resume command', async () => {
    await withSim(THREE_HOSTS, async (sim) => {
      await sim.setFaults({stuckJobs: true})
      const result = await rm(sim, ['--clusters', 'kvm-a', '--yes', '--max-wait', '1'])
      assert.equal(result.code, 5)
      assert.match(result.stderr, /moldctl job wait [\da-f-]{36}/)
    })
  })

  it('on Ctrl-C stops watching with exit 130 and leaves the run going', async () => {
    await withSim(THREE_HOSTS, async (sim) => {
      await sim.setFaults({stuckJobs: true})
      const {child, done} = spawnCli(['rolling-maintenance', 'start', '--clusters', 'kvm-a', '--yes'], {
        env: simEnv(sim),
      })
      let stderr = ''
      let interrupted = false
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString()
        if (!interrupted && stderr.includes('started')) {
          interrupted = true
          child.kill('SIGINT')
        }
      })
      const result = await done
      assert.equal(result.code, 130)
      assert.match(result.stderr, /moldctl job wait [\da-f-]{36}/)
      const job = sim.model.state.jobs.find((j) => j.command === 'startRollingMaintenance')!
      assert.equal(job.status, 0)
    })
  })
})
