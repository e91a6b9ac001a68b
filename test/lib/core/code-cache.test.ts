import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, describe, it} from 'node:test'
import {fileURLToPath, pathToFileURL} from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const LOADER = pathToFileURL(path.join(ROOT, 'src', 'lib', 'core', 'code-cache.ts')).href
const DIST = path.join(ROOT, 'dist')

/** Runs an ES module script in a fresh node (with tsx, for the loader's TypeScript source); its stdout lines. */
function runScript(source: string): string[] {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  assert.equal(r.status, 0, r.stderr)
  return r.stdout.trim().split('\n')
}

describe('CommonJS bundles loaded with a code cache', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-code-cache-'))

  after(() => rmSync(dir, {force: true, recursive: true}))

  const bundle = path.join(dir, 'bundle.cjs')
  const target = path.join(dir, 'target.mjs')
  writeFileSync(target, 'export const answer = 42\n')
  writeFileSync(
    bundle,
    [
      'exports.loads = (globalThis.__loads = (globalThis.__loads ?? 0) + 1)',
      'exports.dir = __dirname',
      "exports.builtin = typeof require('node:path').join",
      'exports.self = module.exports === exports',
      'exports.later = async (url) => (await __moldctlImport(url)).answer',
      'exports.square = (n) => n * n',
    ].join('\n'),
  )

  it('runs the bundle once as CommonJS, with require, __dirname and an import() of its own, and puts it in require.cache', () => {
    const out = runScript(`
      import {createRequire} from 'node:module'
      import {loadCommonJs, usedCodeCache} from ${JSON.stringify(LOADER)}
      const url = new URL(${JSON.stringify(pathToFileURL(bundle).href)})
      const first = loadCommonJs(url)
      const second = loadCommonJs(url)
      console.log(first === second, first.loads, first.dir === ${JSON.stringify(dir)}, first.builtin, first.self)
      console.log(await first.later(${JSON.stringify(pathToFileURL(target).href)}))
      console.log(createRequire(import.meta.url)(${JSON.stringify(bundle)}) === first)
      console.log(usedCodeCache(url))
    `)
    assert.deepEqual(out, ['true 1 true function true', '42', 'true', 'false'])
  })

  it('writes a cache that a later process takes, with the functions compiled so far', () => {
    runScript(`
      import {loadCommonJs, writeCodeCaches} from ${JSON.stringify(LOADER)}
      const loaded = loadCommonJs(new URL(${JSON.stringify(pathToFileURL(bundle).href)}))
      loaded.square(3)
      console.log(writeCodeCaches().join(','))
    `)
    assert.ok(existsSync(`${bundle}.cache`), 'no cache file was written')
    const out = runScript(`
      import {loadCommonJs, usedCodeCache} from ${JSON.stringify(LOADER)}
      const url = new URL(${JSON.stringify(pathToFileURL(bundle).href)})
      console.log(loadCommonJs(url).square(4), usedCodeCache(url))
    `)
    assert.deepEqual(out, ['16 true'])
  })

  it('compiles the bundle as without a cache when the cache does not fit it', () => {
    writeFileSync(`${bundle}.cache`, Buffer.from('not a code cache'))
    const out = runScript(`
      import {loadCommonJs, usedCodeCache} from ${JSON.stringify(LOADER)}
      const url = new URL(${JSON.stringify(pathToFileURL(bundle).href)})
      console.log(loadCommonJs(url).square(5), usedCodeCache(url))
    `)
    assert.deepEqual(out, ['25 false'])
  })

  it('keeps no half-loaded bundle when it throws: the next load runs it again', () => {
    const failing = path.join(dir, 'failing.cjs')
    writeFileSync(
      failing,
      "globalThis.__tries = (globalThis.__tries ?? 0) + 1\nthrow new Error('try ' + globalThis.__tries)\n",
    )
    const out = runScript(`
      import {loadCommonJs} from ${JSON.stringify(LOADER)}
      const url = new URL(${JSON.stringify(pathToFileURL(failing).href)})
      for (let i = 0; i < 2; i++) {
        try { loadCommonJs(url) } catch (error) { console.log(error.message) }
      }
    `)
    assert.deepEqual(out, ['try 1', 'try 2'])
  })

  it('reads a bundle with characters outside ASCII as UTF-8 (an ASCII one as its bytes)', () => {
    const wide = path.join(dir, 'wide.cjs')
    writeFileSync(wide, "exports.name = '호스트-1 — ✓'\n")
    const ascii = path.join(dir, 'ascii.cjs')
    writeFileSync(ascii, String.raw`exports.name = '\uD638\uC2A4\uD2B8-1 \u2014 \u2713'` + '\n')
    const out = runScript(`
      import {loadCommonJs} from ${JSON.stringify(LOADER)}
      for (const file of ${JSON.stringify([wide, ascii])}) {
        console.log(JSON.stringify(loadCommonJs(new URL('file://' + file)).name))
      }
    `)
    assert.deepEqual(out, ['"호스트-1 — ✓"', '"호스트-1 — ✓"'])
  })
})

describe('the build', () => {
  it('writes code caches for @oclif/core, axios and cli-table3 that this node takes, and the packages work from them', () => {
    const bundles = ['oclif-core.cjs', 'axios.cjs', 'cli-table3.cjs']
    for (const file of bundles) {
      assert.ok(existsSync(path.join(DIST, `${file}.cache`)), `dist/${file}.cache is missing (npm run build)`)
    }

    // The modules that load axios and cli-table3 are chunks of their own (dist/<name>-<hash>.js),
    // as lazy as their import().
    const chunkOf = (name: string) => {
      const chunk = readdirSync(DIST).find((file) => new RegExp(`^${name}-\\w+\\.js$`).test(file))
      assert.ok(chunk, `no chunk dist/${name}-<hash>.js`)
      return pathToFileURL(path.join(DIST, chunk)).href
    }

    const out = runScript(`
      import {usedCodeCache} from ${JSON.stringify(pathToFileURL(path.join(DIST, 'code-cache.js')).href)}
      await import(${JSON.stringify(pathToFileURL(path.join(DIST, 'commands', 'host', 'list.js')).href)})
      const {default: axios} = await import(${JSON.stringify(chunkOf('axios'))})
      const {default: Table} = await import(${JSON.stringify(chunkOf('cli-table3'))})
      const table = new Table({head: ['NAME']})
      table.push(['호스트-1'])
      console.log(typeof axios.create, table.toString().includes('호스트-1'))
      for (const file of ${JSON.stringify(bundles)}) {
        console.log(file, usedCodeCache(new URL(file, ${JSON.stringify(pathToFileURL(DIST + path.sep).href)})))
      }
    `)
    assert.deepEqual(
      out,
      ['function true', ...bundles.map((file) => `${file} true`)],
      'V8 rejected a code cache of the build',
    )
  })

  it('writes every module of dist/ and the manifest in ASCII, which V8 keeps one byte a character', () => {
    const files = [
      ...readdirSync(DIST, {recursive: true})
        .map(String)
        .filter((name) => /\.c?js$/.test(name))
        .map((name) => path.join(DIST, name)),
      path.join(ROOT, 'oclif.manifest.json'),
    ]
    assert.ok(files.length > 20, 'dist/ holds the built modules (npm run build)')
    const wide = files.filter((file) => /[^\0-\u007F]/.test(readFileSync(file, 'utf8')))
    assert.deepEqual(wide, [], 'a built file has a character outside ASCII (scripts/build.mjs, asciiOutputs)')
    // The escapes are the manifest's own texts: a help page that has a character outside ASCII.
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8'))
    assert.ok(
      Object.values(manifest.commands as Record<string, {description?: string}>).some((command) =>
        /[^\0-\u007F]/.test(command.description ?? ''),
      ),
      'no description in the manifest has a character outside ASCII to check the escapes with',
    )
  })

  it('leaves no import() in the bundles that a cached script could not make', () => {
    for (const file of ['oclif-core.cjs', 'axios.cjs', 'cli-table3.cjs']) {
      const source = readFileSync(path.join(DIST, file), 'utf8')
      assert.equal(/(?<![\w$.'"`])import\((?!\))/.test(source), false, `dist/${file} calls import() itself`)
    }
  })
})
