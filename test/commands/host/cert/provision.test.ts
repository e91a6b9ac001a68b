import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {beforeEach, describe, it} from 'node:test'

import {smallTopology} from '../../../../src/sim/state/topology/presets.js'
import {type TopologySpec} from '../../../../src/sim/state/topology/spec.js'
import {json, makeHome, runCli, simEnv, spawnCli} from '../../../helpers/cli.js'
import {useSim} from '../../../helpers/sim.js'

/**
 * The small cloud plus kvm-cluster-2: kvm-b-01 healthy, kvm-b-02 whose agent scripts fail
 * (provisionCertificate answers success=false) and kvm-b-03 whose agent is disconnected.
 */
function topology(): TopologySpec {
  const spec = smallTopology()
  spec.zones[0].pods![0].clusters!.push({
    hosts: [
      {ipaddress: '10.10.2.1', name: 'kvm-b-01'},
      {certificatesetup: 'fail', details: {secured: 'false'}, ipaddress: '10.10.2.2', name: 'kvm-b-02'},
      {ipaddress: '10.10.2.3', name: 'kvm-b-03', state: 'Disconnected'},
    ],
    hypervisor: 'KVM',
    name: 'kvm-cluster-2',
  })
  return spec
}

interface Row {
  detail: string
  hostid: string
  jobid?: string
  name: string
  result: string
  secured?: string
}

let env: Record<string, string>
const sim = useSim(
  {topology: topology()},
  {
    async afterStart() {
      env = simEnv(sim)
    },
  },
)
const provisionCalls = async () => (await sim.requests()).filter((q) => q.command === 'provisionCertificate')

beforeEach(async () => {
  await sim.clearFaults()
  await sim.clearRequests()
})

describe('host cert provision', () => {
  it('provisions every host of a cluster, with progress and a summary table', async () => {
    const r = await runCli(
      ['host', 'cert', 'provision', '--cluster', 'kvm-cluster-1', '--reconnect', '--yes'],
      {env},
    )
    assert.equal(r.code, 0, r.stderr)
    const lines = r.stdout.trim().split('\n')
    assert.match(lines[0], /^HOST\s+IP\s+RESULT\s+SECURED\s+DETAIL$/)
    assert.equal(lines.length, 5)
    for (const name of ['kvm-host-01', 'kvm-host-02', 'kvm-host-03', 'kvm-host-04']) {
      assert.match(r.stdout, new RegExp(`${name}\\s+10\\.10\\.0\\.\\d+\\s+ok\\s+true\\s+provisioned`))
      assert.match(r.stderr, new RegExp(`${name}: provisioning`))
      assert.match(r.stderr, new RegExp(`${name}: done`))
    }

    const calls = await provisionCalls()
    assert.equal(calls.length, 4)
    for (const call of calls) {
      assert.equal(call.method, 'POST')
      assert.equal(call.params.reconnect, 'true')
    }
  })

  it('names hosts by name or IP and prints JSON with the job ids', async () => {
    const r = await runCli(['host', 'cert', 'provision', 'kvm-host-01', '10.10.0.12', '--yes', '--json'], {
      env,
    })
    assert.equal(r.code, 0, r.stderr)
    const rows = json<Row[]>(r)
    assert.deepEqual(
      rows.map((row) => [row.name, row.result, row.secured]),
      [
        ['kvm-host-01', 'ok', 'true'],
        ['kvm-host-02', 'ok', 'true'],
      ],
    )
    const calls = await provisionCalls()
    assert.equal(calls.length, 2)
    assert.equal(calls[0].params.reconnect, undefined, 'reconnect left to the server unless asked')
    for (const row of rows) assert.match(row.jobid!, /^[\da-f-]{36}$/)
  })

  it('writes each provisioning to the audit log, with its job and outcome', async () => {
    const home = makeHome()
    try {
      const r = await runCli(['host', 'cert', 'provision', 'kvm-host-03', '--yes'], {env, home})
      assert.equal(r.code, 0, r.stderr)
      const lines = readFileSync(path.join(home.dataDir, 'audit.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      const hostid = sim.model.state.hosts.find((h) => h.name === 'kvm-host-03')!.id
      assert.deepEqual(
        lines.map((l) => [l.command, l.outcome]),
        [
          ['provisionCertificate', 'submitted'],
          ['provisionCertificate', 'job-succeeded'],
          // The run's own record (docs/audit.md).
          ['host:cert:provision', undefined],
        ],
      )
      assert.equal(lines[0].params.hostid, hostid)
      assert.equal(lines[0].jobid, lines[1].jobid)
    } finally {
      home.remove()
    }
  })

  it('exits 4 when some hosts fail: the agent failure and the disconnected host are reported', async () => {
    const r = await runCli(['host', 'cert', 'provision', '--cluster', 'kvm-cluster-2', '--yes'], {
      env: {...env, COLUMNS: '250'},
    })
    assert.equal(r.code, 4, r.stderr)
    assert.match(r.stdout, /kvm-b-01\s+10\.10\.2\.1\s+ok\s+true\s+provisioned/)
    assert.match(r.stdout, /kvm-b-02\s+10\.10\.2\.2\s+failed\s+the agent could not set up its keystore/)
    assert.match(
      r.stdout,
      /kvm-b-03\s+10\.10\.2\.3\s+skipped\s+the agent is Disconnected; provisioning needs a connected \(Up\) agent/,
    )
    assert.match(r.stderr, /2 of 3 hosts were not provisioned: kvm-b-02, kvm-b-03/)
    // The disconnected host was never sent a request.
    const id = (name: string) => sim.model.state.hosts.find((h) => h.name === name)!.id
    assert.deepEqual(
      (await provisionCalls()).map((c) => c.params.hostid).sort(),
      [id('kvm-b-01'), id('kvm-b-02')].sort(),
    )
  })

  it('prints the partial result as JSON too, still exiting 4', async () => {
    const r = await runCli(['host', 'cert', 'provision', '--cluster', 'kvm-cluster-2', '--yes', '--json'], {
      env,
    })
    assert.equal(r.code, 4, r.stderr)
    assert.deepEqual(
      json<Row[]>(r).map((row) => [row.name, row.result]),
      [
        ['kvm-b-01', 'ok'],
        ['kvm-b-02', 'failed'],
        ['kvm-b-03', 'skipped'],
      ],
    )
  })

  it('exits 1 when every host fails, showing the server text of a failed job', async () => {
    await sim.setFaults({
      failCommand: {
        command: 'provisionCertificate',
        errortext: 'Failed to deploy certificate on the agent',
        inJob: true,
      },
    })
    const r = await runCli(['host', 'cert', 'provision', 'kvm-host-03', '--yes'], {env})
    assert.equal(r.code, 1)
    assert.match(r.stdout, /kvm-host-03\s+10\.10\.0\.13\s+failed\s+Failed to deploy certificate/)
    assert.match(r.stderr, /no certificate was provisioned \(kvm-host-03\)/)
  })

  it('sends a refused request once and reports it', async () => {
    await sim.setFaults({
      failCommand: {command: 'provisionCertificate', errorcode: 530, errortext: 'busy', times: 1},
    })
    const r = await runCli(['host', 'cert', 'provision', 'kvm-host-04', '--yes', '--json'], {env})
    assert.equal(r.code, 1)
    assert.equal(json<Row[]>(r)[0].detail, 'busy')
    assert.equal((await provisionCalls()).length, 1)
  })

  it('exits 5 with the job to watch when waiting times out', async () => {
    await sim.setFaults({stuckJobs: true})
    const r = await runCli(['host', 'cert', 'provision', 'kvm-host-01', '--yes', '--timeout', '1'], {env})
    assert.equal(r.code, 5, r.stderr)
    assert.match(r.stderr, /kvm-host-01: moldctl job wait [\da-f-]{36}/)
  })

  it('Ctrl-C stops waiting, cancels nothing and prints the jobs to watch (exit 130)', async () => {
    await sim.setFaults({stuckJobs: true})
    const {child, done} = spawnCli(['host', 'cert', 'provision', 'kvm-host-01', 'kvm-host-02', '--yes'], {
      env,
    })
    let stderr = ''
    let interrupted = false
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (!interrupted && (stderr.match(/: provisioning/g) ?? []).length === 2) {
        interrupted = true
        child.kill('SIGINT')
      }
    })
    const r = await done
    assert.equal(r.code, 130, r.stderr)
    assert.match(r.stderr, /kvm-host-01: moldctl job wait [\da-f-]{36}/)
    assert.match(r.stderr, /kvm-host-02: moldctl job wait [\da-f-]{36}/)
    const jobs = (await sim.call('listAsyncJobs')).body.listasyncjobsresponse.asyncjobs
    assert.ok(
      jobs.filter(
        (j: {cmd: string; jobstatus: number}) =>
          j.cmd.endsWith('ProvisionCertificateCmd') && j.jobstatus === 0,
      ).length >= 2,
    )
  })

  it('asks for confirmation: without a terminal and without --yes it changes nothing (exit 2)', async () => {
    const r = await runCli(['host', 'cert', 'provision', 'kvm-host-01'], {env})
    assert.equal(r.code, 2)
    assert.match(r.stderr, /agent and libvirtd restart/)
    assert.match(r.stderr, /add --yes/)
    assert.equal((await provisionCalls()).length, 0)
  })

  it('--dry-run prints the calls and makes none', async () => {
    const r = await runCli(
      ['host', 'cert', 'provision', '--cluster', 'kvm-cluster-2', '--dry-run', '--reconnect'],
      {env},
    )
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /provisionCertificate hostid=[\da-f-]{36} reconnect=true {2}# kvm-b-01/)
    assert.match(r.stderr, /would skip kvm-b-03: the agent is Disconnected/)
    assert.equal((await provisionCalls()).length, 0)
  })

  describe('bad input changes nothing (exit 2)', () => {
    const cases: Array<[string, string[], RegExp]> = [
      [
        'a XenServer host',
        ['kvm-host-01', 'xen-host-01'],
        /KVM hosts only; not KVM:[\s\S]*xen-host-01 \(XenServer\)/,
      ],
      ['a XenServer cluster', ['--cluster', 'xen-cluster-1'], /cluster xen-cluster-1 is XenServer/],
      ['an unknown host', ['no-such-host'], /no host is named "no-such-host"/],
      ['an unknown cluster', ['--cluster', 'nope'], /no cluster is named "nope"/],
      [
        'hosts and --cluster',
        ['kvm-host-01', '--cluster', 'kvm-cluster-1'],
        /give hosts or --cluster, not both/,
      ],
      ['nothing', [], /no host given/],
      ['a bad concurrency', ['kvm-host-01', '--concurrency', '0'], /concurrency/],
    ]
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const r = await runCli(['host', 'cert', 'provision', ...args, '--yes'], {env})
        assert.equal(r.code, 2, r.stderr)
        assert.match(r.stderr, message)
        assert.equal((await provisionCalls()).length, 0)
      })
    }
  })
})
