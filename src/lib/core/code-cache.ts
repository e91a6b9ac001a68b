/**
 * CommonJS bundles loaded with a V8 code cache (Node.js 20 has no compile cache of its own:
 * `module.enableCompileCache` came with 22.1).
 *
 * The @oclif/core package is some 700 KB of CommonJS that every command and help page loads:
 * parsing and compiling it was 13 ms of an ES module import, and the functions a start runs
 * were compiled again on every start. The build bundles it into dist/oclif-core.cjs (axios and
 * cli-table3 likewise) and writes, beside each, the code V8 compiled while a few typical starts
 * ran (dist/oclif-core.cjs.cache, scripts/code-cache.mjs): loaded with that cache, a start finds
 * those functions compiled.
 *
 * V8 checks the cache against the source and its own version and flags; one that does not fit
 * (another Node.js, a profiler flag) is rejected and the code compiled as without it. A missing
 * cache file is the same. Nothing here writes anything unless the build asks for it.
 */
import {isAscii} from 'node:buffer'
import {readFileSync, writeFileSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import vm from 'node:vm'

interface Loaded {
  exports: unknown
  script: vm.Script
}

const loaded = new Map<string, Loaded>()

/**
 * The bundle's parameters: CommonJS' five, and the `import()` it calls. A script compiled with a
 * code cache has no `import()` of its own in Node.js 20 (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING:
 * the callback is not kept with the cache, and `vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER`
 * is experimental and warns), so the build writes each `import(` of the bundle as a call of
 * `__moldctlImport` (scripts/build.mjs), which is this module's own.
 */
const WRAPPER_PARAMETERS = 'exports, require, module, __filename, __dirname, __moldctlImport'
const importModule = async (specifier: string): Promise<unknown> => import(specifier)

/** The cache file of a bundle: beside it, `.cache` appended. */
export function cacheFileOf(file: string): string {
  return `${file}.cache`
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(cacheFileOf(file))
  } catch {
    return undefined
  }
}

/**
 * Runs a CommonJS bundle as `require` would (its own module object, `require` relative to it,
 * `import()` through node's loader) and returns its exports; once per process and file.
 */
export function loadCommonJs(url: URL): unknown {
  const file = fileURLToPath(url)
  const known = loaded.get(file)
  if (known) return known.exports
  // The build writes the bundles in ASCII (scripts/build.mjs, asciiOutputs): read as latin1, the
  // bytes are the characters, without decoding UTF-8.
  const bytes = readFileSync(file)
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
  const script = new vm.Script(`(function (${WRAPPER_PARAMETERS}) {${source}\n})`, {
    cachedData: readCache(file),
    filename: file,
  })
  // A CommonJS module as require makes it, and in require's cache: `require(file)` finds it
  // there, and so does whatever lists the modules a process loaded.
  const requireHere = createRequire(file)
  const module = new Module(file)
  module.filename = file
  requireHere.cache[file] = module
  loaded.set(file, {exports: module.exports, script})
  try {
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void
    wrapper.call(module.exports, module.exports, requireHere, module, file, path.dirname(file), importModule)
  } catch (error) {
    // As require does: a module that threw is not kept, the next load tries again.
    loaded.delete(file)
    delete requireHere.cache[file]
    throw error
  }

  module.loaded = true
  loaded.set(file, {exports: module.exports, script})
  return module.exports
}

/** Whether V8 took the cache of a loaded bundle (false: none, or rejected). */
export function usedCodeCache(url: URL): boolean {
  const entry = loaded.get(fileURLToPath(url))
  return entry !== undefined && entry.script.cachedDataRejected === false
}

/**
 * For the build: writes the code cache of every bundle loaded so far, with the functions
 * compiled until now. Returns the files written.
 */
export function writeCodeCaches(): string[] {
  return [...loaded].map(([file, {script}]) => {
    writeFileSync(cacheFileOf(file), script.createCachedData())
    return cacheFileOf(file)
  })
}
