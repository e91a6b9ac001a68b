import * as esbuild from 'esbuild'
// Builds dist/ and the oclif manifest: type-checks, bundles, writes oclif.manifest.json.
//
// Why a bundle: start-up time is mostly module loading. @oclif/core alone is some 170 CommonJS
// files (with semver, minimatch, ejs...), each found, read and compiled on every run. esbuild
// turns our sources and @oclif/core into a few ES modules, cutting the CPU time of
// `moldctl host list --help` by about a quarter (bench/startup.ts measures it).
//
// - dist/run.js is the entry (src/run.ts) that bin/run.js calls: `--version` is answered there;
//   everything else loads oclif from a shared chunk.
// - dist/commands/<topic>/<name>.js is one entry per command (src/commands/host/list.ts →
//   dist/commands/host/list.js), found by oclif's "pattern" discovery (package.json
//   oclif.commands). Help and the command table come from oclif.manifest.json, which names each
//   command's file (relativePath), so a run loads that one command's entry and the chunks it
//   shares with others — not every command (an index of all of them cost some 150 ms a run).
// - splitting: the entries share chunks, so there is one copy of @oclif/core; every chunk sits
//   directly in dist/ (v1-derive's worker threads load dist/v1-derive.js next to the chunk
//   that starts them).
// - Heavy packages our code loads lazily stay external (loaded from node_modules when used).
//   axios is the exception: it is bundled, into the chunk of transport.ts' lazy `import('axios')`
//   (dist/axios-<hash>.js; --version, --help and completion never load it), without the parts
//   of it our transport never uses (see AXIOS_STUBS below). From node_modules it was some 140
//   files (66 of axios itself) and 130-180 ms for each command that sends requests; bundled,
//   40-50 ms.
// - Output is ESM with a `require` made by createRequire (oclif's CommonJS code calls it for
//   node built-ins and JSON). @oclif/core's uses of __dirname are either in code we do not reach
//   (TypeScript development paths; `execute` without `dir`) or inside try/catch fallbacks (its own
//   package.json version, which esbuild inlines first; an engines warning) — `npm test` runs the
//   whole suite against this bundle.
// - Three patches to oclif, each changing nothing visible (the build fails when oclif's code no
//   longer matches):
//   - it sorts the command list with String#localeCompare on every start, and the first
//     localeCompare call builds an ICU collator (5–9 ms). The help output sorts again by code
//     unit order, so a code unit order sort here changes nothing visible.
//   - its index checks the Node.js version against its package.json `engines` at load: it loads
//     semver (6–16 ms a start) and then finds no `__dirname` in the bundle, so the check always
//     ends in its own catch without a word. The call is left out.
//   - help renders every text through ejs, which compiles a function per text (about 10 ms for
//     one command's help); a text without `<%` is returned as it is (ejs gives it back
//     unchanged), and `<%= config.bin %>` alone is filled in directly when the name needs no
//     HTML escaping, as `<%=` would escape it.
import {execFileSync} from 'node:child_process'
import {readdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'

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
      "        const bin = String(context.config?.bin ?? '');",
      String.raw`        const filled = typeof t === 'string' && /^[\w.-]+$/.test(bin) ? t.replaceAll('<%= config.bin %>', bin) : '<%';`,
      "        return filled.includes('<%') ? ejs_1.default.render(t, context) : filled;",
    ].join('\n'),
  },
]
const appliedPatches = new Set()
const oclifPatches = {
  name: 'oclif-patches',
  setup(build) {
    build.onLoad({filter: /@oclif[/\\]core[/\\]lib[/\\].*\.js$/}, (args) => {
      const patches = OCLIF_PATCHES.filter((patch) => patch.file.test(args.path))
      if (patches.length === 0) return
      let source = readFileSync(args.path, 'utf8')
      for (const {from, to} of patches) {
        if (source.split(from).length !== 2) {
          throw new Error(`${args.path}: the code to patch was not found once; see scripts/build.mjs`)
        }

        source = source.replace(from, () => to)
        appliedPatches.add(from)
      }

      return {contents: source, loader: 'js'}
    })
  },
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
      return {contents: source, loader: 'js'}
    })
  },
}

await esbuild.build({
  banner: {
    js: "import {createRequire as __moldctlCreateRequire} from 'node:module'; const require = __moldctlCreateRequire(import.meta.url);",
  },
  bundle: true,
  chunkNames: '[name]-[hash]',
  entryPoints: {
    ...commandEntries,
    run: 'src/run.ts',
    'v1-derive': 'src/lib/crypto/v1-derive.ts',
  },
  external: [
    '@inquirer/core',
    '@inquirer/prompts',
    'cli-table3',
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
  outdir: 'dist',
  platform: 'node',
  plugins: [oclifPatches, axiosForNodeHttp],
  splitting: true,
  target: 'node20',
})
if (stubbed.size !== Object.keys(AXIOS_STUBS).length || checkedAxiosFiles.size !== AXIOS_EXPECTED.length) {
  throw new Error('an axios replacement found nothing to replace (see AXIOS_STUBS in scripts/build.mjs)')
}

if (appliedPatches.size !== OCLIF_PATCHES.length) {
  throw new Error('an oclif patch found no file to apply to (see OCLIF_PATCHES in scripts/build.mjs)')
}

run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
