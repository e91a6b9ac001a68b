/**
 * The CLI's entry point: bin/run.js calls run(). The build bundles it with @oclif/core and every
 * command (see scripts/build.mjs). `moldctl --version` is answered here without loading oclif:
 * it prints what oclif prints (Config#userAgent) from the same facts. Shell completion
 * (`moldctl __complete WORDS...`) is answered without oclif too (src/complete-entry.ts).
 */
import {readFileSync} from 'node:fs'
import {arch, platform} from 'node:os'

interface PackageJson {
  name: string
  oclif?: {
    additionalVersionFlags?: string[]
    hooks?: Record<string, unknown>
    plugins?: string[]
    topics?: Record<string, unknown>
  }
  version?: string
}

/** `moldctl/0.1.0 linux-x64 node-v20.20.2`, as oclif's Config#userAgent builds it. */
export function userAgent(pjson: PackageJson, wsl: boolean): string {
  const cpu = arch() === 'ia32' ? 'x86' : arch()
  return `${pjson.name}/${pjson.version || '0.0.0'} ${wsl ? 'wsl' : platform()}-${cpu} node-${process.version}`
}

/**
 * Whether these arguments get only the version line from oclif: it looks at the first argument
 * alone. It runs `init` hooks first, so with a hook or a plugin (which may bring one) declared,
 * oclif has to answer.
 */
export function asksForVersion(argv: string[], pjson: PackageJson): boolean {
  if (pjson.oclif?.hooks?.init || (pjson.oclif?.plugins ?? []).length > 0) return false
  return ['--version', ...(pjson.oclif?.additionalVersionFlags ?? [])].includes(argv[0])
}

/** Runs moldctl with process.argv; `binUrl` is the URL of bin/run.js (the package root is its parent). */
export async function run(binUrl: string): Promise<void> {
  const argv = process.argv.slice(2)
  const pjson = JSON.parse(readFileSync(new URL('../package.json', binUrl), 'utf8')) as PackageJson
  if (asksForVersion(argv, pjson)) {
    // oclif decides "wsl" with the is-wsl package (through wsl-utils); so does this.
    const {default: wsl} = await import('is-wsl')
    process.stdout.write(`${userAgent(pjson, wsl)}\n`)
    return
  }

  if (argv[0] === '__complete') {
    const {completeCommandLine} = await import('./complete-entry.js')
    await completeCommandLine(argv.slice(1), binUrl, pjson.oclif?.topics)
    return
  }

  const {execute} = await import('./oclif-execute.js')
  await execute({argv, dir: binUrl})
}
