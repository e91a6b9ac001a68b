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
// - dist/commands-index.js exports COMMANDS, every command class by id: oclif's "explicit"
//   command discovery (package.json oclif.commands). It is generated here from src/commands/,
//   id = path with ":" (src/commands/host/maintenance/enter.ts → host:maintenance:enter).
//   Help is served from oclif.manifest.json; the index loads only when a command runs.
// - splitting: the entries share chunks, so there is one copy of @oclif/core; every output file
//   sits directly in dist/ (v1-derive's worker threads load dist/v1-derive.js next to the chunk
//   that starts them).
// - Heavy packages our code loads lazily stay external (loaded from node_modules when used).
// - Output is ESM with a `require` made by createRequire (oclif's CommonJS code calls it for
//   node built-ins and JSON). @oclif/core's uses of __dirname are either in code we do not reach
//   (TypeScript development paths; `execute` without `dir`) or inside try/catch fallbacks (its own
//   package.json version, which esbuild inlines first; an engines warning) — `npm test` runs the
//   whole suite against this bundle.
// - One patch to oclif: it sorts the command list with String#localeCompare on every start, and
//   the first localeCompare call builds an ICU collator (5–9 ms). The help output sorts again by
//   code unit order, so a code unit order sort here changes nothing visible.
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
const commandsIndexSource = [
  ...commandFiles.map(
    (file, i) =>
      `import C${i} from './${path.relative('src', file).split(path.sep).join('/').replace(/\.ts$/, '.js')}'`,
  ),
  'export const COMMANDS = {',
  ...commandFiles.map((file, i) => {
    const id = path
      .relative(path.join('src', 'commands'), file)
      .replace(/\.ts$/, '')
      .split(path.sep)
      .join(':')
    return `  ${JSON.stringify(id)}: C${i},`
  }),
  '}',
].join('\n')

/** The generated commands index, as a virtual module `moldctl:commands-index`. */
const commandsIndex = {
  name: 'commands-index',
  setup(build) {
    build.onResolve({filter: /^moldctl:commands-index$/}, () => ({
      namespace: 'moldctl',
      path: 'commands-index',
    }))
    build.onLoad({filter: /.*/, namespace: 'moldctl'}, () => ({
      contents: commandsIndexSource,
      loader: 'ts',
      resolveDir: path.resolve('src'),
    }))
  },
}

const LOCALE_SORT = '.sort((a, b) => a.id.localeCompare(b.id));'
const CODE_UNIT_SORT = '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));'
/** The localeCompare patch (see above); fails the build when oclif's code no longer matches. */
const oclifCommandSort = {
  name: 'oclif-command-sort',
  setup(build) {
    build.onLoad({filter: /@oclif[/\\]core[/\\]lib[/\\]config[/\\]plugin\.js$/}, (args) => {
      const source = readFileSync(args.path, 'utf8')
      if (source.split(LOCALE_SORT).length !== 2) {
        throw new Error(`${args.path}: the command sort to patch was not found once; see scripts/build.mjs`)
      }

      return {contents: source.replace(LOCALE_SORT, CODE_UNIT_SORT), loader: 'js'}
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
    'commands-index': 'moldctl:commands-index',
    run: 'src/run.ts',
    'v1-derive': 'src/lib/crypto/v1-derive.ts',
  },
  external: [
    '@inquirer/core',
    '@inquirer/prompts',
    'axios',
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
  plugins: [commandsIndex, oclifCommandSort],
  splitting: true,
  target: 'node20',
})
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest'])
