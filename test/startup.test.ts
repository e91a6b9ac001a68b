import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'

import {BIN, ROOT} from './helpers/cli.js'
import {startForwardProxy} from './helpers/forward-proxy.js'
import {startTestSim} from './helpers/sim.js'

const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'trace', 'register.mjs')
const HEAVY = [
  '@inquirer',
  'axios',
  'chalk',
  'cli-table3',
  'http-proxy-agent',
  'https-proxy-agent',
  'mysql2',
  'node-forge',
  'ora',
  'p-limit',
  'string-width',
  'yaml',
]

/**
 * The heavy packages scripts/build.mjs bundles (axios into dist/axios.cjs, loaded by the first
 * request, cli-table3 with its string-width into dist/cli-table3.cjs, loaded by the first table,
 * both through src/lib/core/code-cache.ts, which puts them in require's cache) instead of
 * loading them from node_modules. (@oclif/core's bundle has its own copies of string-width etc.,
 * so string-width is not counted from bundles.)
 */
const BUNDLED_HEAVY = ['axios', 'cli-table3']

/**
 * The trace of a run (one module file a line), with, after the files, each source of a
 * BUNDLED_HEAVY package that a loaded file of dist/ has bundled in it (esbuild writes a
 * `// <path>` line before each source it bundles), as `bundled:/<path>`: such code counts as
 * loaded whether it came from its own file in node_modules or from a chunk of ours.
 */
function withBundled(trace: string): string[] {
  const files = trace.split('\n').filter(Boolean)
  const bundled = new Set<string>()
  for (const file of new Set(files)) {
    const local = file.startsWith('file:') ? fileURLToPath(file) : file
    if (!/[/\\]dist[/\\].+\.c?js$/.test(local)) continue
    for (const [, source] of readFileSync(local, 'utf8').matchAll(/^\/\/ (\S*node_modules\/\S+)$/gm)) {
      if (BUNDLED_HEAVY.some((name) => `/${source}`.includes(`/node_modules/${name}/`)))
        bundled.add(`bundled:/${source}`)
    }
  }

  return [...files, ...bundled]
}

/**
 * The module files a run of the CLI loads, run asynchronously (the simulator answering it lives
 * in this process). `env` is added to a clean environment with its own config directory.
 */
async function loadedModulesAsync(args: string[], env: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-trace-'))
  const trace = path.join(dir, 'trace.txt')
  try {
    const {code, stderr} = await new Promise<{code: null | number; stderr: string}>((resolve) => {
      const child = spawn(process.execPath, ['--import', PRELOAD, BIN, ...args], {
        cwd: ROOT,
        env: {
          HOME: dir,
          MOLDCTL_TRACE_FILE: trace,
          PATH: process.env.PATH ?? '',
          XDG_CONFIG_HOME: dir,
          ...env,
        },
      })
      let err = ''
      child.stdout.resume()
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString()
      })
      child.on('close', (status) => resolve({code: status, stderr: err}))
    })
    assert.equal(code, 0, stderr)
    return withBundled(readFileSync(trace, 'utf8'))
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

/** The command entries (dist/commands/...) among loaded files, as oclif ids. */
function commandEntries(loaded: string[]): string[] {
  return loaded
    .map((f) => /\/dist\/commands\/(.+)\.js$/.exec(f)?.[1])
    .filter((id): id is string => id !== undefined)
    .map((id) => id.replaceAll('/', ':'))
}

/** The module files a run of the CLI loads (and the sources bundled in them: withBundled). */
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
    return withBundled(readFileSync(trace, 'utf8'))
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
      assert.deepEqual(commandEntries(loaded), [], 'help loaded a command')
    }
  })

  it('completes at the shell (__complete) without oclif or any heavy module', () => {
    for (const args of [
      ['__complete', 'host', 'l'],
      ['__complete', 'host', 'list', '-o', ''],
    ]) {
      const loaded = loadedModules(args)
      assert.ok(!loaded.some((f) => /\/dist\/oclif-execute-[\w-]+\.js$/.test(f)), 'oclif was loaded')
      assert.deepEqual(commandEntries(loaded), [], 'a command was loaded')
      for (const name of HEAVY) {
        assert.deepEqual(
          loaded.filter((f) => f.includes(`/node_modules/${name}`)),
          [],
          `${name} was loaded`,
        )
      }
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

  describe('a small command loads its own code only', () => {
    // `needs`: the heavy packages the command itself uses (the HTTP client; cli-table3 to draw a
    // table with rows). Every other heavy package must stay unloaded. `unloaded`: node built-ins
    // the run must not load (node:crypto signs requests; a command that sends none and changes
    // nothing needs it neither for its profiles nor for its audit, which makes a run id only for
    // a record it writes).
    const cases: Array<{args: string[]; id: string; needs: string[]; unloaded?: string[]; withSim: boolean}> =
      [
        {
          args: ['host', 'list'],
          id: 'host:list',
          needs: ['axios', 'cli-table3', 'string-width'],
          withSim: true,
        },
        {
          args: ['job', 'list'],
          id: 'job:list',
          needs: ['axios', 'cli-table3', 'string-width'],
          withSim: true,
        },
        {args: ['profile', 'list'], id: 'profile:list', needs: [], unloaded: ['node:crypto'], withSim: false},
      ]
    for (const {args, id, needs, unloaded = [], withSim} of cases) {
      it(`moldctl ${args.join(' ')} (connection from the environment, no config.yaml) loads one command and no heavy module`, async () => {
        const sim = withSim ? await startTestSim() : undefined
        try {
          const env: Record<string, string> = sim
            ? {MOLDCTL_API_KEY: sim.apiKey, MOLDCTL_SECRET_KEY: sim.secretKey, MOLDCTL_URL: sim.url}
            : {}
          const loaded = await loadedModulesAsync(args, env)
          assert.deepEqual(commandEntries(loaded), [id])
          // The proxy agents load only when a proxy is in use (none here). Files inside a needed
          // package's own node_modules (axios ships its own https-proxy-agent) belong to it.
          const own = (f: string) => needs.some((need) => f.includes(`/node_modules/${need}/`))
          for (const name of HEAVY.filter((heavy) => !needs.includes(heavy))) {
            const offenders = loaded.filter((f) => f.includes(`/node_modules/${name}/`) && !own(f))
            assert.deepEqual(offenders, [], `${name} was loaded`)
          }

          assert.ok(loaded.includes('node:fs'), 'the trace lists built-ins')
          for (const builtin of unloaded) assert.ok(!loaded.includes(builtin), `${builtin} was loaded`)
          if (sim) {
            // axios comes bundled in a file of ours (scripts/build.mjs), with its http adapter
            // and without form-data, follow-redirects or its fetch adapter.
            assert.ok(
              loaded.some(
                (f) => f.startsWith('bundled:') && f.endsWith('/node_modules/axios/lib/adapters/http.js'),
              ),
              'the HTTP client was not loaded',
            )
            assert.deepEqual(
              loaded.filter((f) => f.includes('/node_modules/axios/') && !f.startsWith('bundled:')),
              [],
              'axios was loaded from node_modules, not from the bundle',
            )
            assert.deepEqual(
              loaded.filter((f) =>
                /\/node_modules\/(form-data|follow-redirects)\/|\/axios\/lib\/adapters\/fetch\.js$/.test(f),
              ),
              [],
              'a part of axios that the transport does not use was loaded',
            )
            const requests = await sim.requests()
            assert.ok(requests.length > 0, 'the command asked the simulator')
          }
        } finally {
          await sim?.close()
        }
      })
    }

    it('loads http-proxy-agent only when a proxy is in use, and not https-proxy-agent for an http:// server', async () => {
      const [sim, proxy] = await Promise.all([startTestSim(), startForwardProxy()])
      try {
        const loaded = await loadedModulesAsync(['zone', 'list'], {
          HTTP_PROXY: proxy.url,
          MOLDCTL_API_KEY: sim.apiKey,
          MOLDCTL_SECRET_KEY: sim.secretKey,
          MOLDCTL_URL: sim.url,
        })
        assert.ok(proxy.relayed.length > 0, 'the request went through the proxy')
        assert.ok(
          loaded.some((f) => /\/node_modules\/http-proxy-agent\//.test(f)),
          'http-proxy-agent was not loaded',
        )
        const tunnel = loaded.filter(
          (f) => f.includes('/node_modules/https-proxy-agent/') && !f.includes('/node_modules/axios/'),
        )
        assert.deepEqual(tunnel, [], 'https-proxy-agent was loaded')
        assert.ok(!loaded.some((f) => f.includes('/node_modules/ora/')), 'ora was loaded without a terminal')
      } finally {
        await Promise.all([sim.close(), proxy.close()])
      }
    })

    it('reads config.yaml with the yaml package when the file exists', async () => {
      const sim = await startTestSim()
      const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-cfg-'))
      try {
        const {writeFileSync, mkdirSync} = await import('node:fs')
        mkdirSync(path.join(dir, 'moldctl'), {mode: 0o700})
        writeFileSync(
          path.join(dir, 'moldctl', 'config.yaml'),
          `current: s\nprofiles:\n  s:\n    url: ${sim.url}\n    apikey: ${sim.apiKey}\n    secretkey: ${sim.secretKey}\n`,
          {mode: 0o600},
        )
        const loaded = await loadedModulesAsync(['host', 'list'], {XDG_CONFIG_HOME: dir})
        assert.ok(
          loaded.some((f) => f.includes('/node_modules/yaml/')),
          'yaml was not loaded though the profile came from config.yaml',
        )
      } finally {
        rmSync(dir, {force: true, recursive: true})
        await sim.close()
      }
    })
  })
})
