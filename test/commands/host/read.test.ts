import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {toCluster, toHost} from '../../../src/lib/api/models.js'
import {json, makeHome, runCli, simEnv} from '../../helpers/cli.js'
import {useSim} from '../../helpers/sim.js'
import {runInTerminal} from '../../helpers/tty.js'

let env: Record<string, string>
const sim = useSim(
  {},
  {
    async afterStart() {
      env = simEnv(sim)
    },
  },
)

describe('zone, pod, cluster and host listing', () => {
  it('lists zones, pods and clusters as tables', async () => {
    const zones = await runCli(['zone', 'list'], {env})
    assert.equal(zones.code, 0, zones.stderr)
    assert.match(
      zones.stdout,
      /^NAME\s+ID\s+ALLOCATION\s+NETWORK\nzone-1\s+[\da-f-]{36}\s+Enabled\s+Advanced$/m,
    )
    const pods = await runCli(['pod', 'list', '--zone', 'zone-1'], {env})
    assert.equal(pods.code, 0, pods.stderr)
    assert.match(pods.stdout, /pod-1\s+[\da-f-]{36}\s+zone-1\s+Enabled/)
    const clusters = await runCli(['cluster', 'list'], {env})
    assert.equal(clusters.code, 0, clusters.stderr)
    assert.match(clusters.stdout, /kvm-cluster-1\s+KVM\s+zone-1\s+pod-1\s+Enabled\s+1\.0\s+1\.0/)
    assert.match(clusters.stdout, /xen-cluster-1\s+XenServer/)
  })

  it('gives JSON with the API field names, parsable as the API objects', async () => {
    const clusters = json<Record<string, unknown>[]>(await runCli(['cluster', 'list', '--json'], {env}))
    assert.equal(clusters.length, 2)
    for (const c of clusters) toCluster(c)
    const hosts = json<Record<string, unknown>[]>(await runCli(['host', 'list', '--json'], {env}))
    assert.equal(hosts.length, 6)
    for (const h of hosts) toHost(h)
    assert.ok(hosts.every((h) => 'resourcestate' in h && 'cpuwithoverprovisioning' in h))
  })

  it('filters hosts by cluster, hypervisor, state and resource state (server-side)', async () => {
    await sim.clearRequests()
    const kvm = json<{name: string}[]>(
      await runCli(['host', 'list', '--cluster', 'kvm-cluster-1', '--state', 'Up', '--json'], {env}),
    )
    assert.deepEqual(
      kvm.map((h) => h.name),
      ['kvm-host-01', 'kvm-host-02', 'kvm-host-03', 'kvm-host-04'],
    )
    const listHosts = (await sim.requests()).filter((r) => r.command === 'listHosts')
    assert.equal(listHosts.length, 1)
    assert.equal(listHosts[0].params.state, 'Up')
    assert.match(listHosts[0].params.clusterid, /^[\da-f-]{36}$/)
    const xen = json<{name: string}[]>(
      await runCli(['host', 'list', '--hypervisor', 'XenServer', '--json'], {env}),
    )
    assert.deepEqual(
      xen.map((h) => h.name),
      ['xen-host-01', 'xen-host-02'],
    )
    const none = await runCli(['host', 'list', '--resource-state', 'Maintenance'], {env})
    assert.equal(none.code, 0)
    assert.equal(none.stdout, '')
    assert.match(none.stderr, /No hosts match/)
  })

  it('refuses an unknown filter value before any call (exit 2)', async () => {
    await sim.clearRequests()
    const r = await runCli(['host', 'list', '--state', 'Sideways'], {env})
    assert.equal(r.code, 2)
    assert.match(r.stderr, /Expected --state=Sideways to be one of/)
    assert.equal((await sim.requests()).length, 0)
  })

  it('fits the host table in an 80-column terminal, cuts nothing in a pipe, and offers yaml, csv and chosen columns', async () => {
    const home = makeHome()
    try {
      const terminal = await runInTerminal(['host', 'list'], {columns: 80, env, home, steps: []})
      assert.equal(terminal.code, 0, terminal.screen)
      const lines = terminal.screen.split(/\r?\n/).filter((line) => /NAME|-host-/.test(line))
      assert.equal(lines.length, 7, terminal.screen)
      for (const line of lines) assert.ok(line.trimEnd().length <= 80, `${line.length}: ${line}`)
      assert.match(terminal.screen, /kvm-host-01\s+Up\s+Enabled\s+10\.10\.0\.11/)
    } finally {
      home.remove()
    }

    const piped = await runCli(['host', 'list'], {env: {...env, COLUMNS: '80'}})
    assert.equal(piped.code, 0)
    assert.doesNotMatch(piped.stdout, /…/)
    assert.match(
      piped.stdout,
      /kvm-host-01\s+Up\s+Enabled\s+10\.10\.0\.11\s+KVM\s+kvm-cluster-1\s+[\d.]+%\s+128\.0G/,
    )
    const csv = await runCli(
      ['host', 'list', '-o', 'csv', '--columns', 'name,ipaddress,outofbandmanagement.powerstate'],
      {env},
    )
    assert.equal(csv.stdout.split('\n')[0], 'name,ipaddress,outofbandmanagement.powerstate')
    assert.match(csv.stdout, /^kvm-host-01,10\.10\.0\.11,On$/m)
    const yaml = await runCli(['cluster', 'list', '-o', 'yaml'], {env})
    assert.match(yaml.stdout, /- id: [\da-f-]{36}\n {2}name: kvm-cluster-1/)
  })

  it('shows one host by name, IP address or UUID', async () => {
    const byName = json<{id: string; ipaddress: string}>(
      await runCli(['host', 'show', 'kvm-host-02', '--json'], {env}),
    )
    const byIp = json<{id: string}>(await runCli(['host', 'show', byName.ipaddress, '--json'], {env}))
    const byId = json<{name: string}>(await runCli(['host', 'show', byName.id, '--json'], {env}))
    assert.equal(byIp.id, byName.id)
    assert.equal(byId.name, 'kvm-host-02')
    const table = await runCli(['host', 'show', 'kvm-host-02'], {env})
    assert.match(table.stdout, /^resourcestate\s+Enabled$/m)
  })

  it('says which host is unknown (exit 2) and lists the candidates of an ambiguous name', async () => {
    const unknown = await runCli(['host', 'show', 'kvm-host-99'], {env})
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /no host is named "kvm-host-99"/)
    const missingId = await runCli(['host', 'show', '00000000-0000-4000-8000-000000000000'], {env})
    assert.equal(missingId.code, 2)
    assert.match(missingId.stderr, /no host has the id/)

    const twin = sim.model.state.hosts.find((h) => h.name === 'xen-host-02')!
    const original = twin.name
    twin.name = 'kvm-host-01'
    try {
      const ambiguous = await runCli(['host', 'show', 'kvm-host-01'], {env})
      assert.equal(ambiguous.code, 2)
      assert.match(ambiguous.stderr, /"kvm-host-01" matches 2 hosts/)
      assert.equal((ambiguous.stderr.match(/kvm-host-01 {2}[\da-f-]{36}/g) ?? []).length, 2)
    } finally {
      twin.name = original
    }
  })
})

describe('errors under --json', () => {
  it('still print the error line on stderr, and an error object on stdout', async () => {
    const r = await runCli(['host', 'show', 'kvm-host-99', '--json'], {env})
    assert.equal(r.code, 2)
    // The error line names the cloud asked; the JSON message is the error alone.
    assert.match(
      r.stderr,
      /^Error: no host is named "kvm-host-99" \(no profile, http:\/\/127\.0\.0\.1:\d+\/client\/api\)$/m,
    )
    const body = json<{error: {exitCode: number; message: string}}>(r)
    assert.equal(body.error.exitCode, 2)
    assert.equal(body.error.message, 'no host is named "kvm-host-99"')
    const api = await runCli(['api', 'listHosts', 'details=everything', '--json'], {env})
    assert.equal(api.code, 1)
    assert.equal(json<{error: {errorcode: number}}>(api).error.errorcode, 431)
  })
})
