import assert from 'node:assert/strict'
import {chmodSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {makeHookDir, runBuiltCli} from '../../helpers/hook-dirs.js'

describe('libvirt-hooks list / check', () => {
  let folder: ReturnType<typeof makeHookDir>

  before(() => {
    folder = makeHookDir(
      {
        'all_9_y.sh': 0o755,
        'all_b.sh': 0o755,
        'all_cde.sh': 0o755,
        'migrate_10_x.sh': 0o755,
        'migrate_abc.py': 0o755,
        'migrate_off.sh': 0o644,
        'start_zz.sh': 0o755,
        'stop_typo.sh': 0o755,
      },
      'custom',
    )
  })

  after(() => folder.remove())

  it('lists the run order for an action as the qemu hook computes it', () => {
    const {code, stdout} = runBuiltCli(['libvirt-hooks', 'list', '--dir', folder.dir, '--action', 'migrate'])
    assert.equal(code, 0)
    const order = stdout
      .split('\n')
      .filter((line) => /^\s+\d+\./.test(line))
      .map((line) => line.trim().split(/\s+/)[1])
    assert.deepEqual(order, ['migrate_10_x.sh', 'all_9_y.sh', 'migrate_abc.py', 'all_b.sh', 'all_cde.sh'])
    assert.match(stdout, /migrate_off\.sh\s+not executable/)
    assert.match(stdout, /start_zz\.sh\s+runs only for action 'start'/)
    assert.match(stdout, /stop_typo\.sh\s+prefix 'stop' is neither a qemu action/)
  })

  it('gives the grouped order with --json', () => {
    const {code, stdout} = runBuiltCli(['libvirt-hooks', 'list', '--dir', folder.dir, '--json'])
    assert.equal(code, 0)
    const listing = JSON.parse(stdout)
    assert.equal(listing.exists, true)
    const start = listing.groups.find((g: {actions: string[]}) => g.actions.includes('start'))
    assert.deepEqual(
      start.scripts.map((s: {name: string}) => s.name),
      ['all_9_y.sh', 'all_b.sh', 'all_cde.sh', 'start_zz.sh'],
    )
    assert.deepEqual(listing.ignored.map((i: {name: string}) => i.name).sort(), [
      'migrate_off.sh',
      'stop_typo.sh',
    ])
  })

  it('refuses an unknown action with exit 2', () => {
    const {code, stderr} = runBuiltCli(['libvirt-hooks', 'list', '--dir', folder.dir, '--action', 'stop'])
    assert.equal(code, 2)
    assert.match(stderr, /Expected --action=stop to be one of: prepare, start/)
  })

  it('says so when the folder does not exist', () => {
    const {code, stdout} = runBuiltCli(['libvirt-hooks', 'list', '--dir', path.join(folder.root, 'nope')])
    assert.equal(code, 0)
    assert.match(stdout, /does not exist: the qemu hook runs no custom scripts/)
  })

  it('check exits 1 and names each problem', () => {
    const {code, stdout} = runBuiltCli(['libvirt-hooks', 'check', '--dir', folder.dir])
    assert.equal(code, 1)
    assert.match(stdout, /✗ migrate_off\.sh never runs: not executable/)
    assert.match(stdout, /✗ stop_typo\.sh never runs: prefix 'stop'/)
    assert.match(stdout, /! migrate_10_x\.sh runs before all_9_y\.sh: names are compared as text/)
    assert.match(stdout, /! the qemu hook next to .* is missing/)
    assert.match(stdout, /2 problems found/)
  })

  it('check passes a clean folder, and --strict fails it on warnings', () => {
    const clean = makeHookDir({'all_01_a.sh': 0o755, 'migrate_02_b.sh': 0o755}, 'custom')
    try {
      writeFileSync(path.join(clean.root, 'qemu'), '#!/bin/sh\n')
      chmodSync(path.join(clean.root, 'qemu'), 0o755)
      const ok = runBuiltCli(['libvirt-hooks', 'check', '--dir', clean.dir, '--json'])
      assert.equal(ok.code, 0)
      assert.deepEqual(JSON.parse(ok.stdout), {dir: clean.dir, problems: [], warnings: []})
      chmodSync(path.join(clean.root, 'qemu'), 0o644)
      const strict = runBuiltCli(['libvirt-hooks', 'check', '--dir', clean.dir, '--strict'])
      assert.equal(strict.code, 1)
      assert.match(strict.stdout, /qemu hook next to .* is not executable/)
    } finally {
      clean.remove()
    }
  })

  it('check reports a missing folder with exit 1', () => {
    const {code, stdout} = runBuiltCli(['libvirt-hooks', 'check', '--dir', path.join(folder.root, 'nope')])
    assert.equal(code, 1)
    assert.match(stdout, /does not exist/)
  })
})
