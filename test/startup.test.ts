import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'

import {BIN, ROOT} from './helpers/cli.js'

const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'trace', 'register.mjs')
const HEAVY = [
  '@inquirer',
  'axios',
  'cli-table3',
  'http-proxy-agent',
  'https-proxy-agent',
  'mysql2',
  'node-forge',
  'ora',
  'yaml',
]

/** The module files a run of the CLI loads. */
function loadedModules(args: string[]): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-trace-'))
  const trace = path.join(dir, 'trace.txt')
  try {
    const r = spawnSync(process.execPath, ['--import', PRELOAD, BIN, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {...process.env, MOLDCTL_TRACE_FILE: trace},
    })
    assert.equal(r.status, 0, r.stderr)
    return readFileSync(trace, 'utf8').split('\n').filter(Boolean)
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

describe('start-up stays light', () => {
  for (const args of [
    ['--version'],
    ['--help'],
    ['host', 'list', '--help'],
    ['host', 'maintenance', '--help'],
  ]) {
    it(`moldctl ${args.join(' ')} loads none of the heavy modules`, () => {
      const loaded = loadedModules(args)
      assert.ok(
        loaded.some((f) => f.endsWith('/dist/run.js')),
        'the trace saw the entry load',
      )
      for (const name of HEAVY) {
        const offenders = loaded.filter((f) => f.includes(`/node_modules/${name}`))
        assert.deepEqual(offenders, [], `${name} was loaded`)
      }
    })
  }

  it('reads commands from the built manifest', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8'))
    assert.ok(manifest.commands['host:list'])
    for (const args of [['--help'], ['host', 'list', '--help']]) {
      const loaded = loadedModules(args)
      assert.ok(
        loaded.some((f) => /\/dist\/oclif-execute-[\w-]+\.js$/.test(f)),
        'the trace saw oclif load',
      )
      assert.ok(!loaded.some((f) => f.endsWith('/dist/commands-index.js')), 'help loaded the commands')
    }
  })

  it('answers --version without loading oclif', () => {
    const loaded = loadedModules(['--version'])
    assert.ok(!loaded.some((f) => /\/dist\/oclif-execute-[\w-]+\.js$/.test(f)), 'oclif was loaded')
  })

  it('does load the client when a command runs (the trace can see lazy imports)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-trace-'))
    const trace = path.join(dir, 'trace.txt')
    try {
      spawnSync(
        process.execPath,
        ['--import', PRELOAD, BIN, 'zone', 'list', '--url', 'http://127.0.0.1:9/client/api'],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: {
            ...process.env,
            MOLDCTL_API_KEY: 'k',
            MOLDCTL_SECRET_KEY: 's',
            MOLDCTL_TRACE_FILE: trace,
            XDG_CONFIG_HOME: dir,
          },
        },
      )
      assert.ok(
        // src/lib/api/client.ts is imported lazily: in the bundle it is a chunk of its own.
        /\/dist\/client-\w+\.js$/m.test(readFileSync(trace, 'utf8')),
        'the API client loads when a request is made',
      )
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })
})
