import assert from 'node:assert/strict'
import {chmodSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'

import {parseQemuHookTimeout} from '../../../src/lib/hooks/libvirt-custom-scripts.js'
import {makeHookDir, runBuiltCli} from '../../helpers/hook-dirs.js'

// The guide's hook rules: scripts need a #! line; the qemu hook terminates a custom script after
// timeoutSeconds (10 minutes as shipped); rolling-maintenance stages run under a stage timeout.

describe('libvirt-hooks check: #! lines and the qemu hook timeout', () => {
  it('flags a script without #! (exit 1) and shows timeoutSeconds read from the qemu hook', () => {
    const folder = makeHookDir({'all_01_ok.sh': 0o755, 'migrate_02_plain.sh': 0o755}, 'custom')
    try {
      writeFileSync(path.join(folder.dir, 'migrate_02_plain.sh'), 'echo no interpreter line\n')
      const hook = path.join(folder.root, 'qemu')
      writeFileSync(
        hook,
        '#!/usr/bin/python3\ncustomDir = "/etc/libvirt/hooks/custom"\ntimeoutSeconds = 10 * 60\n',
      )
      chmodSync(hook, 0o755)
      const text = runBuiltCli(['libvirt-hooks', 'check', '--dir', folder.dir])
      assert.equal(text.code, 1, text.stdout)
      assert.match(text.stdout, new RegExp(`qemu hook ${hook}: timeoutSeconds = 600 \\(10 minutes\\)`))
      assert.match(text.stdout, /✗ migrate_02_plain\.sh has no #! line: the hook starts it directly/)
      assert.doesNotMatch(text.stdout, /all_01_ok\.sh has no #!/)
      const asJson = JSON.parse(runBuiltCli(['libvirt-hooks', 'check', '--dir', folder.dir, '--json']).stdout)
      assert.deepEqual(asJson.qemuhook, {path: hook, timeoutseconds: 600})
    } finally {
      folder.remove()
    }
  })

  it('parseQemuHookTimeout reads products of integers, and nothing else', () => {
    assert.equal(parseQemuHookTimeout('x = 1\ntimeoutSeconds = 10 * 60\n'), 600)
    assert.equal(parseQemuHookTimeout('timeoutSeconds=1200  # twenty minutes'), 1200)
    assert.equal(parseQemuHookTimeout('timeoutSeconds = int(os.environ["T"])'), null)
    assert.equal(parseQemuHookTimeout('#!/bin/sh\n'), null)
  })
})

describe('rolling-maintenance hooks check: #! lines and the stage timeout', () => {
  it('flags a stage script without #! and says which timeout a stage runs under', () => {
    const folder = makeHookDir({'Maintenance.sh': 0o755, PreFlight: 0o755})
    try {
      writeFileSync(path.join(folder.dir, 'PreFlight'), 'echo checking\n')
      const props = path.join(folder.root, 'agent.properties')
      writeFileSync(props, `rolling.maintenance.hooks.dir=${folder.dir}\n`)
      const r = runBuiltCli(['rolling-maintenance', 'hooks', 'check', '--agent-properties', props])
      assert.equal(r.code, 0, r.stdout)
      assert.match(r.stdout, /! PreFlight has no #! line: the in-agent executor cannot start it/)
      assert.match(
        r.stdout,
        /Timeout:\s+each stage may run kvm\.rolling\.maintenance\.stage\.timeout seconds .*default 1800/,
      )
    } finally {
      folder.remove()
    }
  })
})
