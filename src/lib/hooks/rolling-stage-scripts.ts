import type {RollingMaintenanceAgentSettings} from './agent-properties.js'
import type {HookDirEntry, HookDirListing} from './dir-entries.js'

import {payloadHandling} from './agent-properties.js'

/** The stages in the order the management server runs them. */
export const ROLLING_STAGES = ['PreFlight', 'PreMaintenance', 'Maintenance', 'PostMaintenance'] as const
export type RollingStage = (typeof ROLLING_STAGES)[number]

/** Files the systemd executor writes into the hooks folder; they are not scripts. */
export const EXECUTOR_RESULT_FILES = ['rolling-maintenance-results', 'rolling-maintenance-output']

/** The agent looks for NAME, NAME.sh, NAME.py — the first existing regular file wins. */
export function stageScriptCandidates(stage: RollingStage): string[] {
  return [stage, `${stage}.sh`, `${stage}.py`]
}

export interface IgnoredFile {
  name: string
  reason: string
}

export interface StageScriptChoice {
  executable: boolean | null
  header: HookDirEntry['header'] | null
  ignored: IgnoredFile[]
  script: null | string
  stage: RollingStage
}

/** The part of a name that could be meant for a stage: `preflight.bash` → `preflight`. */
function stagePart(name: string): string {
  const dot = name.indexOf('.')
  return (dot === -1 ? name : name.slice(0, dot)).toLowerCase()
}

/** Which file the agent runs for a stage, and which lookalikes it will not run. */
export function selectStageScript(stage: RollingStage, entries: HookDirEntry[]): StageScriptChoice {
  const byName = new Map(entries.map((entry) => [entry.name, entry]))
  const candidates = stageScriptCandidates(stage)
  const ignored: IgnoredFile[] = []
  let chosen: HookDirEntry | undefined

  for (const candidate of candidates) {
    const entry = byName.get(candidate)
    if (!entry) continue
    if (entry.kind !== 'file') {
      ignored.push({name: candidate, reason: `not a regular file (${entry.kind}); the agent looks further`})
    } else if (chosen) {
      ignored.push({name: candidate, reason: `${chosen.name} is found first; this file never runs`})
    } else {
      chosen = entry
    }
  }

  const lookalikes = entries
    .filter((entry) => !candidates.includes(entry.name) && stagePart(entry.name) === stage.toLowerCase())
    .map((entry) => ({
      name: entry.name,
      reason: `only ${candidates.join(', ')} are looked up (names are case-sensitive)`,
    }))
  return {
    executable: chosen ? chosen.executable : null,
    header: chosen ? (chosen.header ?? null) : null,
    ignored: [...ignored, ...lookalikes],
    script: chosen ? chosen.name : null,
    stage,
  }
}

export interface HooksCheckInput {
  agentPropertiesFile: string
  /** Settings read from agent.properties, or null when that file was not found. */
  agentSettings: null | RollingMaintenanceAgentSettings
  /** The folder given with --dir, if any (it wins over agent.properties). */
  dirFlag?: string
  /** The listing of the hooks folder, when one is known. */
  listing?: HookDirListing
}

export interface HooksCheckReport {
  agentproperties: string
  executor: null | RollingMaintenanceAgentSettings['executor']
  hooksdir: null | string
  hooksdirsource: 'agent.properties' | 'flag' | 'unset'
  hostskipped: boolean
  otherfiles: string[]
  payload: null | string
  problems: string[]
  stages: StageScriptChoice[]
  warnings: string[]
}

/** The hooks folder to inspect: --dir, else rolling.maintenance.hooks.dir. */
export function hooksDirToInspect(input: Omit<HooksCheckInput, 'listing'>): null | string {
  return input.dirFlag ?? input.agentSettings?.hooksDir ?? null
}

function stageFindings(choice: StageScriptChoice, problems: string[], warnings: string[]): void {
  if (choice.script && choice.executable === false) {
    problems.push(`${choice.script} is not executable: stage ${choice.stage} will fail (chmod +x it)`)
  }

  if (choice.script && choice.header === 'none') {
    warnings.push(
      `${choice.script} has no #! line: the in-agent executor cannot start it (the systemd executor falls back to /bin/sh)`,
    )
  }

  for (const file of choice.ignored) warnings.push(`${file.name} is ignored: ${file.reason}`)
}

/** Everything `rolling-maintenance hooks check` reports about a KVM host, computed without I/O. */
export function checkRollingHooks(input: HooksCheckInput): HooksCheckReport {
  const problems: string[] = []
  const warnings: string[] = []
  const hooksDir = hooksDirToInspect(input)
  const source = input.dirFlag ? 'flag' : hooksDir ? 'agent.properties' : 'unset'

  if (input.agentSettings === null) {
    const message = `${input.agentPropertiesFile} not found: the executor in use is unknown`
    if (input.dirFlag) warnings.push(message)
    else problems.push(`${message}; pass --dir or --agent-properties`)
  } else if (input.agentSettings.hooksDir === null) {
    const message = `rolling.maintenance.hooks.dir is not set in ${input.agentPropertiesFile}: the agent fails every stage with "Hooks directory is empty, please specify it on agent.properties and restart the agent"`
    if (input.dirFlag) warnings.push(message)
    else problems.push(message)
  }

  const listing = input.listing ?? {entries: [], state: 'missing'}
  if (hooksDir && listing.state !== 'ok') {
    problems.push(`${hooksDir} ${listing.state === 'missing' ? 'does not exist' : 'is not a directory'}`)
  }

  const stages = ROLLING_STAGES.map((stage) => selectStageScript(stage, listing.entries))
  for (const choice of stages) stageFindings(choice, problems, warnings)
  const hostSkipped = stages.find((choice) => choice.stage === 'Maintenance')?.script === null
  if (hostSkipped) {
    problems.push(
      'no Maintenance script: the management server skips this host ("There is no maintenance script on the host")',
    )
  }

  const known = new Set(
    stages.flatMap((choice) => [choice.script, ...choice.ignored.map((file) => file.name)]),
  )
  const otherFiles = listing.entries
    .map((entry) => entry.name)
    .filter((name) => !known.has(name) && !EXECUTOR_RESULT_FILES.includes(name))
  const executor = input.agentSettings?.executor ?? null
  return {
    agentproperties: input.agentPropertiesFile,
    executor,
    hooksdir: hooksDir,
    hooksdirsource: source,
    hostskipped: hostSkipped,
    otherfiles: otherFiles,
    payload: executor ? payloadHandling(executor) : null,
    problems,
    stages,
    warnings,
  }
}
