/**
 * The completion table from oclif.manifest.json (written by the build), read without oclif:
 * completion runs on every Tab and must start fast.
 */
import type {CompletionArg, CompletionCommand, CompletionFlag, CompletionTable} from './candidates.js'

interface ManifestFlag {
  allowNo?: boolean
  char?: string
  hidden?: boolean
  multiple?: boolean
  name: string
  options?: string[]
  type: 'boolean' | 'option'
}

interface ManifestCommand {
  args?: Record<string, {name: string; options?: string[]}>
  flags?: Record<string, ManifestFlag>
  hidden?: boolean
  id: string
  strict?: boolean
}

export interface Manifest {
  commands: Record<string, ManifestCommand>
}

/** Visible commands and their flags and arguments; topics are every command id's prefixes plus `topics`. */
export function tableFromManifest(manifest: Manifest, topics: readonly string[] = []): CompletionTable {
  const commands = new Map<string, CompletionCommand>()
  const topicSet = new Set<string>(topics)
  for (const command of Object.values(manifest.commands)) {
    if (command.hidden) continue
    const flags: CompletionFlag[] = Object.values(command.flags ?? {})
      .filter((flag) => !flag.hidden)
      .map((flag) => ({
        char: flag.char,
        multiple: flag.multiple,
        name: flag.name,
        negatable: flag.type === 'boolean' && Boolean(flag.allowNo),
        options: flag.options,
        takesValue: flag.type === 'option',
      }))
    const args: CompletionArg[] = Object.values(command.args ?? {}).map((arg) => ({
      name: arg.name,
      options: arg.options,
    }))
    commands.set(command.id, {args, flags, variadic: command.strict === false})
    const parts = command.id.split(':')
    for (let i = 1; i < parts.length; i++) topicSet.add(parts.slice(0, i).join(':'))
  }

  // A declared topic without visible commands (none yet) is not offered.
  for (const topic of topicSet) {
    if (![...commands.keys()].some((id) => id.startsWith(`${topic}:`))) topicSet.delete(topic)
  }

  return {commands, topics: topicSet}
}
