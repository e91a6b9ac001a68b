import assert from 'node:assert/strict'
import {afterEach, describe, it} from 'node:test'

import {json, runCli, simEnv, spawnCli} from '../../../helpers/cli.js'
import {type LoggedRequest, startTestSim, type TestSim} from '../../../helpers/sim.js'

/* `host maintenance enter|cancel|status` through the built CLI against the simulator. */

let sim: TestSim | undefined

async function freshSim(speed = 20_000): Promise<TestSim> {
  sim = await startTestSim({speed})
  return sim
}

describe('host maintenance commands', () => {
  afterEach(async () => {
    await sim?.close()
    sim = undefined
  })

  const READ = /^(list|query)/

  function mutating(log: LoggedRequest[]): string[] {
    return log.map((r) => r.command ?? '').filter((c) => c && !READ.test(c))
  }

  function host(s: TestSim, name: string) {
    const found = s.model.state.hosts.find((h) => h.name === name)
    assert.ok(found, `no host ${name}`)
    return found
  }

  function cli(s: TestSim, args: string[], extra: Record<string, string> = {}) {
    return runCli(args, {env: {...simEnv(s), ...extra}})
  }

  describe('host maintenance enter', () => {
    it('drains a host with VMs and waits until it is in Maintenance', async () => {
      const s = await freshSim(200)
      const kvm1 = host(s, 'kvm-host-01')
      const before = s.model.vmsOnHost(kvm1.id).length
      assert.ok(before > 0)
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /kvm-host-01 {2}PrepareForMaintenance {2}\d+ VMs? left: /)
      assert.match(result.stderr, /kvm-host-01 {2}Maintenance {2}no VMs left/)
      assert.match(result.stdout, /kvm-host-01.*Maintenance/)
      assert.equal(kvm1.resourceState, 'Maintenance')
      assert.equal(s.model.vmsOnHost(kvm1.id).filter((vm) => vm.state === 'Running').length, 0)
      assert.deepEqual(mutating(await s.requests()), ['prepareHostForMaintenance'])
    })

    it('prints the hosts as JSON with the job id', async () => {
      const s = await freshSim()
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-02', '--json'])
      assert.equal(result.code, 0, result.stderr)
      const [out] = json<Array<Record<string, string>>>(result)
      assert.equal(out.name, 'kvm-host-02')
      assert.equal(out.resourcestate, 'Maintenance')
      assert.match(out.jobid, /^[\da-f-]{36}$/)
    })

    it('drains several hosts of one cluster one after another', async () => {
      const s = await freshSim()
      // Room for both hosts' VMs on the other two (by default only one host can be drained).
      for (const name of ['kvm-host-03', 'kvm-host-04']) host(s, name).cpuNumber = 32
      // The server refuses a second host of a cluster while one is preparing, so success proves the order.
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01', 'kvm-host-02', '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(
        json<Array<{resourcestate: string}>>(result).map((h) => h.resourcestate),
        ['Maintenance', 'Maintenance'],
      )
      assert.match(result.stderr, /Draining 2 hosts one after another: kvm-host-01, kvm-host-02/)
      assert.deepEqual(mutating(await s.requests()), [
        'prepareHostForMaintenance',
        'prepareHostForMaintenance',
      ])
    })

    it('waits first for a host of the cluster already preparing, then drains the next', async () => {
      const s = await freshSim(25)
      host(s, 'kvm-host-04').cpuNumber = 32
      const started = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01', '--no-wait'])
      assert.equal(started.code, 0, started.stderr)
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-03', 'kvm-host-01', '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /kvm-host-01 is already preparing for maintenance; waiting for it/)
      assert.deepEqual(
        json<Array<{name: string; resourcestate: string}>>(result).map((h) => [h.name, h.resourcestate]),
        [
          ['kvm-host-01', 'Maintenance'],
          ['kvm-host-03', 'Maintenance'],
        ],
      )
      assert.deepEqual(mutating(await s.requests()), [
        'prepareHostForMaintenance',
        'prepareHostForMaintenance',
      ])
    })

    it('is a success without any call for a host already in Maintenance', async () => {
      const s = await freshSim()
      host(s, 'kvm-host-03').resourceState = 'Maintenance'
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-03'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /already in maintenance/)
      assert.deepEqual(mutating(await s.requests()), [])
    })

    it('returns the job id at once with --no-wait', async () => {
      const s = await freshSim(50)
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01', '--no-wait', '--json'])
      assert.equal(result.code, 0, result.stderr)
      const [out] = json<Array<Record<string, string>>>(result)
      assert.match(out.jobid, /^[\da-f-]{36}$/)
      assert.match(result.stderr, /moldctl job wait [\da-f-]{36}/)
      assert.notEqual(host(s, 'kvm-host-01').resourceState, 'Maintenance')
    })

    it('refuses --no-wait for two hosts of one cluster before any call', async () => {
      const s = await freshSim()
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01', 'kvm-host-02', '--no-wait'])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /--no-wait cannot start two hosts of cluster kvm-cluster-1/)
      assert.deepEqual(mutating(await s.requests()), [])
    })

    it('refuses an unknown host (exit 2, no change)', async () => {
      const s = await freshSim()
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01', 'no-such-host'])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /no host is named "no-such-host"/)
      assert.deepEqual(mutating(await s.requests()), [])
    })

    it('refuses a Disabled host, saying how to go on (exit 2, no change)', async () => {
      const s = await freshSim()
      host(s, 'kvm-host-04').resourceState = 'Disabled'
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-04'])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /kvm-host-04 is Disabled/)
      assert.match(result.stderr, /moldctl host enable kvm-host-04/)
      assert.deepEqual(mutating(await s.requests()), [])
    })

    it('refuses while another host of the cluster is draining', async () => {
      const s = await freshSim()
      host(s, 'kvm-host-02').resourceState = 'PrepareForMaintenance'
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01'])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /kvm-host-02 of cluster kvm-cluster-1 is in PrepareForMaintenance/)
      assert.deepEqual(mutating(await s.requests()), [])
    })

    it('stops before any change when the other hosts cannot hold the VMs', async () => {
      const s = await freshSim()
      const db = s.model.state.vms.find((vm) => vm.name === 'db-01')!
      db.memory = 200 * 1024
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01'])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /cannot take all the VMs; nothing was changed/)
      assert.match(result.stderr, /db-01 on kvm-host-01 fits on no other host: needs 4×2000 MHz, 200 GiB/)
      assert.match(result.stderr, /--force/)
      assert.deepEqual(mutating(await s.requests()), [])
    })

    it('with --force lets the server try, and reports ErrorInPrepareForMaintenance with the VMs left', async () => {
      const s = await freshSim(5000)
      s.model.state.vms.find((vm) => vm.name === 'db-01')!.memory = 200 * 1024
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01', '--force'])
      assert.equal(result.code, 1, result.stderr)
      assert.match(result.stderr, /warning \(--force\): db-01/)
      assert.match(
        result.stderr,
        /kvm-host-01 is in ErrorInPrepareForMaintenance: some VMs could not be migrated/,
      )
      assert.match(result.stderr, /still on kvm-host-01: db-01/)
      assert.match(result.stderr, /why db-01 stays: needs 4×2000 MHz, 200 GiB/)
      assert.match(result.stderr, /moldctl host maintenance cancel kvm-host-01/)
    })

    it("reports a failed job with the server's reason and names the hosts not started", async () => {
      const s = await freshSim()
      await s.setFaults({
        failCommand: {
          command: 'prepareHostForMaintenance',
          errortext: 'Failed to prepare host for maintenance due to: agent busy',
          inJob: true,
          times: 1,
        },
      })
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01', 'xen-host-01'])
      assert.equal(result.code, 1)
      assert.match(
        result.stderr,
        /kvm-host-01: the server could not start maintenance \(job [\da-f-]+\): Failed to prepare host for maintenance due to: agent busy/,
      )
      assert.match(result.stderr, /not started: xen-host-01/)
      assert.deepEqual(mutating(await s.requests()), ['prepareHostForMaintenance'])
    })

    it('does not repeat the mutating call when the server answers it with an error', async () => {
      const s = await freshSim()
      await s.setFaults({
        failCommand: {
          command: 'prepareHostForMaintenance',
          errorcode: 530,
          errortext: 'Internal error',
          times: 1,
        },
      })
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01'])
      assert.equal(result.code, 1)
      assert.match(result.stderr, /Internal error/)
      assert.deepEqual(mutating(await s.requests()), ['prepareHostForMaintenance'])
    })

    it('keeps polling through server errors on the reads', async () => {
      const s = await freshSim(2000)
      await s.setFaults({errorRate: 0.3})
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-03'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(host(s, 'kvm-host-03').resourceState, 'Maintenance')
      assert.deepEqual(mutating(await s.requests()), ['prepareHostForMaintenance'])
    })

    it('goes on waiting while the server does not answer for a while', async () => {
      const s = await freshSim(40)
      const {child, done} = spawnCli(['host', 'maintenance', 'enter', 'kvm-host-01'], {env: simEnv(s)})
      let stderr = ''
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString()
      })
      const until = async (pattern: RegExp) => {
        for (let i = 0; i < 600 && !pattern.test(stderr); i++) {
          await new Promise((resolve) => {
            setTimeout(resolve, 25)
          })
        }
      }

      await until(/PrepareForMaintenance {2}\d+ VMs? left/)
      await s.setFaults({errorRate: 1})
      await until(/the server did not answer; still waiting/)
      await s.clearFaults()
      const result = await done
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /kvm-host-01: the server did not answer; still waiting/)
      assert.equal(host(s, 'kvm-host-01').resourceState, 'Maintenance')
    })

    it('times out with exit 5, printing the job id', async () => {
      const s = await freshSim()
      await s.setFaults({stuckJobs: true})
      const result = await cli(s, ['host', 'maintenance', 'enter', 'kvm-host-01', '--timeout', '1'])
      assert.equal(result.code, 5)
      assert.match(result.stderr, /timed out/)
      assert.match(result.stderr, /moldctl job wait [\da-f-]{36}/)
    })

    it('on Ctrl-C says how to resume and leaves the drain running (exit 130)', async () => {
      const s = await freshSim(20)
      const {child, done} = spawnCli(['host', 'maintenance', 'enter', 'kvm-host-01', 'xen-host-01'], {
        env: simEnv(s),
      })
      let stderr = ''
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString()
      })
      for (let i = 0; i < 400 && !/PrepareForMaintenance {2}\d+ VMs? left/.test(stderr); i++) {
        await new Promise((resolve) => {
          setTimeout(resolve, 25)
        })
      }

      child.kill('SIGINT')
      const result = await done
      assert.equal(result.code, 130, result.stderr)
      assert.match(
        result.stderr,
        /stopped waiting; kvm-host-01 goes on draining on the server \(job [\da-f-]+\)/,
      )
      assert.match(result.stderr, /resume with: moldctl host maintenance enter kvm-host-01 xen-host-01/)
      assert.equal(host(s, 'kvm-host-01').resourceState, 'PrepareForMaintenance')
      assert.deepEqual(mutating(await s.requests()), ['prepareHostForMaintenance'])
    })

    it("reminds about vCenter's maintenance mode for VMware hosts, on enter and on cancel", async () => {
      const s = await freshSim()
      const esx = host(s, 'xen-host-01')
      for (const h of s.model.hostsInCluster(esx.clusterId)) h.hypervisor = 'VMware'
      s.model.clusters.get(esx.clusterId)!.hypervisor = 'VMware'
      const entered = await cli(s, ['host', 'maintenance', 'enter', 'xen-host-01'])
      assert.equal(entered.code, 0, entered.stderr)
      assert.match(
        entered.stderr,
        /VMware host\. Mold's maintenance mode does not put it in vCenter's maintenance mode/,
      )
      assert.match(entered.stderr, /first exit\s+vCenter's maintenance mode, then cancel Mold's/)
      const cancelled = await cli(s, ['host', 'maintenance', 'cancel', 'xen-host-01'])
      assert.equal(cancelled.code, 0, cancelled.stderr)
      assert.match(cancelled.stderr, /exit vCenter's maintenance mode first, then cancel\s+Mold's/)
    })
  })

  describe('host maintenance cancel', () => {
    it('brings a host in Maintenance back to Enabled', async () => {
      const s = await freshSim()
      host(s, 'kvm-host-04').resourceState = 'Maintenance'
      const result = await cli(s, ['host', 'maintenance', 'cancel', 'kvm-host-04', '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(json<Array<{resourcestate: string}>>(result)[0].resourcestate, 'Enabled')
      assert.deepEqual(mutating(await s.requests()), ['cancelHostMaintenance'])
    })

    it('is a success without a call for an Enabled host', async () => {
      const s = await freshSim()
      const result = await cli(s, ['host', 'maintenance', 'cancel', 'kvm-host-01'])
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /already Enabled/)
      assert.deepEqual(mutating(await s.requests()), [])
    })

    it('refuses a host that is not in maintenance, and unknown hosts, before any call', async () => {
      const s = await freshSim()
      host(s, 'kvm-host-02').resourceState = 'Disabled'
      host(s, 'kvm-host-03').resourceState = 'Maintenance'
      const refused = await cli(s, ['host', 'maintenance', 'cancel', 'kvm-host-03', 'kvm-host-02'])
      assert.equal(refused.code, 2)
      assert.match(refused.stderr, /kvm-host-02 is Disabled, not in maintenance/)
      const unknown = await cli(s, ['host', 'maintenance', 'cancel', 'nope'])
      assert.equal(unknown.code, 2)
      assert.deepEqual(mutating(await s.requests()), [])
      assert.equal(host(s, 'kvm-host-03').resourceState, 'Maintenance')
    })

    it('reports a failed cancel job', async () => {
      const s = await freshSim()
      host(s, 'kvm-host-04').resourceState = 'Maintenance'
      await s.setFaults({
        failCommand: {
          command: 'cancelHostMaintenance',
          errortext: 'Internal error cancelling maintenance.',
          inJob: true,
        },
      })
      const result = await cli(s, ['host', 'maintenance', 'cancel', 'kvm-host-04'])
      assert.equal(result.code, 1)
      assert.match(
        result.stderr,
        /kvm-host-04: the server could not cancel maintenance \(job [\da-f-]+\): Internal error cancelling maintenance\./,
      )
    })
  })

  describe('host maintenance status', () => {
    it('lists hosts in a maintenance state with the VMs still on them', async () => {
      const s = await freshSim()
      host(s, 'kvm-host-02').resourceState = 'ErrorInMaintenance'
      const all = await cli(s, ['host', 'maintenance', 'status', '--json'])
      assert.equal(all.code, 0, all.stderr)
      const rows = json<Array<{name: string; virtualmachine: Array<{name: string}>}>>(all)
      assert.deepEqual(
        rows.map((r) => r.name),
        ['kvm-host-02'],
      )
      assert.ok(rows[0].virtualmachine.some((vm) => vm.name === 'app-01'))
      const cluster = await cli(s, ['host', 'maintenance', 'status', '--cluster', 'kvm-cluster-1'])
      assert.equal(cluster.code, 0, cluster.stderr)
      assert.match(cluster.stdout, /kvm-host-01/)
      assert.match(cluster.stdout, /kvm-host-02.*ErrorInMaintenance/)
      const none = await cli(s, [
        'host',
        'maintenance',
        'status',
        'kvm-host-01',
        '--cluster',
        'kvm-cluster-1',
      ])
      assert.equal(none.code, 2)
    })
  })
})
