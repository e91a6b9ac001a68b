import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** A scratch folder with files made from a {name: mode} map; remove() deletes it. */
export function makeHookDir(
  files: Record<string, 'dir' | number>,
  sub = 'hooks',
): {dir: string; remove(): void; root: string} {
  const root = mkdtempSync(path.join(tmpdir(), 'moldctl-hooks-'))
  const dir = path.join(root, sub)
  mkdirSync(dir, {recursive: true})
  for (const [name, mode] of Object.entries(files)) {
    const file = path.join(dir, name)
    if (mode === 'dir') {
      mkdirSync(file)
      continue
    }

    writeFileSync(file, '#!/bin/sh\necho ok\n')
    chmodSync(file, mode)
  }

  return {dir, remove: () => rmSync(root, {force: true, recursive: true}), root}
}

/** Runs the built CLI (npm run build first) and returns what it printed and its exit code. */
export function runBuiltCli(args: string[]): {code: number; stderr: string; stdout: string} {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), ...args], {
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1'},
  })
  return {code: result.status ?? -1, stderr: result.stderr, stdout: result.stdout}
}
