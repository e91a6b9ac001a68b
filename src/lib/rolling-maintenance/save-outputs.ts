import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {RollingMaintenanceResult} from './report.js'

import {outputFileNames} from './report.js'

/** Writes each updated host's Maintenance stage output to DIR; returns the files written. */
export async function saveStageOutputs(dir: string, result: RollingMaintenanceResult): Promise<string[]> {
  const hosts = result.hostsupdated ?? []
  if (hosts.length === 0) return []
  await mkdir(dir, {recursive: true})
  const names = outputFileNames(hosts)
  const files: string[] = []
  for (const host of hosts) {
    const file = path.join(dir, names.get(host.hostid)!)
    const output = host.output ?? ''
    // eslint-disable-next-line no-await-in-loop
    await writeFile(file, output.endsWith('\n') || output === '' ? output : `${output}\n`)
    files.push(file)
  }

  return files
}
