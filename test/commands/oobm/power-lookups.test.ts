/**
 * The look-ups of `oobm power` before its first action: which run beside each other, and that
 * each is sent once with the parameters it always had.
 */
import assert from 'node:assert/strict'
import {beforeEach, describe, it} from 'node:test'

import type {LoggedRequest} from '../../../src/sim/http/server.js'

import {runCli, simEnv} from '../../helpers/cli.js'
import {oobmTopology} from '../../helpers/oobm-topology.js'
import {useSim} from '../../helpers/sim.js'

const POWER = 'issueOutOfBandManagementPowerAction'
/** Parameters of every request: the command, the answer's format and the signature. */
const SIGNING = new Set(['apiKey', 'command', 'expires', 'response', 'signature', 'signatureversion'])

describe('oobm power: the look-ups before the first action', () => {
  const sim = useSim({topology: oobmTopology()})
  const moldctl = (...args: string[]) => runCli(args, {env: simEnv(sim)})
  const isLookUp = (r: LoggedRequest) => r.command === 'listAsyncJobs' && r.params.keyword !== undefined
  const first = (requests: LoggedRequest[], test: (r: LoggedRequest) => boolean) => {
    const at = requests.findIndex((r) => test(r))
    assert.ok(at !== -1, `no such request in ${requests.map((r) => r.command).join(' ')}`)
    return at
  }

  beforeEach(async () => {
    await sim.clearFaults()
    await sim.clearRequests()
  })

  it('STATUS looks for pending power jobs beside the host listing, before any action', async () => {
    const result = await moldctl('oobm', 'power', 'status', '--cluster', 'kvm-a', '--json')
    assert.equal(result.code, 4, result.stderr)
    const requests = await sim.requests()
    const lookUp = first(requests, isLookUp)
    assert.equal(requests.filter((r) => isLookUp(r)).length, 1)
    // Sent with the cluster's name look-up, not after the hosts came.
    assert.ok(lookUp < first(requests, (r) => r.command === 'listHosts'), 'looked up after the hosts')
    assert.ok(lookUp < first(requests, (r) => r.command === POWER))
  })

  it('OFF looks for pending power jobs only once the question is answered (here by --yes)', async () => {
    const result = await moldctl('oobm', 'power', 'off', '--cluster', 'kvm-a', '--yes', '--json')
    assert.equal(result.code, 4, result.stderr)
    const requests = await sim.requests()
    const lookUp = first(requests, isLookUp)
    // The running VMs are counted for the question; what is pending is looked at after it.
    assert.ok(lookUp > first(requests, (r) => r.command === 'listVirtualMachines'))
    assert.ok(lookUp < first(requests, (r) => r.command === POWER))
  })

  it('a dry run looks for no jobs', async () => {
    const result = await moldctl('oobm', 'power', 'status', '--cluster', 'kvm-a', '--dry-run')
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(
      (await sim.requests()).filter((r) => r.command === 'listAsyncJobs'),
      [],
    )
  })

  it("reads the zone's and its clusters' OOBM settings once, beside the hosts, with the same parameters", async () => {
    const result = await moldctl('oobm', 'power', 'status', '--zone', 'zone-1', '--json')
    assert.equal(result.code, 4, result.stderr)
    const requests = await sim.requests()
    const zone = sim.model.state.zones.find((z) => z.name === 'zone-1')!
    const params = (command: string) =>
      requests
        .filter((r) => r.command === command)
        .map((r) => Object.fromEntries(Object.entries(r.params).filter(([key]) => !SIGNING.has(key))))
    assert.deepEqual(params('listZones'), [
      {name: 'zone-1', page: '1', pagesize: '500'},
      {id: zone.id, page: '1', pagesize: '500'},
    ])
    assert.deepEqual(params('listClusters'), [{page: '1', pagesize: '500', zoneid: zone.id}])
  })

  it('hosts named one by one in two zones: their zones are read after them, all at once', async () => {
    const result = await moldctl('oobm', 'power', 'status', 'kvm-a01', 'kvm-c01', '--json')
    assert.equal(result.code, 0, result.stderr)
    const requests = await sim.requests()
    assert.deepEqual(
      requests.filter((r) => r.command === 'listZones').map((r) => r.params.id ?? ''),
      [''],
    )
  })
})

describe('oobm power: the table of a batch, drawn while its hosts finish', () => {
  // At real speed, 100 ms BMCs, 5 at a time: the first hosts' part of the table is drawn while the others run.
  const sim = useSim({hosts: 80, jobStartDelayMs: 0, speed: 1, topology: 'large'})

  it('prints one table, every host once in order, in the columns of the header', async () => {
    const zone = sim.model.state.zones[0].name
    const args = ['oobm', 'power', 'status', '--zone', zone, '--concurrency', '5']
    const result = await runCli(args, {env: simEnv(sim)})
    assert.equal(result.code, 0, result.stderr)
    const [header, ...lines] = result.stdout.trimEnd().split('\n')
    assert.match(header, /^HOST +ACTION +OUTCOME +POWER +SECONDS +MESSAGE$/)
    const hosts = sim.model.state.hosts.filter((h) => h.type === 'Routing').map((h) => h.name)
    assert.deepEqual(
      lines.map((line) => line.split(/ +/)[0]),
      hosts,
    )
    // Every row in the header's columns (one width for all parts of the table).
    const starts = ['ACTION', 'OUTCOME', 'POWER', 'SECONDS', 'MESSAGE'].map((h) => header.indexOf(h))
    for (const line of lines) {
      for (const at of starts) assert.match(line.slice(at - 2, at), /^ {2}$/, line)
      assert.match(line.slice(starts[0]), /^STATUS +ok +On +\d+\.\d\d +\S/, line)
    }
  })
})
