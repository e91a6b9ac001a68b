import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {HookDirEntry} from '../../../src/lib/hooks/dir-entries.js'

import {rollingMaintenanceSettings} from '../../../src/lib/hooks/agent-properties.js'
import {
  checkRollingHooks,
  ROLLING_STAGES,
  selectStageScript,
  stageScriptCandidates,
} from '../../../src/lib/hooks/rolling-stage-scripts.js'

const file = (name: string, executable = true, header: HookDirEntry['header'] = 'shebang'): HookDirEntry => ({
  executable,
  header,
  kind: 'file',
  name,
})

describe('agent.properties', () => {
  it('reads the hooks folder and the default systemd executor', () => {
    const settings = rollingMaintenanceSettings(
      '# comment\nrolling.maintenance.hooks.dir=/etc/cloudstack/agent/hooks.d\nhost=10.0.0.1@static\n',
    )
    assert.deepEqual(settings, {executor: 'systemd', hooksDir: '/etc/cloudstack/agent/hooks.d'})
  })

  it('honours Java properties syntax (separators, continuations, escapes)', () => {
    const settings = rollingMaintenanceSettings(
      'rolling.maintenance.hooks.dir : /opt/ho\\\n   oks\nrolling.maintenance.service.executor.disabled   TRUE\n',
    )
    assert.deepEqual(settings, {executor: 'agent', hooksDir: '/opt/hooks'})
  })

  it('treats the beanutils true words as true and anything else as false', () => {
    for (const word of ['true', 'yes', 'on', '1', 'Y']) {
      assert.equal(
        rollingMaintenanceSettings(`rolling.maintenance.service.executor.disabled=${word}`).executor,
        'agent',
      )
    }

    for (const word of ['false', 'no', 'maybe', '']) {
      assert.equal(
        rollingMaintenanceSettings(`rolling.maintenance.service.executor.disabled=${word}`).executor,
        'systemd',
      )
    }
  })

  it('treats a blank hooks folder as unset', () => {
    assert.equal(rollingMaintenanceSettings('rolling.maintenance.hooks.dir=   ').hooksDir, null)
    assert.equal(rollingMaintenanceSettings('').hooksDir, null)
  })
})

describe('stage script selection', () => {
  it('looks for NAME, NAME.sh, NAME.py in that order', () => {
    assert.deepEqual(stageScriptCandidates('PreFlight'), ['PreFlight', 'PreFlight.sh', 'PreFlight.py'])
    assert.deepEqual(ROLLING_STAGES, ['PreFlight', 'PreMaintenance', 'Maintenance', 'PostMaintenance'])
  })

  it('picks the first existing regular file and names the others as ignored', () => {
    const choice = selectStageScript('Maintenance', [file('Maintenance.py'), file('Maintenance.sh', false)])
    assert.equal(choice.script, 'Maintenance.sh')
    assert.equal(choice.executable, false)
    assert.deepEqual(choice.ignored, [
      {name: 'Maintenance.py', reason: 'Maintenance.sh is found first; this file never runs'},
    ])
  })

  it('skips a directory with a stage name and looks further', () => {
    const choice = selectStageScript('PreFlight', [
      {executable: true, kind: 'directory', name: 'PreFlight'},
      file('PreFlight.py'),
    ])
    assert.equal(choice.script, 'PreFlight.py')
    assert.match(choice.ignored[0].reason, /not a regular file/)
  })

  it('names case and extension lookalikes as ignored', () => {
    const choice = selectStageScript('PostMaintenance', [
      file('postmaintenance.sh'),
      file('PostMaintenance.bash'),
    ])
    assert.equal(choice.script, null)
    assert.deepEqual(
      choice.ignored.map((i) => i.name),
      ['postmaintenance.sh', 'PostMaintenance.bash'],
    )
    assert.equal(selectStageScript('Maintenance', [file('PreMaintenance.sh')]).ignored.length, 0)
  })
})

describe('checkRollingHooks', () => {
  const base = {agentPropertiesFile: '/etc/cloudstack/agent/agent.properties'}

  it('is clean for a complete, executable set', () => {
    const report = checkRollingHooks({
      ...base,
      agentSettings: {executor: 'systemd', hooksDir: '/hooks'},
      listing: {
        entries: [
          file('PreFlight.sh'),
          file('Maintenance'),
          file('rolling-maintenance-results'),
          file('notes.txt'),
        ],
        state: 'ok',
      },
    })
    assert.deepEqual(report.problems, [])
    assert.deepEqual(report.warnings, [])
    assert.equal(report.hooksdir, '/hooks')
    assert.equal(report.hooksdirsource, 'agent.properties')
    assert.equal(report.hostskipped, false)
    assert.deepEqual(report.otherfiles, ['notes.txt'])
    assert.deepEqual(
      report.stages.map((s) => s.script),
      ['PreFlight.sh', null, 'Maintenance', null],
    )
    assert.match(report.payload ?? '', /split by the shell/)
  })

  it('says the host is skipped without a Maintenance script and flags non-executable scripts', () => {
    const report = checkRollingHooks({
      ...base,
      agentSettings: {executor: 'agent', hooksDir: '/hooks'},
      listing: {entries: [file('PreFlight', false), file('PostMaintenance.py', true, 'none')], state: 'ok'},
    })
    assert.equal(report.hostskipped, true)
    assert.deepEqual(report.problems, [
      'PreFlight is not executable: stage PreFlight will fail (chmod +x it)',
      'no Maintenance script: the management server skips this host ("There is no maintenance script on the host")',
    ])
    assert.match(report.warnings[0], /PostMaintenance.py has no #! line/)
  })

  it('is a problem when agent.properties sets no hooks folder and none is given', () => {
    const report = checkRollingHooks({...base, agentSettings: {executor: 'systemd', hooksDir: null}})
    assert.equal(report.hooksdirsource, 'unset')
    assert.match(report.problems[0], /rolling.maintenance.hooks.dir is not set/)
  })

  it('uses --dir over agent.properties and only warns when agent.properties is missing', () => {
    const report = checkRollingHooks({
      ...base,
      agentSettings: null,
      dirFlag: '/mine',
      listing: {entries: [], state: 'missing'},
    })
    assert.equal(report.hooksdir, '/mine')
    assert.equal(report.hooksdirsource, 'flag')
    assert.equal(report.executor, null)
    assert.match(report.warnings[0], /not found: the executor in use is unknown/)
    assert.equal(report.problems[0], '/mine does not exist')
  })
})
