import assert from 'node:assert/strict'
import {beforeEach, describe, it} from 'node:test'
import {setTimeout as delay} from 'node:timers/promises'

import {oobmActionStats, resetOobmActionStats} from '../../../src/sim/behaviour/bmc.js'
import {json, runCli, simEnv, spawnCli} from '../../helpers/cli.js'
import {oobmTopology} from '../../helpers/oobm-topology.js'
import {startTestSim, useSim} from '../../helpers/sim.js'

interface Row {
  action: string
  hostid: string
  message: string
  name: string
  outcome: string
  powerstate: string
  seconds: number
}

const READ = /^(list|query)/

describe('moldctl oobm power', () => {
  const sim = useSim({topology: oobmTopology()})
  const moldctl = (...args: string[]) => runCli(args, {env: simEnv(sim)})
  const mutating = async () => (await sim.requests()).filter((r) => r.command && !READ.test(r.command))
  const row = (rows: Row[], name: string) => rows.find((r) => r.name === name)!
  const host = (name: string) => sim.model.state.hosts.find((h) => h.name === name)!

  beforeEach(async () => {
    await sim.clearFaults()
    await sim.clearRequests()
    resetOobmActionStats(sim.model)
  })

  it('sweeps the power state of a cluster: a table, skipped hosts with reasons, exit 4 on partial failure', async () => {
    const result = await moldctl('oobm', 'power', 'status', '--cluster', 'kvm-a')
    assert.equal(result.code, 4, result.stderr)
    const lines = result.stdout.trim().split('\n')
    assert.match(lines[0], /^HOST +ACTION +OUTCOME +POWER +SECONDS +MESSAGE$/)
    assert.equal(lines.length, 11)
    assert.match(result.stdout, /kvm-a01 +STATUS +ok +On +\d+\.\d\d +Chassis Power is on/)
    assert.match(result.stdout, /kvm-a02 +STATUS +ok +Off /)
    assert.match(
      result.stdout,
      /kvm-a06 +STATUS +skipped +Disabled +0\.00 +out-of-band management is not conf/,
    )
    assert.match(
      result.stderr,
      /STATUS: 6 ok, 2 failed, 3 skipped \(11 hosts\)|STATUS: \d+ ok, 2 failed, \d+ skipped/,
    )
    assert.match(result.stderr, /Error: 2 of 10 hosts failed/)
    // Only STATUS calls, and none for the skipped hosts.
    const calls = await mutating()
    assert.ok(
      calls.every((c) => c.command === 'issueOutOfBandManagementPowerAction' && c.params.action === 'STATUS'),
    )
    const called = new Set(calls.map((c) => c.params.hostid))
    for (const skipped of ['kvm-a06', 'kvm-a07', 'kvm-a08']) assert.ok(!called.has(host(skipped).id), skipped)
    assert.equal(called.size, 7)
  })

  it('gives every host one JSON row: outcome, power state, driver message, seconds', async () => {
    const result = await moldctl('oobm', 'power', 'status', '--cluster', 'kvm-a', '--json')
    assert.equal(result.code, 4)
    const rows = json<Row[]>(result)
    assert.equal(rows.length, 10)
    assert.deepEqual(Object.keys(rows[0]).sort(), [
      'action',
      'hostid',
      'message',
      'name',
      'outcome',
      'powerstate',
      'seconds',
    ])
    assert.deepEqual(
      [row(rows, 'kvm-a01').outcome, row(rows, 'kvm-a01').powerstate, row(rows, 'kvm-a01').message],
      ['ok', 'On', 'Chassis Power is on'],
    )
    assert.equal(row(rows, 'kvm-a09').message, '200')
    assert.ok(row(rows, 'kvm-a10').seconds > 0)
    // Wrong BMC credentials: the server's authentication error, and the stored state becomes Unknown.
    const auth = row(rows, 'kvm-a03')
    assert.equal(auth.outcome, 'failed')
    assert.match(auth.message, /failed due to authentication error: Error: RAKP 2 HMAC is invalid/)
    assert.match(auth.message, /Please check configured credentials\.$/)
    assert.equal(auth.powerstate, 'Unknown')
    assert.match(row(rows, 'kvm-a04').message, /failed with error: Error: Unable to establish IPMI v2/)
    assert.match(row(rows, 'kvm-a07').message, /disabled for the host/)
    assert.match(row(rows, 'kvm-a08').message, /Degraded/)
  })

  it('reports an authentication error on a single host with exit 1', async () => {
    const result = await moldctl('oobm', 'power', 'status', 'kvm-a03')
    assert.equal(result.code, 1)
    assert.match(result.stdout, /kvm-a03 +STATUS +failed +Unknown/)
    assert.match(result.stderr, /Error: no host succeeded \(1 failed\)/)
  })

  for (const action of ['on', 'off', 'cycle', 'reset', 'soft'] as const) {
    it(`sends ${action.toUpperCase()} upper-case and reports the driver's answer`, async () => {
      const result = await moldctl('oobm', 'power', action, 'kvm-a01', 'kvm-a09', '--yes', '--json')
      assert.equal(result.code, 0, result.stderr)
      const rows = json<Row[]>(result)
      assert.deepEqual(
        rows.map((r) => [r.name, r.action, r.outcome]),
        [
          ['kvm-a01', action.toUpperCase(), 'ok'],
          ['kvm-a09', action.toUpperCase(), 'ok'],
        ],
      )
      const expected = {cycle: 'Cycle', off: 'Down/Off', on: 'Up/On', reset: 'Reset', soft: 'Soft'}[action]
      assert.equal(row(rows, 'kvm-a01').message, `Chassis Power Control: ${expected}`)
      const calls = await mutating()
      assert.deepEqual(
        calls.map((c) => c.params.action),
        [action.toUpperCase(), action.toUpperCase()],
      )
    })
  }

  it('leaves the stored power state to STATUS: OFF keeps it, STATUS then refreshes it', async () => {
    assert.equal((await moldctl('oobm', 'power', 'on', 'kvm-a02', '--yes')).code, 0)
    const off = json<Row[]>(await moldctl('oobm', 'power', 'off', 'kvm-a02', '--yes', '--json'))
    assert.equal(off[0].powerstate, sim.model.hosts.get(host('kvm-a02').id)!.oobm!.powerState)
    const status = json<Row[]>(await moldctl('oobm', 'power', 'status', 'kvm-a02', '--json'))
    assert.equal(status[0].powerstate, 'Off')
  })

  it('asks before destructive actions, naming hosts and running VMs; without a terminal it needs --yes', async () => {
    const result = await moldctl('oobm', 'power', 'off', '--cluster', 'kvm-a')
    assert.equal(result.code, 2)
    assert.match(
      result.stderr,
      /Send OFF to 7 hosts \(3 running VMs on them will be affected\): confirmation needed/,
    )
    assert.match(result.stderr, /add --yes/)
    assert.deepEqual(await mutating(), [])
  })

  it('does not ask for ON and STATUS', async () => {
    const result = await moldctl('oobm', 'power', 'on', 'kvm-a01')
    assert.equal(result.code, 0, result.stderr)
  })

  it("warns about hosts in maintenance with the guide's warning, and still acts on them", async () => {
    const result = await moldctl('oobm', 'power', 'reset', 'kvm-a05', 'kvm-a01', '--yes')
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stderr,
      /Warning: 1 host is in maintenance mode: kvm-a05 \(Maintenance\)\. Power actions are still allowed on hosts in maintenance/,
    )
    assert.match(result.stdout, /kvm-a05 +RESET +ok/)
  })

  it('refuses an invalid action before any call (exit 2)', async () => {
    for (const bad of ['reboot', 'powercycle']) {
      const result = await moldctl('oobm', 'power', bad, 'kvm-a01')
      assert.equal(result.code, 2)
      assert.match(
        result.stderr,
        new RegExp(`Unknown power action "${bad}"; use one of: on, off, cycle, reset, soft, status`),
      )
    }

    assert.deepEqual(await sim.requests(), [])
  })

  it('refuses a missing or double host selection before any call (exit 2)', async () => {
    const none = await moldctl('oobm', 'power', 'status')
    assert.equal(none.code, 2)
    assert.match(none.stderr, /name the hosts: HOST\.\.\., --cluster CLUSTER or --zone ZONE/)
    const both = await moldctl('oobm', 'power', 'status', 'kvm-a01', '--cluster', 'kvm-a')
    assert.equal(both.code, 2)
    assert.match(both.stderr, /give only one of HOST, --cluster/)
    const zero = await moldctl('oobm', 'power', 'status', '--cluster', 'kvm-a', '--concurrency', '0')
    assert.equal(zero.code, 2)
    assert.deepEqual(await sim.requests(), [])
  })

  it('refuses an unknown host with exit 2 and sends no power action', async () => {
    const result = await moldctl('oobm', 'power', 'off', 'no-such-host', '--yes')
    assert.equal(result.code, 2)
    assert.match(result.stderr, /no host is named "no-such-host"/)
    assert.deepEqual(await mutating(), [])
  })

  it('never has more than --concurrency actions in flight, and does use them', async () => {
    // Jobs are held on the server until released, so the CLI must stop at 3 submissions.
    await sim.setFaults({stuckJobs: true})
    const running = spawnCli(['oobm', 'power', 'status', '--cluster', 'kvm-a', '--concurrency', '3'], {
      env: simEnv(sim),
    })
    for (let i = 0; i < 400 && oobmActionStats(sim.model).inFlight < 3; i++) await delay(25)
    assert.equal(oobmActionStats(sim.model).inFlight, 3)
    await delay(300)
    assert.equal(oobmActionStats(sim.model).total, 3, 'nothing more is submitted while 3 are in flight')
    await sim.clearFaults()
    const result = await running.done
    assert.equal(result.code, 4, result.stderr)
    assert.deepEqual(oobmActionStats(sim.model), {inFlight: 0, maxInFlight: 3, total: 7})
  })

  it('on Ctrl-C stops starting actions, prints the table and the jobs still running (exit 130)', async () => {
    await sim.setFaults({stuckJobs: true})
    const running = spawnCli(['oobm', 'power', 'status', '--cluster', 'kvm-a', '--concurrency', '2'], {
      env: simEnv(sim),
    })
    for (let i = 0; i < 400 && oobmActionStats(sim.model).inFlight < 2; i++) await delay(25)
    running.child.kill('SIGINT')
    const result = await running.done
    assert.equal(result.code, 130, result.stderr)
    // The actions in flight are not failures: they go on and their outcome is not known.
    assert.match(result.stdout, /kvm-a01 +STATUS +interrupted +On /)
    assert.doesNotMatch(result.stdout, / failed /)
    assert.match(
      result.stderr,
      /Interrupted kvm-a01: still running on the server \(job [\da-f-]{36}\); outcome unknown/,
    )
    assert.match(result.stderr, /Skipped \(not started: interrupted\): kvm-a03, kvm-a04/)
    assert.match(result.stderr, /STATUS: 0 ok, 0 failed, \d+ skipped, 2 interrupted \(still running\)/)
    assert.match(result.stderr, /interrupted: 2 power actions go on on the server/)
    assert.match(result.stderr, /moldctl job wait [\da-f-]{36}/)
    assert.equal(oobmActionStats(sim.model).total, 2)
  })

  it('after an interrupt, the progress line and the summary count the in-flight actions alike', async () => {
    // 24 hosts: plain progress lines (logs, cron) are printed for batches of 20 or more.
    const big = await startTestSim({
      topology: {
        seed: 'moldctl-oobm-interrupt',
        zones: [
          {
            name: 'zone-1',
            pods: [
              {
                clusters: [
                  {
                    hostcount: 24,
                    hosttemplate: {
                      oobm: {driver: 'ipmitool', enabled: true, powerstate: 'On'},
                    },
                    hypervisor: 'KVM',
                    name: 'big',
                    outofbandmanagementenabled: true,
                  },
                ],
                name: 'pod-1',
              },
            ],
          },
        ],
      },
    })
    try {
      await big.setFaults({stuckJobs: true})
      const running = spawnCli(['oobm', 'power', 'status', '--cluster', 'big', '--concurrency', '2'], {
        env: simEnv(big),
      })
      for (let i = 0; i < 400 && oobmActionStats(big.model).inFlight < 2; i++) await delay(25)
      running.child.kill('SIGTERM')
      const result = await running.done
      assert.equal(result.code, 143, result.stderr)
      // The last progress line says what the summary says.
      assert.match(
        result.stderr,
        /^STATUS 24\/24 {2}ok 0 {2}failed 0 {2}skipped 22 {2}interrupted 2 \(100%\)$/m,
      )
      assert.doesNotMatch(result.stderr, /failed [1-9]/)
      assert.match(
        result.stderr,
        /^STATUS: 0 ok, 0 failed, 22 skipped, 2 interrupted \(still running\) \(24 hosts\)$/m,
      )
      assert.match(result.stderr, /interrupted: 2 power actions go on on the server/)
      assert.match(
        result.stderr,
        /resume with: moldctl job wait [\da-f-]{36} {2}\(jobs: [\da-f-]{36} [\da-f-]{36}\)/,
      )
      assert.equal(oobmActionStats(big.model).total, 2)
    } finally {
      big.close()
    }
  })

  it("shows the guide's estimate for a batch larger than the pool", async () => {
    const result = await moldctl(
      'oobm',
      'power',
      'status',
      '--cluster',
      'kvm-a',
      '--concurrency',
      '2',
      '--timeout',
      '30',
    )
    assert.match(
      result.stderr,
      /7 hosts, 2 at a time: at most about 1 min 45 s \(7 hosts × 30 s action timeout \/ 2, the admin guide's estimate\)\./,
    )
    const calls = await mutating()
    assert.ok(calls.every((c) => c.params.timeout === '30'))
  })

  it('reads the action timeout setting for the estimate when --timeout is not given', async () => {
    const result = await moldctl('oobm', 'power', 'status', '--cluster', 'kvm-a', '--concurrency', '5')
    assert.match(result.stderr, /7 hosts × 60 s action timeout \/ 5/)
  })

  it('skips every host of a zone with OOBM disabled, and says nothing could be done (exit 1)', async () => {
    const result = await moldctl('oobm', 'power', 'status', '--zone', 'zone-2')
    assert.equal(result.code, 1)
    assert.match(result.stdout, /kvm-c01 +STATUS +skipped /)
    assert.match(
      result.stderr,
      /Skipped \(out-of-band management is disabled for the host's zone\): kvm-c01\n/,
    )
    assert.match(result.stderr, /no host could be acted on: every one was skipped/)
    assert.deepEqual(await mutating(), [])
  })

  it('prints the calls of a dry run and sends none', async () => {
    const result = await moldctl('oobm', 'power', 'cycle', '--cluster', 'kvm-a', '--dry-run')
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stdout,
      new RegExp(`issueOutOfBandManagementPowerAction action=CYCLE hostid=${host('kvm-a01').id}  # kvm-a01`),
    )
    assert.match(result.stdout, /# skipped kvm-a06: out-of-band management is not configured/)
    assert.match(result.stdout, /# dry run: 7 calls not sent/)
    assert.deepEqual(await mutating(), [])
  })

  it('records a power action whose submission the server refuses as failed, and goes on with the others', async () => {
    await sim.setFaults({
      failCommand: {
        command: 'issueOutOfBandManagementPowerAction',
        errorcode: 530,
        errortext: 'busy',
        times: 1,
      },
    })
    const result = await moldctl(
      'oobm',
      'power',
      'status',
      'kvm-a01',
      'kvm-a02',
      '--concurrency',
      '1',
      '--json',
    )
    assert.equal(result.code, 4)
    const rows = json<Row[]>(result)
    assert.equal(row(rows, 'kvm-a01').outcome, 'failed')
    assert.match(row(rows, 'kvm-a01').message, /busy/)
    assert.equal(row(rows, 'kvm-a02').outcome, 'ok')
  })

  it('keeps polling through transient errors while waiting for the jobs', async () => {
    await sim.setFaults({errorRate: 0.5, status: 503})
    const result = await moldctl('oobm', 'power', 'status', 'kvm-a01', 'kvm-a02', 'kvm-a09', '--json')
    assert.equal(result.code, 0, result.stderr)
    assert.ok(json<Row[]>(result).every((r) => r.outcome === 'ok'))
  })

  it('fails a job the server fails, with its text', async () => {
    await sim.setFaults({
      failCommand: {
        command: 'issueOutOfBandManagementPowerAction',
        errortext: 'driver exploded',
        inJob: true,
        times: 1,
      },
    })
    const rows = json<Row[]>(await moldctl('oobm', 'power', 'status', 'kvm-a01', '--json'))
    assert.deepEqual([rows[0].outcome, rows[0].message], ['failed', 'driver exploded'])
  })

  it('polls the jobs in flight together with listAsyncJobs, reading each outcome from the listing', async () => {
    const result = await moldctl('oobm', 'power', 'status', '--cluster', 'kvm-a', '--json')
    assert.equal(result.code, 4, result.stderr)
    const rows = json<Row[]>(result)
    assert.deepEqual(
      ['kvm-a01', 'kvm-a02', 'kvm-a03'].map((n) => [row(rows, n).outcome, row(rows, n).powerstate]),
      [
        ['ok', 'On'],
        ['ok', 'Off'],
        ['failed', 'Unknown'],
      ],
    )
    assert.match(row(rows, 'kvm-a03').message, /RAKP 2 HMAC is invalid/)
    const requests = await sim.requests()
    const actions = requests.filter((r) => r.command === 'issueOutOfBandManagementPowerAction').length
    // One listing before the batch looks for power actions already pending (by the command's class).
    const lookups = requests.filter((r) => r.command === 'listAsyncJobs' && r.params.keyword !== undefined)
    assert.deepEqual(
      lookups.map((r) => r.params.keyword),
      ['IssueOutOfBandManagementPowerActionCmd'],
    )
    const listings = requests.filter((r) => r.command === 'listAsyncJobs' && r.params.keyword === undefined)
    const queries = requests.filter((r) => r.command === 'queryAsyncJobResult').length
    assert.ok(listings.length > 0, 'no listAsyncJobs call')
    assert.ok(listings.every((r) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(r.params.startdate)))
    assert.ok(
      listings.every((r) => r.status === 200),
      'a listing was refused',
    )
    assert.equal(queries, 0, 'a job was queried alone though the listing had it')
    assert.ok(listings.length < actions, `${listings.length} listings for ${actions} actions`)
  })

  it('falls back to one queryAsyncJobResult per job when listAsyncJobs fails, with the same outcomes', async () => {
    await sim.setFaults({failCommand: {command: 'listAsyncJobs', errorcode: 530, errortext: 'nope'}})
    const result = await moldctl('oobm', 'power', 'status', 'kvm-a01', 'kvm-a02', 'kvm-a03', '--json')
    assert.equal(result.code, 4, result.stderr)
    const rows = json<Row[]>(result)
    assert.deepEqual(
      rows.map((r) => [r.name, r.outcome, r.powerstate]),
      [
        ['kvm-a01', 'ok', 'On'],
        ['kvm-a02', 'ok', 'Off'],
        ['kvm-a03', 'failed', 'Unknown'],
      ],
    )
    const requests = await sim.requests()
    assert.ok(requests.filter((r) => r.command === 'queryAsyncJobResult').length >= 3)
  })

  it('has help with the actions, the scopes and examples', async () => {
    const result = await runCli(['oobm', 'power', '--help'])
    assert.equal(result.code, 0)
    assert.match(result.stdout, /on, off, cycle, reset, soft or status/)
    assert.match(result.stdout, /--concurrency/)
    assert.match(result.stdout, /oobm power status --cluster kvm-cluster-1/)
  })
})
