import type {RunAudit} from '../lib/core/audit.js'

/* The audit of one command run: started when it has parsed, its run record written at the end. */

/** The run's audit (none when the audit log is off); lib's own audit lines join it too. */
export async function startRunAudit(dataDir: string): Promise<RunAudit | undefined> {
  const {auditLogPath, RunAudit, setCurrentRunAudit} = await import('../lib/core/audit.js')
  const file = auditLogPath(dataDir)
  if (!file) return undefined
  const audit = new RunAudit(file)
  setCurrentRunAudit(audit)
  return audit
}

/**
 * Writes the run record (for a run that changed or tried to change something). The exit code is
 * the one an error was mapped to, else an ExitError's, else process.exitCode. A failure to write
 * is a warning: the run's own outcome stands.
 */
export async function finishRunAudit(
  audit: RunAudit,
  run: {argv: string[]; endpoint?: string; error?: Error; failedExit?: number; id?: string; version: string},
): Promise<void> {
  const [{setCurrentRunAudit}, {commandLineText, runOrigin}] = await Promise.all([
    import('../lib/core/audit.js'),
    import('../lib/core/run-origin.js'),
  ])
  setCurrentRunAudit(undefined)
  const errorExit = run.error ? ((run.error as {oclif?: {exit?: number}}).oclif?.exit ?? 1) : undefined
  try {
    audit.finish({
      ...runOrigin(run.version),
      command: run.id ?? '',
      commandLine: commandLineText(run.id ?? '', run.argv),
      endpoint: run.endpoint,
      exit: run.failedExit ?? errorExit ?? Number(process.exitCode ?? 0),
    })
  } catch (error) {
    process.stderr.write(`Warning: could not write the audit record: ${(error as Error).message}\n`)
  }
}
