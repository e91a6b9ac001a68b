import assert from 'node:assert/strict'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {afterEach, describe, it} from 'node:test'

import {type CliHome, json, makeHome, runCli, simEnv} from '../../helpers/cli.js'
import {type LoggedRequest, startTestSim, type TestSim} from '../../helpers/sim.js'

/* Putting VMs back after maintenance: `host maintenance cancel --migrate-back` and `host migrate-back`. */

let sim: TestSim | undefined
let home: CliHome | undefined

const READ = /^(list|query)/
const mutating = (log: LoggedRequest[]) => log.filter((r) => r.command && !READ.test(r.command))

describe('host migrate-back', () => {
  afterEach(async () => {
    await sim?.close()
    home?.remove()
    sim = undefined
    home = undefined
  })

  async function startRoll(): Promise<{
    cli: (args: string[]) => ReturnType<typeof runCli>
    h: CliHome
    s: TestSim
  }> {
    const s = await startTestSim({speed: 1000})
    const h = makeHome()
    sim = s
    home = h
    return {cli: (args) => runCli(args, {env: {...simEnv(s), COLUMNS: '200'}, home: h}), h, s}
  }

  function hostOf(s: TestSim, name: string) {
    return s.model.state.hosts.find((x) => x.name === name)!
  }

  it('maintenance enter records the VMs that leave (0600); cancel --migrate-back moves them back, skipping with reasons', async () => {
    const {cli, h, s} = await startRoll()
    const host = hostOf(s, 'kvm-host-01')
    const leaving = s.model.vmsOnHost(host.id).filter((vm) => vm.state === 'Running')
    assert.ok(leaving.length >= 4)
    const entered = await cli(['host', 'maintenance', 'enter', 'kvm-host-01'])
    assert.equal(entered.code, 0, entered.stderr)
    const recordDir = path.join(h.root, '.local', 'state', 'moldctl', 'maintenance')
    const [recordName, ...others] = readdirSync(recordDir)
    assert.deepEqual(others, [])
    assert.match(recordName, /^endpoint-[\da-f]{12}\.json$/)
    assert.equal(statSync(recordDir).mode & 0o777, 0o700)
    assert.equal(statSync(path.join(recordDir, recordName)).mode & 0o777, 0o600)
    const record = JSON.parse(readFileSync(path.join(recordDir, recordName), 'utf8'))
    assert.deepEqual(
      record.hosts[host.id].vms.map((vm: {id: string}) => vm.id).sort(),
      leaving.map((vm) => vm.id).sort(),
    )

    // While away: one VM stopped, one removed, one grown so that it no longer fits.
    const [stopped, removed, grown, ...rest] = leaving
    stopped.state = 'Stopped'
    stopped.hostId = undefined
    s.model.state.vms.splice(s.model.state.vms.indexOf(removed), 1)
    s.model.reindex()
    grown.memory = 1024 * 1024
    await s.clearRequests()
    const cancelled = await cli(['host', 'maintenance', 'cancel', 'kvm-host-01', '--migrate-back'])
    assert.equal(cancelled.code, 4, cancelled.stderr)
    assert.match(cancelled.stderr, /1 VM\(s\) could not move back/)
    for (const vm of rest) {
      assert.equal(s.model.vms.get(vm.id)!.hostId, host.id, `${vm.name} is back`)
      assert.match(cancelled.stdout, new RegExp(`${vm.name}\\s+kvm-host-01\\s+kvm-host-0\\d\\s+moved`))
    }

    assert.match(
      cancelled.stdout,
      new RegExp(`${stopped.name}\\s+kvm-host-01\\s+skipped\\s+is Stopped, not running`),
    )
    assert.match(
      cancelled.stdout,
      new RegExp(`${removed.name}\\s+kvm-host-01\\s+skipped\\s+no longer exists`),
    )
    assert.match(
      cancelled.stdout,
      new RegExp(`${grown.name}\\s+kvm-host-01\\s+kvm-host-0\\d\\s+skipped\\s+does not fit: kvm-host-01 has`),
    )
    const calls = mutating(await s.requests())
    assert.deepEqual(
      calls.map((r) => [r.command, r.params.virtualmachineid ?? r.params.id]).sort(),
      [['cancelHostMaintenance', host.id], ...rest.map((vm) => ['migrateVirtualMachine', vm.id])].sort(),
    )
    for (const r of calls.filter((c) => c.command === 'migrateVirtualMachine'))
      assert.equal(r.params.hostid, host.id)

    // The one that did not fit stays recorded: once it fits again, migrate-back moves it.
    grown.memory = 4096
    await s.clearRequests()
    const dry = await cli(['host', 'migrate-back', 'kvm-host-01', '--dry-run'])
    assert.equal(dry.code, 0, dry.stderr)
    assert.match(dry.stdout, new RegExp(`${grown.name}: would move back from kvm-host-0\\d to kvm-host-01`))
    assert.deepEqual(mutating(await s.requests()), [])
    const again = await cli(['host', 'migrate-back', 'kvm-host-01', '--json'])
    assert.equal(again.code, 0, again.stderr)
    assert.deepEqual(
      json<Array<{name: string; result: string}>>(again).map((r) => [r.name, r.result]),
      [[grown.name, 'moved']],
    )
    assert.equal(s.model.vms.get(grown.id)!.hostId, host.id)
    const nothing = await cli(['host', 'migrate-back', 'kvm-host-01'])
    assert.equal(nothing.code, 0, nothing.stderr)
    assert.match(nothing.stderr, /No VMs are recorded as having left kvm-host-01/)
  })

  it('refuses a host still in maintenance, before any call (exit 2)', async () => {
    const {cli, s} = await startRoll()
    assert.equal((await cli(['host', 'maintenance', 'enter', 'kvm-host-02'])).code, 0)
    await s.clearRequests()
    const result = await cli(['host', 'migrate-back', 'kvm-host-02'])
    assert.equal(result.code, 2, result.stderr)
    assert.match(
      result.stderr,
      /kvm-host-02 is Up and Maintenance; VMs can move back only to an Up and Enabled host/,
    )
    assert.match(result.stderr, /moldctl host maintenance cancel kvm-host-02/)
    assert.deepEqual(mutating(await s.requests()), [])
  })

  it('reports a migration the server fails, keeping the VM recorded (exit 4)', async () => {
    const {cli, s} = await startRoll()
    assert.equal((await cli(['host', 'maintenance', 'enter', 'kvm-host-03'])).code, 0)
    assert.equal((await cli(['host', 'maintenance', 'cancel', 'kvm-host-03'])).code, 0)
    await s.setFaults({
      failCommand: {
        command: 'migrateVirtualMachine',
        errortext: 'Migration failed: libvirt error',
        inJob: true,
        times: 1,
      },
    })
    const result = await cli(['host', 'migrate-back', 'kvm-host-03', '--concurrency', '1'])
    assert.equal(result.code, 4, result.stderr)
    assert.match(result.stdout, /failed\s+Migration failed: libvirt error/)
    await s.clearFaults()
    const retry = await cli(['host', 'migrate-back', 'kvm-host-03', '--json'])
    assert.equal(retry.code, 0, retry.stderr)
    assert.equal(json<unknown[]>(retry).length, 1)
  })
})
