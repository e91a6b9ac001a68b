import {readFile} from 'node:fs/promises'
import {getProperties} from 'properties-file'

export const DEFAULT_AGENT_PROPERTIES = '/etc/cloudstack/agent/agent.properties'
export const HOOKS_DIR_PROPERTY = 'rolling.maintenance.hooks.dir'
export const SERVICE_EXECUTOR_DISABLED_PROPERTY = 'rolling.maintenance.service.executor.disabled'

/**
 * The agent runs stage scripts through the `cloudstack-rolling-maintenance@` systemd unit unless
 * `rolling.maintenance.service.executor.disabled` is true; then it runs them itself.
 */
export type RollingMaintenanceExecutor = 'agent' | 'systemd'

export interface RollingMaintenanceAgentSettings {
  executor: RollingMaintenanceExecutor
  /** null when the property is absent or blank (the agent then fails every stage). */
  hooksDir: null | string
}

// The agent converts property text with commons-beanutils' BooleanConverter.
const TRUE_WORDS = new Set(['1', 'on', 'true', 'y', 'yes'])

/** Reads the two rolling-maintenance settings from agent.properties text. */
export function rollingMaintenanceSettings(propertiesText: string): RollingMaintenanceAgentSettings {
  const properties = getProperties(propertiesText)
  const hooksDir = properties[HOOKS_DIR_PROPERTY]
  const disabled = properties[SERVICE_EXECUTOR_DISABLED_PROPERTY]
  return {
    executor: disabled !== undefined && TRUE_WORDS.has(disabled.toLowerCase()) ? 'agent' : 'systemd',
    hooksDir: hooksDir === undefined || hooksDir.trim() === '' ? null : hooksDir,
  }
}

/** Reads agent.properties; null when the file does not exist. */
export async function readAgentProperties(file: string): Promise<null | RollingMaintenanceAgentSettings> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }

  return rollingMaintenanceSettings(text)
}

/** How each executor hands `--payload` to the scripts: worth knowing before writing them. */
export function payloadHandling(executor: RollingMaintenanceExecutor): string {
  return executor === 'systemd'
    ? 'split by the shell into separate arguments; text after the first comma is lost'
    : 'passed as one single argument'
}
