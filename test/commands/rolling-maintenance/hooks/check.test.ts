import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'

import {makeHookDir, runBuiltCli} from '../../../helpers/hook-dirs.js'

function withProperties(root: string, text: string): string {
  const file = path.join(root, 'agent.properties')
  writeFileSync(file, text)
  return file
}

describe('rolling-maintenance hooks check', () => {
  it('reads the folder from agent.properties and is clean for a good set', () => {
    const folder = makeHookDir({'Maintenance.sh': 0o755, PostMaintenance: 0o755, 'PreFlight.py': 0o755})
    try {
      const props = withProperties(folder.root, `rolling.maintenance.hooks.dir=${folder.dir}\n`)
      const {code, stdout} = runBuiltCli([
        'rolling-maintenance',
        'hooks',
        'check',
        '--agent-properties',
        props,
      ])
      assert.equal(code, 0, stdout)
      assert.match(stdout, new RegExp(`Hooks folder: ${folder.dir} \\(${props}\\)`))
      assert.match(stdout, /Executor:\s+systemd unit cloudstack-rolling-maintenance@/)
      assert.match(stdout, /PreFlight\s+PreFlight\.py\s+yes/)
      assert.match(stdout, /PreMaintenance\s+- \(stage skipped\)/)
      assert.match(stdout, /Maintenance\s+Maintenance\.sh\s+yes/)
      assert.match(stdout, /^OK$/m)
    } finally {
      folder.remove()
    }
  })

  it('exits 1 without a Maintenance script and with a non-executable one, naming ignored files', () => {
    const folder = makeHookDir({PreFlight: 0o644, 'PreFlight.sh': 0o755, 'maintenance.sh': 0o755})
    try {
      const props = withProperties(folder.root, 'rolling.maintenance.service.executor.disabled=true\n')
      const {code, stdout} = runBuiltCli([
        'rolling-maintenance',
        'hooks',
        'check',
        '--agent-properties',
        props,
        '--dir',
        folder.dir,
        '--json',
      ])
      assert.equal(code, 1)
      const report = JSON.parse(stdout)
      assert.equal(report.executor, 'agent')
      assert.equal(report.hostskipped, true)
      assert.equal(report.hooksdirsource, 'flag')
      assert.deepEqual(report.stages[0], {
        executable: false,
        header: 'shebang',
        ignored: [{name: 'PreFlight.sh', reason: 'PreFlight is found first; this file never runs'}],
        script: 'PreFlight',
        stage: 'PreFlight',
      })
      assert.deepEqual(
        report.stages[2].ignored.map((i: {name: string}) => i.name),
        ['maintenance.sh'],
      )
      assert.equal(report.problems.length, 2, report.problems.join('\n'))
      assert.match(report.warnings.join('\n'), /rolling.maintenance.hooks.dir is not set/)
      assert.match(report.problems.join('\n'), /PreFlight is not executable/)
      assert.match(report.problems.join('\n'), /no Maintenance script/)
    } finally {
      folder.remove()
    }
  })

  it('exits 1 when agent.properties is missing and no folder is given', () => {
    const folder = makeHookDir({})
    try {
      const {code, stdout} = runBuiltCli([
        'rolling-maintenance',
        'hooks',
        'check',
        '--agent-properties',
        path.join(folder.root, 'none.properties'),
      ])
      assert.equal(code, 1)
      assert.match(
        stdout,
        /none\.properties not found: the executor in use is unknown; pass --dir or --agent-properties/,
      )
    } finally {
      folder.remove()
    }
  })
})
