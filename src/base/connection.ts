import type {MoldClient} from '../lib/api/client.js'
import type {AuditEntry, BulkAuditSummary} from '../lib/api/types.js'
import type {ConnectionSettings} from '../lib/config/connection.js'
import type {ConfigFile} from '../lib/config/profiles.js'
import type {RunAudit} from '../lib/core/audit.js'
import type {Activity} from '../lib/output/spinner.js'

import {JOB_POLL, pollWindow} from '../lib/core/poll-window.js'

/* The connection of a command: its settings (flags > environment > profile) and the client. */

/** Connection settings from the command's flags, the environment and the profile. */
export async function readConnectionSettings(
  configDir: string,
  flags: Record<string, unknown>,
  /** The command has its own --timeout (a wait limit), which is then not the request timeout. */
  ownTimeout: boolean,
): Promise<ConnectionSettings> {
  const [{ProfileStore}, {resolveConnection}] = await Promise.all([
    import('../lib/config/profiles.js'),
    import('../lib/config/connection.js'),
  ])
  const config = await new ProfileStore(configDir).load()
  return resolveConnection(
    {
      caFile: flags['ca-file'] as string | undefined,
      insecure: flags.insecure as boolean | undefined,
      profile: flags.profile as string | undefined,
      proxy: flags.proxy as string | undefined,
      timeout:
        (flags['request-timeout'] as number | undefined) ??
        (ownTimeout ? undefined : (flags.timeout as number | undefined)),
      url: flags.url as string | undefined,
    },
    process.env,
    config,
  )
}

export interface ClientContext {
  activity: (text: string) => Promise<Activity>
  /** --concurrency of the command, which sizes the connection pool. */
  concurrency?: number
  configDir: string
  dataDir: string
  debug?: (line: string) => void
  /** The audit of the command's run: the client's changes go there, with its run id. */
  runAudit?: RunAudit
  /**
   * Set in `moldctl shell`: the session's clients, one per connection, which every command run
   * in it reuses (one connection and one login per session).
   */
  shared?: Map<string, MoldClient>
  warn: (message: string) => void
}

/** The API client of a connection, with the audit log, and the flavor it detects remembered. */
export async function createClient(
  settings: ConnectionSettings,
  context: ClientContext,
): Promise<MoldClient> {
  const [{MoldClient}, {auditLogPath, createAuditWriter}] = await Promise.all([
    import('../lib/api/client.js'),
    import('../lib/core/audit.js'),
  ])
  const auditFile = auditLogPath(context.dataDir)
  const {debug} = context
  if (debug) {
    const {describeProxy} = await import('../lib/api/proxy.js')
    for (const url of settings.urls) debug(`proxy for ${url}: ${describeProxy(url, settings.proxy)}`)
  }

  const {runAudit} = context
  if (runAudit) runAudit.profile = settings.profileName
  const perRun = {
    activity: context.activity,
    audit: runAudit
      ? (entry: AuditEntry) => runAudit.call(entry)
      : auditFile
        ? createAuditWriter(auditFile, settings.profileName)
        : undefined,
    auditBulk: runAudit ? (summary: BulkAuditSummary) => runAudit.bulk(summary) : undefined,
    debug,
    onFlavorDetected: (flavor: 'cloudstack' | 'mold') => rememberFlavor(settings, flavor, context),
  }
  const maxSockets = context.concurrency === undefined ? {} : {maxSockets: context.concurrency}
  const key = context.shared ? JSON.stringify({...settings, ...maxSockets}) : ''
  const reused = context.shared?.get(key)
  if (reused) {
    reused.rebind(perRun)
    return reused
  }

  const client = new MoldClient({
    ...settings,
    ...perRun,
    ...maxSockets,
    poll: pollWindow(process.env, JOB_POLL),
  })
  context.shared?.set(key, client)
  return client
}

/** Saves the flavor detected on a profile whose flavor is auto. */
async function rememberFlavor(
  settings: ConnectionSettings,
  flavor: 'cloudstack' | 'mold',
  context: ClientContext,
): Promise<void> {
  if (!settings.profileName || settings.flavor !== 'auto') return
  try {
    const {ProfileStore} = await import('../lib/config/profiles.js')
    await new ProfileStore(context.configDir).update((c: ConfigFile) => {
      const profile = c.profiles[settings.profileName!]
      if (profile && (profile.flavor ?? 'auto') === 'auto') profile.flavor = flavor
    })
    context.debug?.(`detected flavor ${flavor}; saved in profile "${settings.profileName}"`)
  } catch (error) {
    context.warn(`could not save the detected flavor in the profile: ${(error as Error).message}`)
  }
}
