import assert from 'node:assert/strict'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {before, beforeEach, describe, it} from 'node:test'

import {simulatedHostPassword} from '../../../../src/sim/handlers/host-password.js'
import {type CliHome, type CliResult, json, makeHome, runCli, simEnv} from '../../../helpers/cli.js'
import {useSim} from '../../../helpers/sim.js'

const NEW_PASSWORD = 'Api-Rotated-Pw-5521'

interface SimHost {
  clustername: string
  hypervisor: string
  id: string
  ipaddress: string
  name: string
}

describe('host password rotate --via api (CLI, simulator)', () => {
  const sim = useSim()
  let home: CliHome
  let kvmHosts: SimHost[]
  let xenHosts: SimHost[]
  let kvmCluster: {id: string; name: string}

  const rotate = (args: string[], opts: {env?: Record<string, string>; stdin?: string} = {}) =>
    runCli(['host', 'password', 'rotate', '--username', 'root', ...args], {
      env: {COLUMNS: '200', ...simEnv(sim), ...opts.env},
      home,
      stdin: opts.stdin ?? `${NEW_PASSWORD}\n`,
    })
  const updateCalls = async () => (await sim.requests()).filter((r) => r.command === 'updateHostPassword')

  function assertNoPassword(result: CliResult): void {
    assert.ok(!result.stdout.includes(NEW_PASSWORD), result.stdout)
    assert.ok(!result.stderr.includes(NEW_PASSWORD), result.stderr)
  }

  before(async () => {
    const hosts = (await sim.call('listHosts', {type: 'Routing'})).body.listhostsresponse.host as SimHost[]
    kvmHosts = hosts.filter((h) => h.hypervisor === 'KVM')
    xenHosts = hosts.filter((h) => h.hypervisor === 'XenServer')
    const clusters = (await sim.call('listClusters')).body.listclustersresponse.cluster
    kvmCluster = clusters.find((c: {hypervisortype: string}) => c.hypervisortype === 'KVM')
  })

  beforeEach(async () => {
    home?.remove()
    home = makeHome()
    await sim.clearRequests()
    await sim.clearFaults()
  })

  it('a cluster: one updateHostPassword with clusterid, a table of its hosts, and the reminder', async () => {
    const result = await rotate(['--cluster', kvmCluster.name, '--password-stdin', '--yes', '--debug'])
    assert.equal(result.code, 0, result.stderr)
    for (const host of kvmHosts) assert.match(result.stdout, new RegExp(`${host.name}.*${host.id}.*updated`))
    assert.match(result.stderr, /hosts' own passwords must already be the new one/)
    const calls = await updateCalls()
    assert.equal(calls.length, 1)
    assert.equal(calls[0].params.clusterid, kvmCluster.id)
    assert.equal(calls[0].params.password, '***')
    assert.equal(calls[0].params.update_passwd_on_host, undefined)
    for (const host of kvmHosts)
      assert.equal(simulatedHostPassword(sim.model, host.id)?.password, NEW_PASSWORD)
    assert.match(result.stderr, /\[debug\].*updateHostPassword/)
    assertNoPassword(result)
    const audit = await readFile(path.join(home.dataDir, 'audit.log'), 'utf8')
    assert.match(audit, /updateHostPassword/)
    assert.ok(!audit.includes(NEW_PASSWORD))
  })

  it('hosts by name and IP: one call each; --update-on-host sets update_passwd_on_host and drops the reminder', async () => {
    const result = await rotate([
      kvmHosts[0].name,
      kvmHosts[1].ipaddress,
      '--update-on-host',
      '--password-stdin',
      '--yes',
      '--json',
    ])
    assert.equal(result.code, 0, result.stderr)
    const out = json<{hosts: Array<{id: string}>; via: string}>(result)
    assert.deepEqual(
      out.hosts.map((h) => h.id),
      [kvmHosts[0].id, kvmHosts[1].id],
    )
    const calls = await updateCalls()
    assert.deepEqual(
      calls.map((c) => c.params.hostid),
      [kvmHosts[0].id, kvmHosts[1].id],
    )
    assert.ok(calls.every((c) => c.params.update_passwd_on_host === 'true'))
    assert.equal(simulatedHostPassword(sim.model, kvmHosts[1].id)?.onHost, true)
    assert.doesNotMatch(result.stderr, /must already be/)
    assertNoPassword(result)
  })

  it('--password-file reads the first line of a file', async () => {
    const file = path.join(home.root, 'pw')
    await import('node:fs/promises').then((fs) => fs.writeFile(file, 'From-File-Pw-1\n', {mode: 0o600}))
    const result = await rotate([kvmHosts[2].name, '--password-file', file, '--yes'], {stdin: ''})
    assert.equal(result.code, 0, result.stderr)
    assert.equal(simulatedHostPassword(sim.model, kvmHosts[2].id)?.password, 'From-File-Pw-1')
  })

  it('--dry-run prints the calls (password redacted) and makes none', async () => {
    const result = await rotate(['--cluster', kvmCluster.name, '--password-stdin', '--dry-run'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stderr,
      new RegExp(`would call updateHostPassword clusterid=${kvmCluster.id} password=\\*\\*\\* username=root`),
    )
    assert.match(result.stdout, /would be updated/)
    assert.deepEqual(await updateCalls(), [])
    assertNoPassword(result)
  })

  it('bad input: clear message, exit 2, no updateHostPassword call', async () => {
    const cases: Array<[string[], string | undefined, RegExp]> = [
      [['ghost-host', '--password-stdin', '--yes'], undefined, /no host is named "ghost-host"/],
      [['--cluster', 'nope', '--password-stdin', '--yes'], undefined, /no cluster is named "nope"/],
      [['--password-stdin', '--yes'], undefined, /name the hosts to update, or --cluster/],
      [[kvmHosts[0].name, '--cluster', kvmCluster.name, '--password-stdin', '--yes'], undefined, /not both/],
      [[xenHosts[0].name, '--password-stdin', '--yes'], undefined, /XenServer hosts share one pool password/],
      [[kvmHosts[0].name, '--password-stdin', '--yes'], '', /which is empty/],
      [[kvmHosts[0].name, '--yes'], '', /no terminal to ask on/],
      [
        [kvmHosts[0].name, '--password-stdin', '--encryptor', 'v2', '--yes'],
        undefined,
        /--encryptor goes with --via db/,
      ],
      [
        [kvmHosts[0].name, '--password-stdin', '--db-url', 'mysql://x@y/z', '--yes'],
        undefined,
        /--db-url goes with --via db/,
      ],
      [[kvmHosts[0].name, '--password-stdin'], undefined, /add --yes/],
      [
        [kvmHosts[0].name, '--password-stdin', '--password-file', 'f', '--yes'],
        undefined,
        /cannot also be provided/,
      ],
    ]
    for (const [args, stdin, message] of cases) {
      const result = await rotate(args, {stdin})
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      assert.match(result.stderr, message)
    }

    const noUser = await runCli(
      ['host', 'password', 'rotate', kvmHosts[0].name, '--password-stdin', '--yes'],
      {
        env: simEnv(sim),
        home,
        stdin: `${NEW_PASSWORD}\n`,
      },
    )
    assert.equal(noUser.code, 2)
    assert.match(noUser.stderr, /username/)
    assert.deepEqual(await updateCalls(), [])
  })

  it('the server refusing (wrong username): exit 1 with its text', async () => {
    const result = await runCli(
      [
        'host',
        'password',
        'rotate',
        '--cluster',
        kvmCluster.name,
        '--username',
        'admin',
        '--password-stdin',
        '--yes',
      ],
      {env: simEnv(sim), home, stdin: `${NEW_PASSWORD}\n`},
    )
    assert.equal(result.code, 1)
    assert.match(result.stderr, /The username is not same for all hosts/)
    assertNoPassword(result)
  })

  it('a server error on one host stops there: exit 4, the updated hosts named, no call repeated', async () => {
    // the second host's stored username differs, so the server refuses that one host
    const odd = sim.model.hosts.get(kvmHosts[2].id)!
    odd.agentUsername = 'admin'
    try {
      const result = await rotate([
        kvmHosts[1].name,
        kvmHosts[2].name,
        kvmHosts[3].name,
        '--password-stdin',
        '--yes',
      ])
      assert.equal(result.code, 4, result.stderr)
      assert.match(
        result.stderr,
        new RegExp(
          `updated ${kvmHosts[1].name}; ${kvmHosts[2].name} failed: .*The username is not same for the hosts.*; not tried: ${kvmHosts[3].name}`,
        ),
      )
      assert.deepEqual(
        (await updateCalls()).map((c) => c.params.hostid),
        [kvmHosts[1].id, kvmHosts[2].id],
      )
      assertNoPassword(result)
    } finally {
      odd.agentUsername = 'root'
    }
  })

  it('a 5xx answer to updateHostPassword is reported once, not retried', async () => {
    await sim.setFaults({
      failCommand: {command: 'updateHostPassword', errorcode: 530, errortext: 'agent busy', times: 1},
    })
    const result = await rotate([kvmHosts[0].name, '--password-stdin', '--yes'])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, /agent busy/)
    assert.equal((await updateCalls()).length, 1)
  })
})
