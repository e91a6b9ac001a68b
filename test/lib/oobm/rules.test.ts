import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/lib/core/errors.js'
import {
  buildConfigureRequest,
  type ConfigureInput,
  countRunningVms,
  describePowerBatch,
  describeProblems,
  formatDuration,
  isDestructivePowerAction,
  maintenanceWarning,
  type OobmHost,
  oobmSkipReason,
  oobmStatusRow,
  parseDriver,
  parsePowerAction,
  POWER_ACTIONS,
  powerConfirmationMessage,
  type ScopeEnablement,
  scopeOobmEnabled,
  summarizePowerBatch,
  sweepEstimateNote,
  sweepEstimateSeconds,
  toPowerOperation,
} from '../../../src/lib/oobm/rules.js'

const configured = {
  address: '10.0.0.11',
  driver: 'ipmitool',
  enabled: true,
  port: '623',
  powerstate: 'On',
  username: 'admin',
}

function host(overrides: Partial<OobmHost> = {}): OobmHost {
  return {
    clusterid: 'c1',
    clustername: 'kvm-a',
    id: 'h1',
    name: 'kvm-01',
    outofbandmanagement: configured,
    resourcestate: 'Enabled',
    state: 'Up',
    zoneid: 'z1',
    zonename: 'zone-1',
    ...overrides,
  }
}

const allEnabled: ScopeEnablement = {clusters: new Map(), zones: new Map()}

describe('drivers and actions', () => {
  it('accepts the three drivers in any case and returns them lower-case', () => {
    assert.equal(parseDriver('IPMITOOL'), 'ipmitool')
    assert.equal(parseDriver('Redfish'), 'redfish')
    assert.equal(parseDriver(' nestedcloudstack '), 'nestedcloudstack')
  })

  it('rejects other drivers with a usage error naming the valid ones', () => {
    assert.throws(
      () => parseDriver('idrac'),
      (error: unknown) => {
        assert.ok(error instanceof UsageError)
        assert.equal(error.exitCode, 2)
        assert.match(error.message, /"idrac".*ipmitool, redfish, nestedcloudstack/)
        return true
      },
    )
  })

  it('maps every action to the upper-case PowerOperation name', () => {
    assert.deepEqual(
      POWER_ACTIONS.map((a) => toPowerOperation(parsePowerAction(a.toUpperCase()))),
      ['ON', 'OFF', 'CYCLE', 'RESET', 'SOFT', 'STATUS'],
    )
  })

  it('rejects unknown actions', () => {
    assert.throws(
      () => parsePowerAction('reboot'),
      /Unknown power action "reboot"; use one of: on, off, cycle/,
    )
  })

  it('treats off, cycle, reset and soft as destructive, on and status not', () => {
    assert.deepEqual(
      POWER_ACTIONS.filter((a) => isDestructivePowerAction(a)),
      ['off', 'cycle', 'reset', 'soft'],
    )
  })
})

describe('buildConfigureRequest', () => {
  const base: ConfigureInput = {
    address: '10.0.0.11',
    driver: 'IPMITOOL',
    flavor: 'mold',
    hostid: 'h1',
    password: 's3cret',
    username: 'admin',
  }

  it('sends the driver lower-case, the IPMI port 623 by default, and Mold console protocol https', () => {
    const {notes, params} = buildConfigureRequest(base)
    assert.deepEqual(params, {
      address: '10.0.0.11',
      driver: 'ipmitool',
      hostid: 'h1',
      manageconsoleprotocol: 'https',
      password: 's3cret',
      port: '623',
      username: 'admin',
    })
    assert.deepEqual(notes, [])
  })

  it('passes the console protocol and port to Mold', () => {
    const {params} = buildConfigureRequest({...base, consolePort: '8080', consoleProtocol: 'HTTP'})
    assert.equal(params.manageconsoleprotocol, 'http')
    assert.equal(params.manageconsoleport, '8080')
  })

  it('sends no console parameters to Apache CloudStack, and says so when they were given', () => {
    const plain = buildConfigureRequest({...base, flavor: 'cloudstack'})
    assert.equal(plain.params.manageconsoleprotocol, undefined)
    assert.deepEqual(plain.notes, [])
    const given = buildConfigureRequest({...base, consoleProtocol: 'https', flavor: 'cloudstack'})
    assert.equal(given.params.manageconsoleprotocol, undefined)
    assert.match(given.notes[0], /not sent/)
  })

  it('notes that redfish ignores the port, still sending one because the API requires it', () => {
    const {notes, params} = buildConfigureRequest({...base, driver: 'redfish'})
    assert.equal(params.port, '443')
    assert.match(notes[0], /redfish driver ignores the port/)
  })

  it('requires --port for nestedcloudstack, where it is the nested VM UUID', () => {
    assert.throws(() => buildConfigureRequest({...base, driver: 'nestedcloudstack'}), /UUID of the nested VM/)
    const {params} = buildConfigureRequest({
      ...base,
      driver: 'nestedcloudstack',
      port: '5b5f0b37-7b1c-4f0e-9b47-1b2a3c4d5e6f',
    })
    assert.equal(params.port, '5b5f0b37-7b1c-4f0e-9b47-1b2a3c4d5e6f')
  })

  it('rejects bad ports, protocols, empty fields and an empty password', () => {
    assert.throws(() => buildConfigureRequest({...base, port: '70000'}), /--port must be a TCP port/)
    assert.throws(() => buildConfigureRequest({...base, port: 'abc'}), /--port must be a TCP port/)
    assert.throws(
      () => buildConfigureRequest({...base, consoleProtocol: 'ftp'}),
      /--console-protocol must be http or https/,
    )
    assert.throws(() => buildConfigureRequest({...base, consolePort: '0'}), /--console-port/)
    assert.throws(() => buildConfigureRequest({...base, address: ' '}), /--address must not be empty/)
    assert.throws(() => buildConfigureRequest({...base, username: ''}), /--username must not be empty/)
    assert.throws(() => buildConfigureRequest({...base, password: ''}), /password read from stdin is empty/)
  })
})

describe('enablement and skip rules', () => {
  it('reads zone/cluster details the way the server does', () => {
    assert.equal(scopeOobmEnabled(), true)
    assert.equal(scopeOobmEnabled({}), true)
    assert.equal(scopeOobmEnabled({outOfBandManagementEnabled: ''}), true)
    assert.equal(scopeOobmEnabled({outOfBandManagementEnabled: 'TRUE'}), true)
    assert.equal(scopeOobmEnabled({outOfBandManagementEnabled: 'false'}), false)
    assert.equal(scopeOobmEnabled({outOfBandManagementEnabled: 'yes'}), false)
  })

  it('lets a configured, enabled host in enabled scopes through', () => {
    assert.equal(oobmSkipReason(host(), allEnabled), undefined)
  })

  it('names the first blocking level in the server order: zone, cluster, host', () => {
    const zoneOff: ScopeEnablement = {clusters: new Map([['c1', false]]), zones: new Map([['z1', false]])}
    assert.match(oobmSkipReason(host(), zoneOff)!, /disabled for the host's zone/)
    const clusterOff: ScopeEnablement = {clusters: new Map([['c1', false]]), zones: new Map([['z1', true]])}
    assert.match(oobmSkipReason(host(), clusterOff)!, /disabled for the host's cluster/)
  })

  it('skips Degraded, unconfigured and host-disabled hosts with the reason', () => {
    assert.match(oobmSkipReason(host({resourcestate: 'Degraded'}), allEnabled)!, /Degraded/)
    assert.match(
      oobmSkipReason(host({outofbandmanagement: {enabled: false, powerstate: 'Disabled'}}), allEnabled)!,
      /not configured/,
    )
    assert.match(
      oobmSkipReason(host({outofbandmanagement: {...configured, enabled: false}}), allEnabled)!,
      /disabled for the host \(moldctl oobm enable --host\)/,
    )
  })

  it('does not skip hosts in maintenance: it warns about them instead', () => {
    const hosts = [
      host({name: 'kvm-01', resourcestate: 'Maintenance'}),
      host({id: 'h2', name: 'kvm-02'}),
      host({id: 'h3', name: 'kvm-03', resourcestate: 'PrepareForMaintenance'}),
    ]
    assert.equal(oobmSkipReason(hosts[0], allEnabled), undefined)
    const warning = maintenanceWarning(hosts, 'off')!
    assert.match(
      warning,
      /^Warning: 2 hosts are in maintenance mode: kvm-01 \(Maintenance\), kvm-03 \(PrepareForMaintenance\)\./,
    )
    assert.match(warning, /still allowed.*OFF is intended/)
    assert.equal(maintenanceWarning([hosts[1]], 'off'), undefined)
  })

  it('shortens a long list of hosts in maintenance', () => {
    const many = Array.from({length: 13}, (_, i) =>
      host({id: `h${i}`, name: `kvm-${i}`, resourcestate: 'Maintenance'}),
    )
    assert.match(maintenanceWarning(many, 'cycle', 10)!, /kvm-9 \(Maintenance\), and 3 more\./)
  })

  it('builds the status row with every level', () => {
    const scopes: ScopeEnablement = {clusters: new Map([['c1', false]]), zones: new Map([['z1', true]])}
    const row = oobmStatusRow(host(), scopes)
    assert.deepEqual(
      [
        row.zoneenabled,
        row.clusterenabled,
        row.hostenabled,
        row.effective,
        row.driver,
        row.address,
        row.powerstate,
      ],
      [true, false, true, false, 'ipmitool', '10.0.0.11', 'On'],
    )
    assert.match(row.reason, /cluster/)
    const bare = oobmStatusRow(
      host({outofbandmanagement: {enabled: false, powerstate: 'Disabled'}}),
      allEnabled,
    )
    assert.deepEqual([bare.driver, bare.hostenabled, bare.powerstate], ['', false, 'Disabled'])
  })
})

describe('the guide estimate', () => {
  it('is hosts × action timeout / pool size', () => {
    assert.equal(sweepEstimateSeconds(1000, 60, 50), 1200)
    assert.equal(sweepEstimateSeconds(10, 60, 50), 12)
  })

  it('grows with hosts and timeout and shrinks with the pool (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({max: 20_000, min: 0}),
        fc.integer({max: 3600, min: 1}),
        fc.integer({max: 500, min: 1}),
        (hosts, timeout, pool) => {
          const t = sweepEstimateSeconds(hosts, timeout, pool)
          assert.ok(sweepEstimateSeconds(hosts + 1, timeout, pool) >= t)
          assert.ok(sweepEstimateSeconds(hosts, timeout + 1, pool) >= t)
          assert.ok(sweepEstimateSeconds(hosts, timeout, pool + 1) <= t)
        },
      ),
    )
  })

  it('is only shown when the batch needs more than one round of the pool', () => {
    assert.equal(sweepEstimateNote(50, 60, 50), undefined)
    assert.equal(
      sweepEstimateNote(1000, 60, 50),
      "1000 hosts, 50 at a time: at most about 20 min (1000 hosts × 60 s action timeout / 50, the admin guide's estimate).",
    )
  })

  it('formats durations for people', () => {
    assert.deepEqual(
      [0.2, 59, 60, 61, 3600, 3720].map((s) => formatDuration(s)),
      ['1 s', '59 s', '1 min', '1 min 1 s', '1 h', '1 h 2 min'],
    )
  })
})

describe('confirmation and summary', () => {
  it('says how many hosts and running VMs are affected', () => {
    assert.equal(
      powerConfirmationMessage('off', 12, 34),
      'Send OFF to 12 hosts (34 running VMs on them will be affected)?',
    )
    assert.equal(
      powerConfirmationMessage('cycle', 1, 1),
      'Send CYCLE to 1 host (1 running VM on it will be affected)?',
    )
    assert.equal(powerConfirmationMessage('soft', 3, 0), 'Send SOFT to 3 hosts (no running VMs on them)?')
  })

  it('counts only running VMs on the target hosts', () => {
    const vms = [
      {hostid: 'h1', state: 'Running'},
      {hostid: 'h1', state: 'Stopped'},
      {hostid: 'h2', state: 'Running'},
      {hostid: 'h9', state: 'Running'},
      {state: 'Running'},
    ]
    assert.equal(countRunningVms(vms, new Set(['h1', 'h2'])), 2)
  })

  it('exits 0 when nothing failed (skips included), 4 on partial failure, 1 when nothing succeeded', () => {
    const rows = (...outcomes: Array<'failed' | 'ok' | 'skipped'>) => outcomes.map((outcome) => ({outcome}))
    assert.equal(summarizePowerBatch(rows('ok', 'ok')).exitCode, 0)
    assert.equal(summarizePowerBatch(rows('ok', 'skipped')).exitCode, 0)
    assert.equal(summarizePowerBatch(rows('ok', 'failed', 'skipped')).exitCode, 4)
    assert.equal(summarizePowerBatch(rows('failed', 'failed')).exitCode, 1)
    assert.equal(summarizePowerBatch(rows('skipped')).exitCode, 1)
    assert.deepEqual(summarizePowerBatch(rows('ok', 'failed', 'skipped', 'ok')), {
      exitCode: 4,
      failed: 1,
      interrupted: 0,
      ok: 2,
      skipped: 1,
      total: 4,
      unknown: 0,
    })
  })

  it('exits 6 when the only problems are unknown outcomes, 4 when failures come with them', () => {
    const rows = (...outcomes: Array<'failed' | 'ok' | 'skipped' | 'unknown'>) =>
      outcomes.map((outcome) => ({outcome}))
    assert.equal(summarizePowerBatch(rows('ok', 'unknown')).exitCode, 6)
    assert.equal(summarizePowerBatch(rows('unknown')).exitCode, 6)
    assert.equal(summarizePowerBatch(rows('unknown', 'skipped')).exitCode, 6)
    assert.equal(summarizePowerBatch(rows('ok', 'unknown', 'failed')).exitCode, 4)
    assert.equal(summarizePowerBatch(rows('unknown', 'failed')).exitCode, 4)
    assert.equal(summarizePowerBatch(rows('ok', 'unknown')).unknown, 1)
  })

  it('lists skipped hosts by reason and failures in full', () => {
    const r = (name: string, outcome: 'failed' | 'ok' | 'skipped', message: string) => ({
      action: 'STATUS' as const,
      hostid: name,
      message,
      name,
      outcome,
      powerstate: 'On',
      seconds: 0,
    })
    const rows = [
      r('h1', 'skipped', 'zone off'),
      r('h2', 'ok', 'Chassis Power is on'),
      r('h3', 'skipped', 'zone off'),
      r('h4', 'failed', 'boom'),
      r('h5', 'skipped', 'not configured'),
      r('h6', 'failed', 'bang'),
    ]
    assert.deepEqual(describeProblems(rows), [
      'Skipped (zone off): h1, h3',
      'Skipped (not configured): h5',
      'Failed h4: boom',
      'Failed h6: bang',
    ])
    assert.deepEqual(describeProblems(rows, 1).slice(-2), [
      'Failed h4: boom',
      '... and 1 more failures (all in --json)',
    ])
    const many = Array.from({length: 12}, (_, i) => r(`h${i}`, 'skipped', 'off'))
    assert.equal(
      describeProblems(many)[0],
      'Skipped (off): h0, h1, h2, h3, h4, h5, h6, h7, h8, h9 and 2 more',
    )
  })

  it('describes a batch in one line', () => {
    assert.equal(
      describePowerBatch(
        'status',
        summarizePowerBatch([{outcome: 'ok'}, {outcome: 'failed'}, {outcome: 'skipped'}]),
      ),
      'STATUS: 1 ok, 1 failed, 1 skipped (3 hosts)',
    )
  })
})
