import fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {HookDirEntry} from '../../../src/lib/hooks/dir-entries.js'

import {
  compareCodePoints,
  customScriptSortKey,
  hookRunOrder,
  isCandidateFor,
  lintCustomScripts,
  listCustomScripts,
  numericOrderSurprises,
  QEMU_HOOK_ACTIONS,
  sortKeyTies,
} from '../../../src/lib/hooks/libvirt-custom-scripts.js'

const script = (name: string, executable = true): HookDirEntry => ({
  executable,
  header: 'shebang',
  kind: 'file',
  name,
})

describe('qemu hook custom script order', () => {
  it("follows the reference's migrate example", () => {
    const dir = ['all_cde.sh', 'migrate_abc.py', 'all_b.sh', 'start_zz.sh', 'migrate_10_x.sh', 'all_9_y.sh']
    assert.deepEqual(hookRunOrder(dir, 'migrate'), [
      'migrate_10_x.sh',
      'all_9_y.sh',
      'migrate_abc.py',
      'all_b.sh',
      'all_cde.sh',
    ])
  })

  it("follows the admin guide's example", () => {
    assert.deepEqual(hookRunOrder(['all_cde.sh', 'migrate_abc.py'], 'migrate'), [
      'migrate_abc.py',
      'all_cde.sh',
    ])
  })

  it('sorts by the text after the first underscore only', () => {
    assert.equal(customScriptSortKey('migrate_10_x.sh'), '10_x.sh')
    assert.equal(customScriptSortKey('all_'), '')
    assert.equal(customScriptSortKey('nounderscore'), '')
  })

  it('needs the underscore right after the action: started_x is not a start script', () => {
    assert.equal(isCandidateFor('started_x.sh', 'start'), false)
    assert.equal(isCandidateFor('start_x.sh', 'start'), true)
    assert.equal(isCandidateFor('startx.sh', 'start'), false)
    assert.equal(isCandidateFor('all_x', 'attach'), true)
    assert.equal(isCandidateFor('All_x', 'attach'), false)
  })

  it('orders digits before upper case before lower case, as Python does', () => {
    assert.deepEqual(hookRunOrder(['all_b', 'all_B', 'all_1', 'all_a', 'all_A'], 'start'), [
      'all_1',
      'all_A',
      'all_B',
      'all_a',
      'all_b',
    ])
  })

  it("matches the order Python 3's sorted() gave for the same names", () => {
    const names = ['all_cde.sh', 'migrate_abc.py', 'all_b.sh', 'start_zz.sh', 'migrate_10_x.sh', 'all_9_y.sh']
    names.push('all_B', 'all_1', 'all_\uFF5E', 'all_\u{1F600}')
    assert.deepEqual(hookRunOrder(names, 'migrate'), [
      'all_1',
      'migrate_10_x.sh',
      'all_9_y.sh',
      'all_B',
      'migrate_abc.py',
      'all_b.sh',
      'all_cde.sh',
      'all_\uFF5E',
      'all_\u{1F600}',
    ])
  })

  it('compares by code point, not by UTF-16 unit', () => {
    // U+FF5E (one UTF-16 unit) sorts before U+1F600 (a surrogate pair starting 0xD83D) in Python.
    assert.ok(compareCodePoints('\uFF5E', '\u{1F600}') < 0)
    assert.ok('\uFF5E' > '\u{1F600}')
  })

  it('compareCodePoints agrees with UTF-8 byte order (which is code point order)', () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary'}), fc.string({unit: 'binary'}), (a, b) => {
        const expected = Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
        return Math.sign(compareCodePoints(a, b)) === expected
      }),
    )
  })

  it('runs exactly the candidates, sorted by key, whatever the directory order', () => {
    const name = fc
      .tuple(fc.constantFrom('all', 'migrate', 'start', 'bogus', ''), fc.string({maxLength: 6}))
      .map(([prefix, rest]) => (prefix ? `${prefix}_${rest}` : rest))
    fc.assert(
      fc.property(fc.uniqueArray(name, {maxLength: 12}), (names) => {
        const order = hookRunOrder(names, 'migrate')
        assert.deepEqual([...order].sort(), names.filter((n) => isCandidateFor(n, 'migrate')).sort())
        for (let i = 1; i < order.length; i++) {
          assert.ok(compareCodePoints(customScriptSortKey(order[i - 1]), customScriptSortKey(order[i])) <= 0)
        }

        const keys = order.map((n) => customScriptSortKey(n))
        if (new Set(keys).size === keys.length) {
          assert.deepEqual(hookRunOrder([...names].reverse(), 'migrate'), order)
        }
      }),
    )
  })
})

describe('listCustomScripts', () => {
  const entries = [
    script('all_cde.sh'),
    script('migrate_abc.py'),
    script('start_zz.sh'),
    script('migrate_10_x.sh'),
    script('all_9_y.sh', false),
    script('README'),
    script('Migrate_x.sh'),
    {executable: true, kind: 'directory', name: 'stopped_dir'} as HookDirEntry,
  ]

  it('lists the run order of one action and why the rest is ignored', () => {
    const listing = listCustomScripts('/hooks', entries, 'migrate')
    assert.deepEqual(listing.groups, [
      {
        actions: ['migrate'],
        scripts: [
          {key: '10_x.sh', name: 'migrate_10_x.sh', order: 1},
          {key: 'abc.py', name: 'migrate_abc.py', order: 2},
          {key: 'cde.sh', name: 'all_cde.sh', order: 3},
        ],
      },
    ])
    const reasons = Object.fromEntries(listing.ignored.map((i) => [i.name, i.reason]))
    assert.match(reasons['all_9_y.sh'], /not executable/)
    assert.match(reasons.README, /no '_'/)
    assert.match(reasons['Migrate_x.sh'], /prefix 'Migrate' is neither a qemu action/)
    assert.match(reasons['start_zz.sh'], /runs only for action 'start'/)
    assert.match(reasons.stopped_dir, /a directory/)
  })

  it('groups actions that run the same scripts when no action is given', () => {
    const listing = listCustomScripts('/hooks', entries)
    const migrate = listing.groups.find((g) => g.actions.includes('migrate'))
    const start = listing.groups.find((g) => g.actions.includes('start'))
    const rest = listing.groups.find((g) => g.actions.includes('prepare'))
    assert.deepEqual(
      migrate?.scripts.map((s) => s.name),
      ['migrate_10_x.sh', 'migrate_abc.py', 'all_cde.sh'],
    )
    assert.deepEqual(
      start?.scripts.map((s) => s.name),
      ['all_cde.sh', 'start_zz.sh'],
    )
    assert.deepEqual(rest?.actions, [
      'prepare',
      'started',
      'stopped',
      'release',
      'restore',
      'reconnect',
      'attach',
    ])
    assert.deepEqual(listing.ignored.map((i) => i.name).sort(), [
      'Migrate_x.sh',
      'README',
      'all_9_y.sh',
      'stopped_dir',
    ])
  })

  it('has no groups for an empty folder', () => {
    assert.deepEqual(listCustomScripts('/hooks', []).groups, [])
    assert.equal(QEMU_HOOK_ACTIONS.length, 9)
  })
})

describe('lintCustomScripts', () => {
  it('reports a missing folder as a problem', () => {
    const lint = lintCustomScripts('/nope', {entries: [], state: 'missing'}, 'ok')
    assert.deepEqual(lint.problems, ['/nope does not exist: the qemu hook runs no custom scripts'])
  })

  it('separates problems from warnings', () => {
    const lint = lintCustomScripts(
      '/hooks',
      {
        entries: [
          script('all_10_late.sh'),
          script('all_9_early.sh'),
          script('migrate_x.sh'),
          script('all_x.sh'),
          script('start_x.sh'),
          script('stop_vm.sh'),
          script('start_off.sh', false),
          script('notes.txt', false),
          script('all_fix.sh~'),
        ],
        state: 'ok',
      },
      'missing',
    )
    assert.deepEqual(lint.problems, [
      "stop_vm.sh never runs: prefix 'stop' is neither a qemu action (prepare, start, started, stopped, release, migrate, restore, reconnect, attach) nor 'all'",
      'start_off.sh never runs: not executable: the hook logs "is not executable; skipping execution"',
    ])
    assert.ok(lint.warnings.some((w) => w.startsWith('the qemu hook next to /hooks is missing')))
    assert.ok(
      lint.warnings.includes(
        "notes.txt never runs: no '_' in the name: the hook only runs <action>_NAME and all_NAME",
      ),
    )
    assert.ok(
      lint.warnings.includes('all_fix.sh~ looks like a backup copy (~) but runs like any other script'),
    )
    assert.ok(
      lint.warnings.includes(
        'all_10_late.sh runs before all_9_early.sh: names are compared as text, not numbers (pad the numbers with zeros)',
      ),
    )
    assert.ok(lint.warnings.some((w) => w.startsWith('migrate_x.sh and all_x.sh and start_x.sh')))
  })

  it('does not call scripts for different actions a tie or a numeric surprise', () => {
    assert.deepEqual(sortKeyTies(['migrate_x.sh', 'start_x.sh']), [])
    assert.deepEqual(numericOrderSurprises(['migrate_10.sh', 'start_9.sh']), [])
    assert.deepEqual(numericOrderSurprises(['start_10.sh', 'start_9.sh']), [['start_10.sh', 'start_9.sh']])
  })
})
