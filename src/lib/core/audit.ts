import {mkdirSync, openSync, writeSync} from 'node:fs'
import path from 'node:path'

import type {AuditEntry} from '../api/types.js'

/**
 * Where audit lines go: `MOLDCTL_AUDIT_LOG` (a path, or `off`), else `audit.log` in the data
 * directory. One JSON object a line; the file is created mode 0600.
 */
export function auditLogPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const setting = env.MOLDCTL_AUDIT_LOG
  if (setting && ['0', 'false', 'no', 'off'].includes(setting.toLowerCase())) return undefined
  return setting || path.join(dataDir, 'audit.log')
}

/** An audit sink that appends each entry, with the profile's name, as one JSON line. */
export function createAuditWriter(file: string, profile?: string): (entry: AuditEntry) => void {
  // Opened once, on the first entry, in append mode: a bulk command writes thousands of lines.
  let fd: number | undefined
  return (entry) => {
    if (fd === undefined) {
      mkdirSync(path.dirname(file), {mode: 0o700, recursive: true})
      fd = openSync(file, 'a', 0o600)
    }

    writeSync(fd, JSON.stringify({profile, ...entry}) + '\n')
  }
}
