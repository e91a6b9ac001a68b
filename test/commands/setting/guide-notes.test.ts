import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {GUIDE_NOTES, settingApplies, settingNotes} from '../../../src/lib/settings/guide-notes.js'
import {runCli, simEnv} from '../../helpers/cli.js'
import {useSim} from '../../helpers/sim.js'

// The guide's restart reminders beside the server's isdynamic: where they disagree, both are said.

const sim = useSim()
const moldctl = (...args: string[]) => runCli(args, {env: {COLUMNS: '250', ...simEnv(sim)}})

describe('restart reminders: the guide and the server', () => {
  it('outofbandmanagement.sync.poolsize: dynamic on the server, a restart in the guide — both are said', async () => {
    const r = await moldctl('setting', 'set', 'outofbandmanagement.sync.poolsize', '60')
    assert.equal(r.code, 0, r.stderr)
    assert.match(
      r.stderr,
      /Note: the server reports outofbandmanagement\.sync\.poolsize dynamic; the guide says restart the management server\(s\) to apply it/,
    )
    assert.match(
      r.stderr,
      /thread pool is set up when the management server starts, .*\(§10 out-of-band management\)/,
    )
    assert.equal((await moldctl('setting', 'reset', 'outofbandmanagement.sync.poolsize')).code, 0)
  })

  it('ca.plugin.root.auth.strictness true: the restart the guide asks for', async () => {
    const r = await moldctl('setting', 'set', 'ca.plugin.root.auth.strictness', 'true')
    assert.equal(r.code, 0, r.stderr)
    assert.match(
      r.stderr,
      /the server reports ca\.plugin\.root\.auth\.strictness dynamic; the guide says restart the management server/,
    )
    assert.match(r.stderr, /once every agent\/host is secured/)
    assert.equal((await moldctl('setting', 'reset', 'ca.plugin.root.auth.strictness')).code, 0)
  })

  it('outofbandmanagement.ipmitool.path: dynamic on the server (as upstream declares it), live in the guide — no disagreement', async () => {
    const r = await moldctl('setting', 'get', 'outofbandmanagement.ipmitool.path')
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /the guide: the OOBM settings other than sync\.poolsize change without restarting/)
    assert.doesNotMatch(r.stderr, /the server reports outofbandmanagement\.ipmitool\.path read at start-up/)
  })

  it('setting list shows who asks for the restart in APPLIES', async () => {
    const r = await moldctl(
      'setting',
      'list',
      '--filter',
      'outofbandmanagement',
      '--columns',
      'name,isdynamic',
    )
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /^outofbandmanagement\.sync\.poolsize\s+restart \(guide\)$/m)
    assert.match(r.stdout, /^outofbandmanagement\.ipmitool\.path\s+live$/m)
    assert.match(r.stdout, /^outofbandmanagement\.action\.timeout\s+live$/m)
  })

  it('mem.overprovisioning.factor carries the guide note on KVM balloon drivers', async () => {
    const r = await moldctl('setting', 'get', 'mem.overprovisioning.factor')
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stderr, /balloon driver \(virtio, CONFIG_VIRTIO_BALLOON=y\)/)
  })

  it('settingApplies / settingNotes cover every combination; every guide setting exists in the simulator', () => {
    assert.equal(settingApplies('outofbandmanagement.sync.poolsize', true), 'restart (guide)')
    assert.equal(settingApplies('ca.framework.background.task.delay', false), 'restart')
    assert.equal(settingApplies('outofbandmanagement.ipmitool.path', false), 'restart (server)')
    assert.equal(settingApplies('some.unnamed.setting', false), 'restart')
    assert.equal(settingApplies('some.unnamed.setting', true), 'live')
    assert.deepEqual(settingNotes('some.unnamed.setting', true), [])
    const known = new Set(sim.model.settingDefinitions.keys())
    const missing = Object.keys(GUIDE_NOTES).filter((name) => !known.has(name))
    assert.ok(
      missing.length < Object.keys(GUIDE_NOTES).length / 2,
      `most guide settings are simulated: ${missing.join(', ')}`,
    )
  })
})
