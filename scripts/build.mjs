import * as esbuild from 'esbuild'
// Builds dist/ and the oclif manifest: type-checks, bundles, writes oclif.manifest.json.
//
// Why a bundle: start-up time is mostly module loading. @oclif/core alone is some 170 CommonJS
// files (with semver, minimatch, ejs...), each found, read and compiled on every run. esbuild
// turns our sources into a few ES modules and @oclif/core into one file, cutting the CPU time of
// `moldctl host list --help` by about a quarter (bench/startup.ts measures it).
//
// - dist/run.js is the entry (src/run.ts) that bin/run.js calls: `--version` is answered there;
//   everything else loads oclif (dist/oclif-core.cjs, below).
// - dist/commands/<topic>/<name>.js is one entry per command (src/commands/host/list.ts →
//   dist/commands/host/list.js), found by oclif's "pattern" discovery (package.json
//   oclif.commands). Help and the command table come from oclif.manifest.json, which names each
//   command's file (relativePath), so a run loads that one command's entry and the chunks it
//   shares with others — not every command (an index of all of them cost some 150 ms a run).
// - splitting: the entries share chunks; every chunk sits directly in dist/ (v1-derive's worker
//   threads load dist/v1-derive.js next to the chunk that starts them).
// - @oclif/core and axios are CommonJS bundles of their own, dist/oclif-core.cjs and
//   dist/axios.cjs, each loaded with a V8 code cache written at the end of the build
//   (src/lib/core/code-cache.ts, scripts/code-cache.mjs): Node.js 20 has no compile cache, and
//   oclif alone took some 13 ms to parse and compile on every start. Our chunks import them by
//   name from a small module each (VENDOR_BUNDLES below), so there is one copy of each; axios
//   stays lazy (`import('axios')` in transport.ts loads it; --version, --help and completion
//   never do) and comes without the parts of it our transport never uses (AXIOS_STUBS below).
//   From node_modules axios was some 140 files (66 of axios itself) and 130-180 ms for each
//   command that sends requests; bundled, 40-50 ms; with its code cache, less again.
// - Heavy packages our code loads lazily stay external (loaded from node_modules when used).
// - Our chunks are ESM with a `require` made by createRequire (bundled CommonJS code calls it
//   for node built-ins and JSON). In dist/oclif-core.cjs, __dirname is dist/: @oclif/core's uses
//   of it are in code we do not reach (TypeScript development paths; `execute` without `dir`) or
//   fallbacks after what esbuild inlines (its own package.json version) — `npm test` runs the
//   whole suite against this build.
// - Three patches to oclif, each changing nothing visible (the build fails when oclif's code no
//   longer matches):
//   - it sorts the command list with String#localeCompare on every start, and the first
//     localeCompare call builds an ICU collator (5–9 ms). The help output sorts again by code
//     unit order, so a code unit order sort here changes nothing visible.
//   - its index checks the Node.js version against its own package.json `engines` at load: it
//     loads semver (6–16 ms a start) to compare with a range that is not there in the bundle
//     (it reads `<dist>/../package.json`, moldctl's, where npm checks `engines` at install). The
//     call is left out.
//   - help renders every text through ejs, which compiles a function per text (about 10 ms for
//     one command's help); a text without `<%` is returned as it is (ejs gives it back
//     unchanged), and `<%= config.bin %>` and `<%= command.id %>` (every usage line has it) alone
//     are filled in directly when the name and id need no HTML escaping, as `<%=` would escape
//     them; any other tag goes through ejs.
// - One patch to string-width 4 (ours and cli-table3's): a string of printable ASCII alone
//   (U+0020-U+007E) is as wide as it is long, so it is answered at once. string-width gives the
//   same: strip-ansi finds no ESC in it, emoji-regex matches no sequence of ASCII alone (each has
//   a code point above U+007E: keycaps need U+FE0F U+20E3), and no such character is a control,
//   combining or full-width one. The first call compiled emoji-regex's pattern, some 20 million
//   instructions of a 6-host `host list` (test/lib/output/string-width.test.ts compares both).
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {isDeepStrictEqual} from 'node:util'

const run = (cmd, args) => execFileSync(cmd, args, {stdio: 'inherit'})
rmSync('dist', {force: true, recursive: true})
rmSync('oclif.manifest.json', {force: true})
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'])

function findCommandFiles(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return findCommandFiles(full)
    return entry.name.endsWith('.ts') ? [full] : []
  })
}

const commandFiles = findCommandFiles(path.join('src', 'commands')).sort()
/** One entry per command: src/commands/host/list.ts → dist/commands/host/list.js. */
const commandEntries = Object.fromEntries(
  commandFiles.map((file) => [
    path.relative('src', file).split(path.sep).join('/').replace(/\.ts$/, ''),
    file,
  ]),
)

/** oclif source patches (see above): the file, the text to find exactly once, its replacement. */
const OCLIF_PATCHES = [
  {
    file: /@oclif[/\\]core[/\\]lib[/\\]config[/\\]plugin\.js$/,
    from: '.sort((a, b) => a.id.localeCompare(b.id));',
    to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));',
  },
  {
    file: /@oclif[/\\]core[/\\]lib[/\\]index\.js$/,
    from: '\ncheckNodeVersion();\n',
    to: '\n',
  },
  {
    file: /@oclif[/\\]core[/\\]lib[/\\]help[/\\]util\.js$/,
    from: '        return ejs_1.default.render(t, context);',
    to: [
      "        if (typeof t === 'string' && !t.includes('<%')) return t;",
      String.raw`        const plain = (value) => typeof value === 'string' && /^[\w:.-]+$/.test(value);`,
      '        const bin = context.config?.bin;',
      '        const id = context.command?.id;',
      "        let filled = typeof t === 'string' && plain(bin) ? t.replaceAll('<%= config.bin %>', bin) : '<%';",
      "        if (plain(id)) filled = filled.replaceAll('<%= command.id %>', id);",
      "        return filled.includes('<%') ? ejs_1.default.render(t, context) : filled;",
    ].join('\n'),
  },
]
/** Patches of other packages (see above), applied as the oclif ones. */
const SOURCE_PATCHES = [
  ...OCLIF_PATCHES,
  {
    file: /[/\\]node_modules[/\\]string-width[/\\]index\.js$/,
    from: 'const stringWidth = string => {\n',
    to: "const stringWidth = string => {\n\tif (typeof string === 'string' && /^[\\x20-\\x7E]*$/.test(string)) return string.length;\n",
  },
  {
    // ansis' strip() pattern has ESC and CSI (U+009B) as raw characters in a regular expression,
    // the one place esbuild keeps a character outside ASCII as it is; written as escapes, the
    // pattern is the same and the bundle ASCII (see asciiOutputs below).
    file: /[/\\]node_modules[/\\]ansis[/\\]index\.js$/,
    from: 'e.replace(/[\u001B\u009B][[()#;?]*',
    to: String.raw`e.replace(/[\x1B\x9B][[()#;?]*`,
  },
]
const appliedPatches = new Set()

/** The source of a package file with the SOURCE_PATCHES for it applied (undefined: none is). */
function patchedSource(file) {
  const patches = SOURCE_PATCHES.filter((patch) => patch.file.test(file))
  if (patches.length === 0) return
  let source = readFileSync(file, 'utf8')
  for (const {from, to} of patches) {
    if (source.split(from).length !== 2) {
      throw new Error(`${file}: the code to patch was not found once; see scripts/build.mjs`)
    }

    source = source.replace(from, () => to)
    appliedPatches.add(from)
  }

  return source
}

/**
 * axios without what moldctl's transport (src/lib/api/transport.ts) never uses. The transport
 * makes its instance with `adapter: 'http'`, `maxRedirects: 0` and `proxy: false`, and sends a
 * string body (form-encoded), never a FormData object. In axios' lib/adapters/http.js (1.21):
 * - `maxRedirects === 0` picks node's own `http`/`https` as the transport ("} else if
 *   (maxRedirects === 0) { transport = isHttpsRequest ? https : http;", lines 1171-1172);
 *   follow-redirects is only read at load (`const { http: httpFollow, https: httpsFollow } =
 *   followRedirects;`, line 62) and used for other maxRedirects values (line 1239);
 * - its own https-proxy-agent (axios' nested copy, v5) is used by setProxy() only when a proxy
 *   is configured or read from the environment, which `proxy: false` turns off ("if (!proxy &&
 *   proxy !== false ...", "if (proxy) {", lines 368 and 402). moldctl's proxies are its own
 *   agents (https-proxy-agent, http-proxy-agent, still external and loaded only when a proxy is
 *   used), passed as httpAgent/httpsAgent.
 * - form-data is axios' FormData class for node (lib/platform/node/classes/FormData.js): made
 *   only to send a FormData/multipart body. Its dependency tree was some 50 files.
 * - the fetch adapter probes fetch/Request/Response at load (`const adapter = getFetch();`,
 *   lib/adapters/fetch.js line 747), which makes node load its fetch implementation (about
 *   30 ms); the xhr adapter is `false` under node (no XMLHttpRequest). With `adapter: 'http'`
 *   neither is consulted; stubbed, both are "not supported by the environment" to axios.
 * The FormData and proxy agent stubs throw if they are ever made. The build fails when axios' code no longer
 * reads as described (AXIOS_EXPECTED), so an axios upgrade is checked here first.
 */
const AXIOS_FILE = /[/\\]node_modules[/\\]axios[/\\]lib[/\\]/
const AXIOS_STUBS = {
  // An instance never made: `instanceof FormData` checks stay valid (false).
  'form-data': [
    'export default class FormData {',
    '  constructor() {',
    "    throw new Error('multipart/form-data bodies are not part of moldctl (form-data is left out of its axios build: scripts/build.mjs)')",
    '  }',
    '}',
  ].join('\n'),
  // node's own transports, which axios uses directly when maxRedirects is 0.
  'follow-redirects':
    "import http from 'node:http'\nimport https from 'node:https'\nexport default {http, https}",
  'https-proxy-agent': [
    'export default class HttpsProxyAgent {',
    '  constructor() {',
    "    throw new Error('the proxy support of axios is not part of moldctl (it passes proxy: false and its own agents: scripts/build.mjs)')",
    '  }',
    '}',
  ].join('\n'),
  './fetch.js': 'export const getFetch = () => false\nexport default false',
  './xhr.js': 'export default false',
}
/** The axios code the stubs rely on: file, then texts that must each be there. */
const AXIOS_EXPECTED = [
  {
    file: /[/\\]axios[/\\]lib[/\\]adapters[/\\]http\.js$/,
    texts: [
      "import followRedirects from 'follow-redirects';",
      'const { http: httpFollow, https: httpsFollow } = followRedirects;',
      '} else if (maxRedirects === 0) {\n          transport = isHttpsRequest ? https : http;',
      'if (!proxy && proxy !== false && allowEnvProxy',
      'new HttpsProxyAgent(',
    ],
  },
  {
    file: /[/\\]axios[/\\]lib[/\\]adapters[/\\]adapters\.js$/,
    texts: [
      "import xhrAdapter from './xhr.js';",
      "import * as fetchAdapter from './fetch.js';",
      'get: fetchAdapter.getFetch,',
    ],
  },
  // utils.js reads `globalThis.FormData` at load, and that getter of node's makes it load its
  // fetch implementation, undici (some 10 ms of a command that sends requests). axios reads it
  // for `thing instanceof FormData` in isFormData(); the same function then recognises a native
  // FormData by its toStringTag ("kind === 'formdata'"), so without the constructor nothing is
  // taken for another kind of body — and moldctl sends strings only.
  {
    file: /[/\\]axios[/\\]lib[/\\]utils\.js$/,
    replace: [
      [
        "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;",
        'const FormDataCtor = undefined;',
      ],
    ],
    texts: [
      "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;",
      "kind === 'formdata' ||",
    ],
  },
  {
    file: /[/\\]axios[/\\]lib[/\\]platform[/\\]node[/\\]classes[/\\]FormData\.js$/,
    texts: ["import FormData from 'form-data';"],
  },
]
const stubbed = new Set()
const checkedAxiosFiles = new Set()
const axiosForNodeHttp = {
  name: 'axios-node-http',
  setup(build) {
    build.onResolve(
      {filter: /^(?:form-data|follow-redirects|https-proxy-agent|\.\/fetch\.js|\.\/xhr\.js)$/},
      (args) => {
        if (!AXIOS_FILE.test(args.importer)) return
        // ./fetch.js and ./xhr.js: only the adapters' own list imports them by these names.
        if (args.path.startsWith('./') && !/[/\\]adapters[/\\]adapters\.js$/.test(args.importer)) return
        stubbed.add(args.path)
        return {namespace: 'axios-stub', path: args.path}
      },
    )
    build.onLoad({filter: /.*/, namespace: 'axios-stub'}, (args) => ({
      contents: AXIOS_STUBS[args.path],
      loader: 'js',
      resolveDir: process.cwd(),
    }))
    build.onLoad({filter: /[/\\]axios[/\\]lib[/\\].*\.js$/}, (args) => {
      const expected = AXIOS_EXPECTED.find((entry) => entry.file.test(args.path))
      if (!expected) return
      const source = readFileSync(args.path, 'utf8')
      for (const text of expected.texts) {
        if (!source.includes(text)) {
          throw new Error(
            `${args.path}: axios no longer has ${JSON.stringify(text)}; see AXIOS_STUBS in scripts/build.mjs`,
          )
        }
      }

      checkedAxiosFiles.add(expected)
      let replaced = source
      for (const [from, to] of expected.replace ?? []) replaced = replaced.replace(from, () => to)
      return {contents: replaced, loader: 'js'}
    })
  },
}

/**
 * A vm.Script loaded from a code cache has no `import()` of its own in Node.js 20 (the callback
 * is lost with the cache: ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), and the option that gives it
 * node's loader is experimental and prints a warning. oclif loads command modules with
 * `import(url)`, so in the bundle each `import(` of a computed specifier becomes
 * `__moldctlImport(`, which src/lib/core/code-cache.ts passes in (an `import()` of its own; every
 * specifier oclif computes is an absolute file URL). esbuild bundles an `import('name')` of a
 * literal itself (into a require of the bundled module), and the texts "import()" in messages are
 * left alone; the build fails if an `import(` is left in a bundle.
 */
const DYNAMIC_IMPORT = /(?<![\w$.'"`])import\((?!\))/
/** An import() of a computed specifier; one of a literal (`import('wsl-utils')`) esbuild bundles. */
const COMPUTED_IMPORT = /(?<![\w$.'"`])import\((?!\)|\s*['"])/g
let importsReplaced = 0

/**
 * Package files as a build bundles them: with their SOURCE_PATCHES and, for the code-cached
 * bundles (`computedImports`), each computed `import(` made through `__moldctlImport`.
 */
function packageSources({computedImports}) {
  return {
    name: computedImports ? 'package-sources-for-code-cache' : 'package-sources',
    setup(build) {
      build.onLoad({filter: /[/\\]node_modules[/\\].*\.js$/}, (args) => {
        const patched = patchedSource(args.path)
        if (!computedImports) return patched === undefined ? undefined : {contents: patched, loader: 'js'}
        const source = patched ?? readFileSync(args.path, 'utf8')
        const replaced = source.replaceAll(COMPUTED_IMPORT, () => {
          importsReplaced++
          return '__moldctlImport('
        })
        if (replaced === source && patched === undefined) return
        return {contents: replaced, loader: 'js'}
      })
    },
  }
}

/**
 * Packages every start (or every request) loads, as CommonJS bundles loaded with a V8 code cache
 * (src/lib/core/code-cache.ts; the caches are written by scripts/code-cache.mjs below):
 * dist/oclif-core.cjs (@oclif/core, loaded by every command and help page), dist/axios.cjs
 * (the API client, loaded by the first request) and dist/cli-table3.cjs (the first table). Our
 * ES modules import each by its name from a module made here that loads the bundle and exports
 * its names, so there is one copy of each, outside the ES module chunks. `import('axios')` and `import('cli-table3')` stay lazy: the
 * module of each is a chunk of its own.
 */
const VENDOR_BUNDLES = [
  {entry: 'node_modules/@oclif/core/lib/index.js', file: 'oclif-core', specifier: '@oclif/core'},
  {entry: 'node_modules/axios/index.js', file: 'axios', specifier: 'axios'},
  {entry: 'node_modules/cli-table3/index.js', file: 'cli-table3', specifier: 'cli-table3'},
]
await esbuild.build({
  bundle: true,
  entryPoints: Object.fromEntries(VENDOR_BUNDLES.map(({entry, file}) => [file, entry])),
  external: ['typescript'],
  format: 'cjs',
  logLevel: 'warning',
  outExtension: {'.js': '.cjs'},
  outdir: 'dist',
  platform: 'node',
  plugins: [axiosForNodeHttp, packageSources({computedImports: true})],
  target: 'node20',
})
for (const {file} of VENDOR_BUNDLES) {
  if (DYNAMIC_IMPORT.test(readFileSync(`dist/${file}.cjs`, 'utf8'))) {
    throw new Error(`dist/${file}.cjs: its import() calls are not all made through __moldctlImport`)
  }
}

if (importsReplaced === 0)
  throw new Error('no import() of @oclif/core was found to make through __moldctlImport')

const VENDOR_MODULE = 'moldctl-vendor'
const requireHere = createRequire(import.meta.url)
const vendorFromBundle = {
  name: 'vendor-from-bundle',
  setup(build) {
    const pattern = new RegExp(
      `^(?:${VENDOR_BUNDLES.map(({specifier}) => specifier.replaceAll('/', String.raw`\/`)).join('|')})$`,
    )
    build.onResolve({filter: pattern}, (args) => ({namespace: VENDOR_MODULE, path: args.path}))
    build.onLoad({filter: /.*/, namespace: VENDOR_MODULE}, (args) => {
      const {file, specifier} = VENDOR_BUNDLES.find((bundle) => bundle.specifier === args.path)
      const names = Object.keys(requireHere(specifier)).filter(
        (name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name),
      )
      return {
        contents: [
          `import {loadCommonJs} from ${JSON.stringify(path.resolve('src/lib/core/code-cache.ts'))}`,
          `const bundle = loadCommonJs(new URL('./${file}.cjs', import.meta.url))`,
          `export const {${names.join(', ')}} = bundle`,
          "export default 'default' in bundle ? bundle.default : bundle",
        ].join('\n'),
        loader: 'js',
        resolveDir: process.cwd(),
      }
    })
  },
}

const built = await esbuild.build({
  banner: {
    js: "import {createRequire as __moldctlCreateRequire} from 'node:module'; const require = __moldctlCreateRequire(import.meta.url);",
  },
  bundle: true,
  chunkNames: '[name]-[hash]',
  entryPoints: {
    ...commandEntries,
    'code-cache': 'src/lib/core/code-cache.ts',
    run: 'src/run.ts',
    'v1-derive': 'src/lib/crypto/v1-derive.ts',
  },
  external: [
    '@inquirer/core',
    '@inquirer/prompts',
    'http-proxy-agent',
    'https-proxy-agent',
    'mysql2',
    'mysql2/*',
    'node-forge',
    'ora',
    'typescript',
    'yaml',
  ],
  format: 'esm',
  logLevel: 'warning',
  metafile: true,
  outdir: 'dist',
  platform: 'node',
  plugins: [vendorFromBundle, packageSources({computedImports: false})],
  splitting: true,
  target: 'node20',
})
if (stubbed.size !== Object.keys(AXIOS_STUBS).length || checkedAxiosFiles.size !== AXIOS_EXPECTED.length) {
  throw new Error('an axios replacement found nothing to replace (see AXIOS_STUBS in scripts/build.mjs)')
}

// A module that loads a bundle finds it next to itself: it must be in a chunk directly in
// dist/, not inlined into a command's entry in dist/commands/.
for (const {specifier} of VENDOR_BUNDLES) {
  const outputs = Object.entries(built.metafile.outputs).filter(([, output]) =>
    Object.keys(output.inputs).includes(`${VENDOR_MODULE}:${specifier}`),
  )
  if (outputs.length !== 1 || path.dirname(outputs[0][0]) !== 'dist') {
    throw new Error(
      `the module of ${specifier} is not in one chunk of dist/: ${outputs.map(([file]) => file)}`,
    )
  }
}

if (appliedPatches.size !== SOURCE_PATCHES.length) {
  throw new Error('a patch found no file to apply to (see SOURCE_PATCHES in scripts/build.mjs)')
}

/**
 * V8 keeps a source text, or a JSON text, that has a single character outside ASCII as two bytes
 * a character: decoded, scanned and kept at twice the size. Four of our chunks had one in a
 * comment esbuild keeps (esbuild writes strings, templates and names as ASCII), and
 * oclif-core.cjs one in a regular expression (ansis, patched above): 13 million instructions of
 * every help page. A character of a comment is written as a \u escape (the comment says the same
 * to a reader of the escape); one anywhere else fails the build, for a dependency that brings one
 * is to be looked at (a patch like ansis'), not escaped blindly: in a tagged template an escape
 * would change the text.
 */
const NON_ASCII = /[^\0-\u007F]/
/** Each UTF-16 unit outside ASCII as a \u escape (JSON has no \u{...}: a pair of units for one above U+FFFF). */
const escapeNonAscii = (text) =>
  // eslint-disable-next-line unicorn/prefer-code-point -- the escapes are of UTF-16 units
  text.replaceAll(/[^\0-\u007F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
function asciiOutputs(dir) {
  for (const name of readdirSync(dir, {recursive: true})) {
    if (!/\.c?js$/.test(name)) continue
    const file = path.join(dir, name)
    const lines = readFileSync(file, 'utf8').split('\n')
    if (!lines.some((line) => NON_ASCII.test(line))) continue
    const ascii = lines.map((line, i) => {
      if (!NON_ASCII.test(line)) return line
      if (!/^\s*(?:\/\/|\/\*|\*)/.test(line)) {
        throw new Error(`${file}:${i + 1}: a character outside ASCII that is not in a comment`)
      }

      return escapeNonAscii(line)
    })
    writeFileSync(file, ascii.join('\n'))
  }
}

asciiOutputs('dist')
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
// The manifest likewise (oclif reads it on every start): its characters outside ASCII are all in
// strings, where a \u escape is the same character to JSON.parse; the build checks that it is.
const manifest = readFileSync('oclif.manifest.json', 'utf8')
const asciiManifest = escapeNonAscii(manifest)
if (!isDeepStrictEqual(JSON.parse(asciiManifest), JSON.parse(manifest))) {
  throw new Error('oclif.manifest.json: its text with escapes does not read as the manifest')
}

writeFileSync('oclif.manifest.json', asciiManifest)
run(process.execPath, ['scripts/code-cache.mjs'])
for (const {file} of VENDOR_BUNDLES) {
  if (!existsSync(`dist/${file}.cjs.cache`))
    throw new Error(`scripts/code-cache.mjs wrote no dist/${file}.cjs.cache`)
}
