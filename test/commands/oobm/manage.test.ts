import assert from 'node:assert/strict'
import {beforeEach, describe, it} from 'node:test'

import {json, runCli, simEnv} from '../../helpers/cli.js'
import {oobmTopology} from '../../helpers/oobm-topology.js'
import {useSim} from '../../helpers/sim.js'

const READ = /^(list|query)/

describe('moldctl oobm configure, enable, disable, status, password change', () => {
  const sim = useSim({topology: oobmTopology()})
  const moldctl = (args: string[], stdin?: string) => runCli(args, {env: simEnv(sim), stdin})
  const mutating = async () => (await sim.requests()).filter((r) => r.command && !READ.test(r.command))
  const host = (name: string) => sim.model.state.hosts.find((h) => h.name === name)!

  beforeEach(async () => {
    await sim.clearFaults()
    await sim.clearRequests()
  })

  describe('configure', () => {
    const base = [
      'oobm',
      'configure',
      'kvm-a06',
      '--address',
      '10.20.9.6',
      '--username',
      'ADMIN',
      '--password-stdin',
    ]

    it("sends the driver lower-case, Mold's console protocol, and never shows the password", async () => {
      const result = await moldctl(
        [...base, '--driver', 'IPMITOOL', '--console-protocol', 'HTTP', '--console-port', '8080'],
        'Bmc-Secret-1\n',
      )
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /driver +ipmitool/)
      assert.match(result.stdout, /password +\*\*\*\*$/m)
      assert.doesNotMatch(result.stdout + result.stderr, /Bmc-Secret-1|B\*\*\*\*/)
      assert.match(result.stderr, /Next: moldctl oobm enable --host kvm-a06/)
      const [call] = await mutating()
      assert.equal(call.command, 'configureOutOfBandManagement')
      assert.deepEqual(
        {...call.params, apiKey: undefined, expires: undefined, signature: undefined},
        {
          address: '10.20.9.6',
          apiKey: undefined,
          command: 'configureOutOfBandManagement',
          driver: 'ipmitool',
          expires: undefined,
          hostid: host('kvm-a06').id,
          manageconsoleport: '8080',
          manageconsoleprotocol: 'http',
          password: '***',
          port: '623',
          response: 'json',
          signature: undefined,
          signatureversion: '3',
          username: 'ADMIN',
        },
      )
      assert.equal(host('kvm-a06').oobm!.password, 'Bmc-Secret-1')
      assert.equal(host('kvm-a06').details.manageconsoleport, '8080')
    })

    it('says that redfish ignores the port (still sent: the API requires one)', async () => {
      const result = await moldctl([...base, '--driver', 'redfish', '--port', '8443', '--json'], 'pw')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /The redfish driver ignores the port/)
      assert.equal(json<{driver: string; port: string}>(result).driver, 'redfish')
      assert.equal((await mutating())[0].params.manageconsoleprotocol, 'https')
    })

    it('refuses an unknown driver, a bad port or an empty password before any call (exit 2)', async () => {
      for (const [args, message] of [
        [
          ['--driver', 'idrac'],
          /Unknown out-of-band management driver "idrac"; use one of: ipmitool, redfish, nestedcloudstack/,
        ],
        [['--driver', 'ipmitool', '--port', '99999'], /--port must be a TCP port/],
        [['--driver', 'nestedcloudstack'], /reads --port as the UUID of the nested VM/],
        [['--driver', 'ipmitool', '--console-protocol', 'ftp'], /--console-protocol must be http or https/],
      ] as const) {
        const result = await moldctl([...base, ...args], 'pw')
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
        assert.match(result.stderr, message)
      }

      const empty = await moldctl([...base, '--driver', 'ipmitool'], '')
      assert.equal(empty.code, 2)
      assert.match(empty.stderr, /password read from stdin is empty/)
      assert.deepEqual(await sim.requests(), [])
    })

    it('needs the password from stdin when there is no terminal', async () => {
      const result = await moldctl([
        'oobm',
        'configure',
        'kvm-a06',
        '--driver',
        'ipmitool',
        '--address',
        'x',
        '--username',
        'u',
      ])
      assert.equal(result.code, 2)
      assert.match(result.stderr, /the BMC password is needed/)
      assert.match(result.stderr, /--password-stdin/)
    })

    it('never takes a piped password for a missing host argument', async () => {
      const result = await moldctl(
        [
          'oobm',
          'configure',
          '--driver',
          'ipmitool',
          '--address',
          'x',
          '--username',
          'u',
          '--password-stdin',
        ],
        'Leaky-Secret',
      )
      assert.equal(result.code, 2)
      assert.doesNotMatch(result.stderr, /Leaky-Secret/)
      assert.deepEqual(await sim.requests(), [])
    })

    it('prints the call of a dry run without sending it', async () => {
      const result = await moldctl([...base, '--driver', 'ipmitool', '--dry-run'], 'pw')
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /dry run: configureOutOfBandManagement .*password=\*\*\* .*\(not sent\)/)
      assert.deepEqual(await mutating(), [])
    })
  })

  describe('enable and disable', () => {
    it('enables hosts one job each and reports each', async () => {
      const result = await moldctl(['oobm', 'enable', '--host', 'kvm-a07', '--host', 'kvm-a01', '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(
        json<Array<{enabled: boolean; name: string; outcome: string; scope: string}>>(result).map((r) => [
          r.scope,
          r.name,
          r.enabled,
          r.outcome,
        ]),
        [
          ['host', 'kvm-a07', true, 'ok'],
          ['host', 'kvm-a01', true, 'ok'],
        ],
      )
      assert.deepEqual(
        (await mutating()).map((c) => c.command),
        ['enableOutOfBandManagementForHost', 'enableOutOfBandManagementForHost'],
      )
      assert.equal(host('kvm-a07').oobm!.enabled, true)
    })

    it('reports a host that is not configured as failed, with the server text (exit 1, or 4 among others)', async () => {
      host('kvm-a06').oobm = undefined
      const alone = await moldctl(['oobm', 'disable', '--host', 'kvm-a06'])
      assert.equal(alone.code, 1)
      assert.match(
        alone.stderr,
        /Out-of-band management is not configured for the host\. Please configure the host before enabling\/disabling it\./,
      )
      const mixed = await moldctl(['oobm', 'disable', '--host', 'kvm-a06', '--host', 'kvm-a07'])
      assert.equal(mixed.code, 4)
      assert.match(mixed.stdout, /kvm-a07 +disabled +ok/)
    })

    it('disables and enables a cluster and a zone, which status then shows per level', async () => {
      assert.equal((await moldctl(['oobm', 'disable', '--cluster', 'kvm-a'])).code, 0)
      assert.equal((await moldctl(['oobm', 'disable', '--zone', 'zone-1'])).code, 0)
      const status = json<Array<Record<string, unknown>>>(
        await moldctl(['oobm', 'status', '--cluster', 'kvm-a', '--json']),
      )
      const a01 = status.find((r) => r.name === 'kvm-a01')!
      assert.deepEqual(
        [a01.zoneenabled, a01.clusterenabled, a01.hostenabled, a01.effective, a01.powerstate],
        [false, false, true, false, 'Disabled'],
      )
      assert.match(String(a01.reason), /disabled for the host's zone/)
      const calls = (await mutating()).map((c) => [c.command, c.params.clusterid ?? c.params.zoneid])
      assert.deepEqual(calls, [
        [
          'disableOutOfBandManagementForCluster',
          sim.model.state.clusters.find((c) => c.name === 'kvm-a')!.id,
        ],
        ['disableOutOfBandManagementForZone', sim.model.state.zones.find((z) => z.name === 'zone-1')!.id],
      ])
      assert.equal((await moldctl(['oobm', 'enable', '--zone', 'zone-1'])).code, 0)
      assert.equal((await moldctl(['oobm', 'enable', '--cluster', 'kvm-a'])).code, 0)
      const table = await moldctl(['oobm', 'status', '--cluster', 'kvm-a'])
      assert.match(table.stdout, /^HOST +CLUSTER +OOBM Z\/C\/H +DRIVER +ADDRESS +POWER +RESOURCE$/m)
      assert.match(table.stdout, /^kvm-a01 +kvm-a +on\/on\/on +ipmitool +10\.20\.1\.1 /m)
      assert.match(table.stdout, /^kvm-a06 +kvm-a +on\/on\/- /m)
    })

    it('refuses no scope or two scopes before any call (exit 2)', async () => {
      assert.equal((await moldctl(['oobm', 'enable'])).code, 2)
      const two = await moldctl(['oobm', 'enable', '--host', 'kvm-a01', '--zone', 'zone-1'])
      assert.equal(two.code, 2)
      assert.match(two.stderr, /give only one of HOST, --zone/)
      assert.deepEqual(await sim.requests(), [])
    })
  })

  describe('status', () => {
    it('shows every host without a selection, with driver, address and power state', async () => {
      const rows = json<Array<Record<string, unknown>>>(await moldctl(['oobm', 'status', '--json']))
      assert.equal(rows.length, sim.model.state.hosts.length)
      const c01 = rows.find((r) => r.name === 'kvm-c01')!
      assert.deepEqual(
        [c01.zonename, c01.zoneenabled, c01.driver, c01.address],
        ['zone-2', false, 'ipmitool', '10.20.1.31'],
      )
      const b01 = rows.find((r) => r.name === 'kvm-b01')!
      assert.deepEqual([b01.clustername, b01.clusterenabled, b01.effective], ['kvm-b', false, false])
    })

    it('takes hosts by IP address too', async () => {
      const result = await moldctl(['oobm', 'status', host('kvm-a09').ipAddress, '--json'])
      assert.equal(result.code, 0, result.stderr)
      assert.equal(json<Array<{driver: string}>>(result)[0].driver, 'redfish')
    })
  })

  describe('password change', () => {
    it('changes the BMC password from stdin after --yes', async () => {
      const result = await moldctl(
        ['oobm', 'password', 'change', 'kvm-a01', '--password-stdin', '--yes'],
        'New-Pass-16chars',
      )
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stdout, /status +true/)
      assert.equal(host('kvm-a01').oobm!.password, 'New-Pass-16chars')
      const [call] = await mutating()
      assert.deepEqual([call.command, call.params.password], ['changeOutOfBandManagementPassword', '***'])
    })

    it('lets the server pick a random password when none is given', async () => {
      const before = host('kvm-a09').oobm!.password
      const result = await moldctl(['oobm', 'password', 'change', 'kvm-a09', '--yes'])
      assert.equal(result.code, 0, result.stderr)
      assert.notEqual(host('kvm-a09').oobm!.password, before)
      assert.equal((await mutating())[0].params.password, undefined)
    })

    it('refuses a password over 16 characters, and asks without --yes (exit 2, no call)', async () => {
      const long = await moldctl(
        ['oobm', 'password', 'change', 'kvm-a01', '--password-stdin', '--yes'],
        'x'.repeat(17),
      )
      assert.equal(long.code, 2)
      assert.match(long.stderr, /17 characters; the API allows at most 16/)
      const unconfirmed = await moldctl(['oobm', 'password', 'change', 'kvm-a01'])
      assert.equal(unconfirmed.code, 2)
      assert.match(
        unconfirmed.stderr,
        /Change the BMC password of kvm-a01 to a random password the server does not reveal: confirmation needed/,
      )
      assert.deepEqual(await mutating(), [])
    })

    it('fails with the server text when the BMC does not answer (exit 1)', async () => {
      const result = await moldctl(['oobm', 'password', 'change', 'kvm-a04', '--yes'])
      assert.equal(result.code, 1)
      assert.match(
        result.stderr,
        /Failed to change out-of-band management password for the host .* Unable to establish IPMI v2/,
      )
    })
  })
})

describe('moldctl oobm configure against Apache CloudStack', () => {
  const sim = useSim({flavor: 'cloudstack', topology: oobmTopology()})

  it('sends no Mold console parameters, and says so when they were given', async () => {
    const result = await runCli(
      [
        'oobm',
        'configure',
        'kvm-a06',
        '--driver',
        'ipmitool',
        '--address',
        '10.0.0.9',
        '--username',
        'u',
        '--password-stdin',
        '--console-protocol',
        'https',
      ],
      {env: {...simEnv(sim), MOLDCTL_FLAVOR: 'cloudstack'}, stdin: 'pw'},
    )
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /Apache CloudStack has no BMC console parameters/)
    const call = (await sim.requests()).find((r) => r.command === 'configureOutOfBandManagement')!
    assert.equal(call.params.manageconsoleprotocol, undefined)
  })
})
