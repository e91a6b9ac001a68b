import assert from 'node:assert/strict'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, it} from 'node:test'

import {type CliHome, json, makeHome, ROOT, runCli, simEnv, spawnCli} from '../../helpers/cli.js'
import {type LoggedRequest, startTestSim, type TestSim} from '../../helpers/sim.js'
import {runInTerminal} from '../../helpers/tty.js'

/*
 * `cluster roll` end to end: the built CLI against the simulator, a real shell command per host
 * (test/helpers/reboot-host.mjs, which reboots the simulated host through /sim/hosts/<id>/reboot).
 */

const SCRIPT = path.join(ROOT, 'test', 'helpers', 'reboot-host.mjs')
const READ = /^(list|query)/

let sim: TestSim | undefined
let home: CliHome | undefined

async function startRoll(speed = 1000): Promise<{home: CliHome; s: TestSim}> {
  sim = await startTestSim({speed})
  home = makeHome()
  return {home, s: sim}
}

function patchCommand(s: TestSim, extra = ''): string {
  return `${process.execPath} ${SCRIPT} ${s.hooksUrl} --down 60s --version 5.14.0-503.el9.x86_64 ${extra}`.trim()
}

function cli(s: TestSim, h: CliHome, args: string[], env: Record<string, string> = {}) {
  return runCli(args, {
    env: {...simEnv(s), COLUMNS: '250', ROLL_EXEC_LOG: path.join(h.root, 'exec.log'), ...env},
    home: h,
  })
}

function hostOf(s: TestSim, name: string) {
  const found = s.model.state.hosts.find((h) => h.name === name)
  assert.ok(found, `no host ${name}`)
  return found
}

function mutating(log: LoggedRequest[]): LoggedRequest[] {
  return log.filter((r) => r.command && !READ.test(r.command))
}

function execRuns(h: CliHome): string[] {
  try {
    return readFileSync(path.join(h.root, 'exec.log'), 'utf8').trim().split('\n').filter(Boolean)
  } catch {
    return []
  }
}

/**
 * Replays the request log: every host entered maintenance once and left it once, and no host
 * entered while another of its cluster was between its prepare and its cancel.
 */
function assertOneAtATime(s: TestSim, log: LoggedRequest[], expectedHosts: string[]): void {
  const clusterOf = (id: string) => s.model.hosts.get(id)!.clusterId
  const open = new Map<string, string>()
  const prepared: string[] = []
  const cancelled: string[] = []
  for (const r of mutating(log)) {
    const {id} = r.params
    if (r.command === 'prepareHostForMaintenance') {
      const other = [...open.entries()].find(([host, cluster]) => host !== id && cluster === clusterOf(id))
      assert.equal(other, undefined, `${id} entered maintenance while ${other?.[0]} of its cluster was in it`)
      open.set(id, clusterOf(id))
      prepared.push(id)
    }

    if (r.command === 'cancelHostMaintenance') {
      open.delete(id)
      cancelled.push(id)
    }
  }

  const ids = expectedHosts.map((n) => hostOf(s, n).id)
  assert.deepEqual([...prepared].sort(), [...ids].sort(), 'each host submitted to maintenance exactly once')
  assert.deepEqual([...cancelled].sort(), [...ids].sort(), 'each host taken out of maintenance exactly once')
}

function runIdOf(stderr: string): string {
  const match = /cluster roll --resume (\S+)/.exec(stderr) ?? /Roll (\S+) \(state/.exec(stderr)
  assert.ok(match, `no run id in:\n${stderr}`)
  return match[1]
}

async function waitFor(text: () => string, pattern: RegExp, what: string): Promise<void> {
  for (let i = 0; i < 800 && !pattern.test(text()); i++) {
    await new Promise((resolve) => {
      setTimeout(resolve, 25)
    })
  }

  assert.match(text(), pattern, `never saw ${what}`)
}

const KVM = ['kvm-host-01', 'kvm-host-02', 'kvm-host-03', 'kvm-host-04']

describe('cluster roll', () => {
  afterEach(async () => {
    await sim?.close()
    home?.remove()
    sim = undefined
    home = undefined
  })

  it('rolls every host of a cluster: drain, command, reboot, cancel, VMs back, checked', async () => {
    const {home: h, s} = await startRoll()
    const before = new Map(
      s.model.state.vms.filter((vm) => vm.state === 'Running').map((vm) => [vm.id, vm.hostId]),
    )
    const out = path.join(h.root, 'reports')
    const result = await cli(s, h, [
      'cluster',
      'roll',
      'kvm-cluster-1',
      '--exec',
      patchCommand(s),
      '--migrate-back',
      '--output-dir',
      out,
      '--yes',
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    const report = json<{
      hosts: Array<Record<string, string>>
      id: string
      stateFile: string
      status: string
    }>(result)
    assert.equal(report.status, 'done')
    assert.deepEqual(
      report.hosts.map((r) => [r.host, r.result, r.exit]),
      KVM.map((n) => [n, 'rolled', 0]),
    )
    for (const row of report.hosts)
      assert.equal(row.version, '5.14.0-427.13.1.el9_4.x86_64 → 5.14.0-503.el9.x86_64')
    for (const name of KVM) {
      const host = hostOf(s, name)
      assert.equal(host.status, 'Up')
      assert.equal(host.resourceState, 'Enabled')
      assert.equal(host.details['Host.OS.Kernel.Version'], '5.14.0-503.el9.x86_64')
    }

    // Every VM that was running is back on its host.
    for (const [id, hostId] of before) assert.equal(s.model.vms.get(id)!.hostId, hostId)
    assert.deepEqual(
      execRuns(h),
      KVM.map((n, i) => `${n} 10.10.0.${11 + i}`),
    )
    const log = await s.requests()
    assertOneAtATime(s, log, KVM)
    const onKvm = [...before.values()].filter((hostId) => KVM.some((n) => hostOf(s, n).id === hostId)).length
    assert.equal(mutating(log).filter((r) => r.command === 'migrateVirtualMachine').length, onKvm)
    // Per host files, and the state file private to the user.
    assert.deepEqual(readdirSync(out).sort(), KVM.flatMap((n) => [`${n}.json`, `${n}.log`]).sort())
    assert.match(
      readFileSync(path.join(out, 'kvm-host-02.log'), 'utf8'),
      /patching kvm-host-02 \(KVM, cluster kvm-cluster-1\)/,
    )
    assert.equal(statSync(report.stateFile).mode & 0o777, 0o600)
    assert.match(
      result.stderr,
      /kvm-host-01: rolled \(5\.14\.0-427\.13\.1\.el9_4\.x86_64 → 5\.14\.0-503\.el9\.x86_64\)/,
    )
  })

  it('prints the report as a table and time-stamped progress lines without a terminal', async () => {
    // At a tenth of the default speed a drain lasts about a second, so the wait's first look
    // sees it under way even on a loaded machine (at 1000× it could end before the first look).
    const {home: h, s} = await startRoll(100)
    const result = await cli(s, h, ['cluster', 'roll', 'xen-cluster-1', '--exec', patchCommand(s), '--yes'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /HOST\s+CLUSTER\s+RESULT\s+START\s+END\s+DRAIN\s+COMMAND\s+REBOOT/)
    assert.match(result.stdout, /xen-host-01\s+xen-cluster-1\s+rolled/)
    assert.match(result.stdout, /8\.2\.1 → 5\.14\.0-503\.el9\.x86_64/)
    assert.match(
      result.stderr,
      /^\d\d:\d\d:\d\d xen-cluster-1 {2}xen-host-01 \(1\/2\) {2}drain {2}PrepareForMaintenance/m,
    )
    assert.match(result.stderr, /^\d\d:\d\d:\d\d xen-host-02 \| patching xen-host-02/m)
    assert.equal(hostOf(s, 'xen-host-01').hypervisorVersion, '5.14.0-503.el9.x86_64')
  })

  it('stops after the canary without a terminal (exit 0, resume command), then resumes the rest', async () => {
    const {home: h, s} = await startRoll()
    const first = await cli(s, h, [
      'cluster',
      'roll',
      'kvm-cluster-1',
      '--exec',
      patchCommand(s),
      '--canary',
      '1',
      '--yes',
    ])
    assert.equal(first.code, 0, first.stderr)
    assert.match(first.stderr, /Stopped after the canary; go on with: moldctl cluster roll --resume \S+/)
    assert.deepEqual(execRuns(h), ['kvm-host-01 10.10.0.11'])
    assert.match(first.stdout, /kvm-host-02\s+kvm-cluster-1\s+not started/)
    const id = runIdOf(first.stderr)
    const second = await cli(s, h, ['cluster', 'roll', '--resume', id, '--json'])
    assert.equal(second.code, 0, second.stderr)
    assert.equal(json<{status: string}>(second).status, 'done')
    assert.deepEqual(
      execRuns(h).map((l) => l.split(' ')[0]),
      KVM,
    )
    assertOneAtATime(s, await s.requests(), KVM)
  })

  it('a failed command leaves its host in maintenance, stops with its output, and says how to go on', async () => {
    const {home: h, s} = await startRoll()
    const result = await cli(s, h, [
      'cluster',
      'roll',
      'kvm-cluster-1',
      '--exec',
      patchCommand(s, '--fail-on kvm-host-02'),
      '--yes',
    ])
    assert.equal(result.code, 1, result.stderr)
    assert.match(
      result.stderr,
      /the command on kvm-host-02 failed \(exit 3\); kvm-host-02 stays in maintenance/,
    )
    assert.match(result.stderr, /\| Error: Failed to download metadata for repo baseos/)
    assert.match(result.stderr, /\| dnf exited with status 1/)
    assert.match(result.stderr, /--rerun-exec/)
    assert.match(result.stderr, /moldctl host maintenance cancel kvm-host-02/)
    assert.equal(hostOf(s, 'kvm-host-02').resourceState, 'Maintenance')
    assert.match(result.stdout, /kvm-host-02\s+kvm-cluster-1\s+failed in exec/)
    const prepared = mutating(await s.requests()).filter((r) => r.command === 'prepareHostForMaintenance')
    assert.deepEqual(
      prepared.map((r) => r.params.id),
      ['kvm-host-01', 'kvm-host-02'].map((n) => hostOf(s, n).id),
    )

    // A resume does not run a failed command again by itself...
    const id = runIdOf(result.stderr)
    await s.clearRequests()
    const refused = await cli(s, h, ['cluster', 'roll', '--resume', id])
    assert.equal(refused.code, 2, refused.stderr)
    assert.match(refused.stderr, /the command on kvm-host-02 failed \(exit 3\)/)
    assert.deepEqual(mutating(await s.requests()), [])
    // ...only when asked to; the host in maintenance is not submitted again.
    const rerun = await cli(s, h, ['cluster', 'roll', '--resume', id, '--rerun-exec'], {ROLL_FIXED: '1'})
    assert.equal(rerun.code, 0, rerun.stderr)
    const again = mutating(await s.requests())
    assert.equal(
      again.filter(
        (r) => r.params.id === hostOf(s, 'kvm-host-02').id && r.command === 'prepareHostForMaintenance',
      ).length,
      0,
    )
    assert.deepEqual(
      execRuns(h).map((l) => l.split(' ')[0]),
      ['kvm-host-01', 'kvm-host-02', 'kvm-host-02', 'kvm-host-03', 'kvm-host-04'],
    )
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const code = signal === 'SIGINT' ? 130 : 143
    it(`${signal} mid-drain keeps the state; --resume goes on without a second submission (exit ${code})`, async () => {
      const {home: h, s} = await startRoll(100)
      const {child, done} = spawnCli(
        [
          'cluster',
          'roll',
          'kvm-cluster-1',
          '--skip',
          'kvm-host-03',
          '--skip',
          'kvm-host-04',
          '--exec',
          patchCommand(s),
          '--yes',
        ],
        {env: {...simEnv(s), ROLL_EXEC_LOG: path.join(h.root, 'exec.log')}, home: h},
      )
      let stderr = ''
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString()
      })
      await waitFor(() => stderr, /kvm-host-01 \(1\/2\) {2}drain {2}PrepareForMaintenance/, 'the drain')
      child.kill(signal)
      const stopped = await done
      assert.equal(stopped.code, code, stopped.stderr)
      assert.match(
        stopped.stderr,
        /roll \S+ stopped: stopped waiting; kvm-host-01 goes on draining on the server/,
      )
      assert.match(stopped.stderr, /resume with: moldctl cluster roll --resume \S+/)
      assert.equal(hostOf(s, 'kvm-host-01').resourceState, 'PrepareForMaintenance')
      assert.deepEqual(execRuns(h), [])
      const resumed = await cli(s, h, ['cluster', 'roll', '--resume', runIdOf(stopped.stderr)])
      assert.equal(resumed.code, 0, resumed.stderr)
      assertOneAtATime(s, await s.requests(), ['kvm-host-01', 'kvm-host-02'])
      assert.deepEqual(
        execRuns(h).map((l) => l.split(' ')[0]),
        ['kvm-host-01', 'kvm-host-02'],
      )
    })

    it(`${signal} mid-command stops the command; a resume runs it again only with --rerun-exec (exit ${code})`, async () => {
      const {home: h, s} = await startRoll()
      const {child, done} = spawnCli(
        ['cluster', 'roll', 'xen-cluster-1', '--exec', patchCommand(s, '--sleep 20000'), '--yes'],
        {env: {...simEnv(s), ROLL_EXEC_LOG: path.join(h.root, 'exec.log')}, home: h},
      )
      let stderr = ''
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString()
      })
      await waitFor(() => stderr, /xen-host-01 \| started a long update/, 'the command')
      child.kill(signal)
      const stopped = await done
      assert.equal(stopped.code, code, stopped.stderr)
      assert.equal(hostOf(s, 'xen-host-01').resourceState, 'Maintenance')
      assert.equal(
        hostOf(s, 'xen-host-01').status,
        'Up',
        'the command was stopped before it rebooted the host',
      )
      const id = runIdOf(stopped.stderr)
      const refused = await cli(s, h, ['cluster', 'roll', '--resume', id])
      assert.equal(refused.code, 2, refused.stderr)
      assert.match(refused.stderr, /was interrupted while it ran and may have done part of its work/)
      // The resumed roll uses the run's own command; make it quick by telling the helper not to sleep.
      const resumed = await cli(s, h, ['cluster', 'roll', '--resume', id, '--rerun-exec'], {
        ROLL_NO_SLEEP: '1',
      })
      assert.equal(resumed.code, 0, resumed.stderr)
      assertOneAtATime(s, await s.requests(), ['xen-host-01', 'xen-host-02'])
      assert.deepEqual(
        execRuns(h).map((l) => l.split(' ')[0]),
        ['xen-host-01', 'xen-host-01', 'xen-host-02'],
      )
    })
  }

  it('a host that does not come back ends in a timeout (exit 5) and stays in maintenance', async () => {
    const {home: h, s} = await startRoll()
    const result = await cli(s, h, [
      'cluster',
      'roll',
      'xen-cluster-1',
      '--exec',
      patchCommand(s).replace('--down 60s', '--down never'),
      '--up-timeout',
      '1s',
      '--yes',
    ])
    assert.equal(result.code, 5, result.stderr)
    assert.match(
      result.stderr,
      /xen-host-01 did not come back Up within --up-timeout \(0:01\); it is Disconnected, still in maintenance/,
    )
    assert.match(result.stderr, /moldctl oobm power status xen-host-01/)
    assert.equal(hostOf(s, 'xen-host-01').resourceState, 'Maintenance')
    assert.equal(mutating(await s.requests()).filter((r) => r.command === 'cancelHostMaintenance').length, 0)
  })

  it('a connection lost on a mutating call leaves the state true; the resume does not repeat the call', async () => {
    const {home: h, s} = await startRoll()
    await s.setFaults({dropCommand: {afterExecute: true, command: 'cancelHostMaintenance', times: 1}})
    const lost = await cli(s, h, ['cluster', 'roll', 'xen-cluster-1', '--exec', patchCommand(s), '--yes'])
    // The answer to a change that reached the server was lost: its outcome is unknown (exit 6).
    assert.equal(lost.code, 6, lost.stderr)
    assert.match(lost.stderr, /resume with: moldctl cluster roll --resume \S+/)
    await s.clearFaults()
    const resumed = await cli(s, h, ['cluster', 'roll', '--resume', runIdOf(lost.stderr)])
    assert.equal(resumed.code, 0, resumed.stderr)
    assertOneAtATime(s, await s.requests(), ['xen-host-01', 'xen-host-02'])
    assert.deepEqual(
      execRuns(h).map((l) => l.split(' ')[0]),
      ['xen-host-01', 'xen-host-02'],
    )
  })

  it('rolls clusters side by side with --parallel-clusters, still one host per cluster, pausing between hosts', async () => {
    const {home: h, s} = await startRoll()
    const result = await cli(s, h, [
      'cluster',
      'roll',
      'kvm-cluster-1',
      'xen-cluster-1',
      '--skip',
      'kvm-host-03',
      '--skip',
      'kvm-host-04',
      '--parallel-clusters',
      '2',
      '--pause',
      '50ms',
      '--exec',
      patchCommand(s),
      '--yes',
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    const rolled = ['kvm-host-01', 'kvm-host-02', 'xen-host-01', 'xen-host-02']
    assert.deepEqual(
      json<{hosts: Array<{host: string; result: string}>}>(result).hosts.map((r) => [r.host, r.result]),
      rolled.map((n) => [n, 'rolled']),
    )
    const log = await s.requests()
    assertOneAtATime(s, log, rolled)
    // Both clusters were in maintenance at the same time at some point (they ran side by side).
    const prepares = mutating(log)
      .filter((r) => r.command === 'prepareHostForMaintenance')
      .map((r) => r.params.id)
    const cancels = mutating(log)
      .filter((r) => r.command === 'cancelHostMaintenance')
      .map((r) => r.params.id)
    const order = mutating(log).map((r) => `${r.command}:${r.params.id}`)
    const firstXen = order.indexOf(`prepareHostForMaintenance:${hostOf(s, 'xen-host-01').id}`)
    const lastKvmCancel = order.indexOf(`cancelHostMaintenance:${hostOf(s, 'kvm-host-02').id}`)
    assert.ok(firstXen < lastKvmCancel, 'the xen cluster started before the kvm cluster ended')
    assert.equal(prepares.length, 4)
    assert.equal(cancels.length, 4)
    assert.match(result.stderr, /kvm-cluster-1 {2}pausing 0:00 before kvm-host-02/)
  })

  it('at a terminal: a live line per cluster, and the canary asks before going on', async () => {
    const {home: h, s} = await startRoll()
    const r = await runInTerminal(
      ['cluster', 'roll', 'xen-cluster-1', '--exec', patchCommand(s), '--canary', '1', '--yes'],
      {
        env: {
          ...simEnv(s),
          MOLDCTL_POLL_MAX_MS: '200',
          MOLDCTL_POLL_MIN_MS: '20',
          ROLL_EXEC_LOG: path.join(h.root, 'exec.log'),
        },
        home: h,
        steps: [{send: 'n\r', when: /Go on with the 1 other host\(s\)\?/}],
      },
    )
    assert.equal(r.code, 0, r.screen)
    assert.match(
      r.screen,
      /xen-cluster-1 {2}xen-host-01 \(1\/2\) {2}drain {2}PrepareForMaintenance {2}\d+:\d\d {2}\d VMs? lef/,
    )
    assert.ok(r.screen.includes('\u001B[1F'), 'the live block is redrawn in place')
    assert.match(r.screen, /Stopped after the canary; go on with: moldctl cluster roll --resume/)
    assert.deepEqual(
      execRuns(h).map((l) => l.split(' ')[0]),
      ['xen-host-01'],
    )
  })

  it('--dry-run prints order, capacity check and exact command per host, and changes nothing', async () => {
    const {home: h, s} = await startRoll()
    const result = await cli(s, h, [
      'cluster',
      'roll',
      'kvm-cluster-1',
      '--exec',
      "ssh root@{ip} 'dnf -y update && systemctl reboot' # {name}",
      '--order',
      'least-vms',
      '--skip',
      '10.10.0.14',
      '--dry-run',
    ])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /Cluster kvm-cluster-1: 3 host\(s\), one at a time/)
    assert.match(result.stdout, /1\. kvm-host-03 \(10\.10\.0\.13, KVM, 3 running VM\(s\)\)/)
    assert.match(result.stdout, /capacity: ok: \S+ → kvm-host-0\d/)
    assert.match(
      result.stdout,
      /command: ssh root@10\.10\.0\.13 'dnf -y update && systemctl reboot' # kvm-host-03/,
    )
    assert.match(result.stdout, /Left out: kvm-host-04 \(--skip\)/)
    assert.deepEqual(mutating(await s.requests()), [])
    assert.deepEqual(execRuns(h), [])
  })

  it('refuses before any change when a host cannot be drained (exit 2), in a dry run too', async () => {
    const {home: h, s} = await startRoll()
    for (const name of ['kvm-host-02', 'kvm-host-03', 'kvm-host-04'])
      hostOf(s, name).memoryTotal = 8 * 1024 ** 3
    for (const args of [['--dry-run'], ['--yes']]) {
      const result = await cli(s, h, ['cluster', 'roll', 'kvm-cluster-1', '--exec', 'true', ...args])
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, /kvm-host-01 cannot be drained: \S+ on kvm-host-01 fits on no other host/)
    }

    assert.deepEqual(mutating(await s.requests()), [])
  })

  it('refuses bad input before any change (exit 2)', async () => {
    const {home: h, s} = await startRoll()
    const cases: Array<[string[], RegExp]> = [
      [['cluster', 'roll', 'kvm-cluster-1', '--yes'], /--exec COMMAND is required/],
      [
        ['cluster', 'roll', 'kvm-cluster-1', '--exec', 'echo {host}', '--yes'],
        /unknown placeholder \{host\}/,
      ],
      [['cluster', 'roll', 'no-such-cluster', '--exec', 'true', '--yes'], /no-such-cluster/],
      [
        ['cluster', 'roll', 'kvm-cluster-1', '--exec', 'true', '--skip', 'nope', '--yes'],
        /--skip names no host/,
      ],
      [
        ['cluster', 'roll', 'kvm-cluster-1', '--exec', 'true', '--pause', 'soon', '--yes'],
        /--pause: "soon" is not a duration/,
      ],
      [['cluster', 'roll', 'kvm-cluster-1', '--exec', 'true'], /add --yes/],
      [['cluster', 'roll', '--resume', 'no-such-run'], /no roll no-such-run/],
    ]
    for (const [args, pattern] of cases) {
      const result = await cli(s, h, args)
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, pattern)
    }

    assert.deepEqual(mutating(await s.requests()), [])
  })

  it('a resume keeps the run options, and lists runs', async () => {
    const {home: h, s} = await startRoll()
    const first = await cli(s, h, [
      'cluster',
      'roll',
      'xen-cluster-1',
      '--exec',
      patchCommand(s),
      '--canary',
      '1',
      '--yes',
    ])
    assert.equal(first.code, 0, first.stderr)
    const id = runIdOf(first.stderr)
    const changed = await cli(s, h, ['cluster', 'roll', '--resume', id, '--exec', 'true'])
    assert.equal(changed.code, 2)
    assert.match(changed.stderr, /--exec cannot change them/)
    const list = await cli(s, h, ['cluster', 'roll', '--list'])
    assert.equal(list.code, 0, list.stderr)
    assert.match(list.stdout, new RegExp(`${id}\\s+canary\\s+.*xen-cluster-1\\s+1/2 rolled`))
  })
})
