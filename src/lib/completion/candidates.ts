/**
 * What to offer at the shell for the word being typed: topics, commands, flags, a flag's fixed
 * values, or names of a kind (hosts, clusters, profiles...) that someone else looks up. Pure:
 * the command table comes from oclif.manifest.json (manifest.ts), the names from the cache.
 */
import {GLOBAL_FLAGS} from '../cli/argv.js'
import {OOBM_DRIVERS, POWER_ACTIONS} from '../oobm/rules.js'

/** Names taken from the cloud or from the profiles file. */
export type NameKind = 'cluster' | 'host' | 'physicalnetwork' | 'pod' | 'profile' | 'setting' | 'zone'

export const CLOUD_KINDS: readonly Exclude<NameKind, 'profile'>[] = [
  'cluster',
  'host',
  'physicalnetwork',
  'pod',
  'setting',
  'zone',
]

export interface CompletionFlag {
  char?: string
  multiple?: boolean
  name: string
  negatable?: boolean
  options?: string[]
  takesValue: boolean
}

export interface CompletionArg {
  name: string
  options?: string[]
}

export interface CompletionCommand {
  args: CompletionArg[]
  flags: CompletionFlag[]
  /** Extra positional words are accepted (the last argument repeats). */
  variadic: boolean
}

export interface CompletionTable {
  /** Visible command ids with `:` (`host:list`). */
  commands: Map<string, CompletionCommand>
  /** Topic ids with `:`. */
  topics: Set<string>
}

/**
 * What the word being typed can become: fixed `values`, and/or names of `kind` (looked up by
 * the caller). `prefix` is what every candidate must start with; `lead` is put before each name
 * (a flag's `--zone=` or the earlier items of a comma-separated list).
 */
export interface CompletionPlan {
  kind?: NameKind
  lead: string
  prefix: string
  values: string[]
}

/** Connection flags found among the words: which profile or endpoint the names come from. */
export interface TypedConnection {
  profile?: string
  url?: string
}

/** Flags whose values are a fixed set the manifest does not carry (validated in lib, not by oclif). */
const FIXED_FLAG_VALUES: Record<string, readonly string[]> = {
  'console-protocol': ['http', 'https'],
  driver: OOBM_DRIVERS,
  hypervisor: ['KVM', 'XenServer', 'VMware', 'Hyperv', 'LXC', 'Ovm3', 'Simulator'],
}

/** Flags that take names of a kind; the plural ones a comma-separated list. */
const FLAG_KINDS: Record<string, NameKind> = {
  cluster: 'cluster',
  clusters: 'cluster',
  host: 'host',
  hosts: 'host',
  'physical-network': 'physicalnetwork',
  pod: 'pod',
  pods: 'pod',
  profile: 'profile',
  zone: 'zone',
  zones: 'zone',
}
const LIST_FLAGS = new Set(['clusters', 'hosts', 'pods', 'zones'])

/** Positional arguments that take names of a kind, by argument name (command ids where it depends). */
function argKind(commandId: string, argName: string): NameKind | undefined {
  if (argName === 'host' || argName === 'hosts') return 'host'
  if (argName === 'cluster') return 'cluster'
  if (argName === 'pod') return 'pod'
  if (argName === 'zone') return 'zone'
  if (argName === 'name' && commandId.startsWith('setting:')) return 'setting'
  if (argName === 'name' && ['profile:remove', 'profile:show', 'profile:use'].includes(commandId))
    return 'profile'
  return undefined
}

/** Fixed values of a positional argument the manifest does not list. */
function argValues(commandId: string, arg: CompletionArg): readonly string[] {
  if (arg.options && arg.options.length > 0) return arg.options
  if (commandId === 'oobm:power' && arg.name === 'action') return POWER_ACTIONS
  return []
}

const GLOBAL: CompletionFlag[] = GLOBAL_FLAGS.map((f) => ({...f}))
const HELP: CompletionFlag = {char: 'h', name: 'help', takesValue: false}

function findFlag(word: string, flags: readonly CompletionFlag[]): CompletionFlag | undefined {
  if (word.startsWith('--')) {
    const name = word.slice(2).split('=')[0]
    return flags.find((f) => f.name === name) ?? flags.find((f) => f.negatable && `no-${f.name}` === name)
  }

  return word.length >= 2 ? flags.find((f) => f.char === word[1]) : undefined
}

/** Whether `word` is a flag whose value is the next word (not `--x=v`, not `-pvalue`). */
function takesNextWord(word: string, flags: readonly CompletionFlag[]): boolean {
  if (!word.startsWith('-') || word === '-' || word === '--') return false
  const flag = findFlag(word, flags)
  if (!flag?.takesValue) return false
  return word.startsWith('--') ? !word.includes('=') : word.length === 2
}

interface ParsedWords {
  command?: string
  /** The command words so far (a topic path when no command is named yet). */
  path: string[]
  positionals: string[]
  typed: TypedConnection
}

/** Notes `-p NAME`, `--profile=NAME` and `--url URL`: the names come from that connection. */
function noteConnection(
  typed: TypedConnection,
  word: string,
  next: string | undefined,
  flags: CompletionFlag[],
): void {
  const flag = findFlag(word, flags)
  if (!flag?.takesValue) return
  const value = next ?? (word.startsWith('--') ? word.slice(word.indexOf('=') + 1) : word.slice(2))
  if (flag.name === 'profile') typed.profile = value
  if (flag.name === 'url') typed.url = value
}

/** Reads the finished words: command words, positional arguments, and the connection flags. */
function readWords(words: string[], table: CompletionTable): ParsedWords {
  const parsed: ParsedWords = {path: [], positionals: [], typed: {}}
  let flags: CompletionFlag[] = GLOBAL
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    if (word.startsWith('-') && word !== '-') {
      const next = takesNextWord(word, flags)
      noteConnection(parsed.typed, word, next ? words[i + 1] : undefined, flags)
      if (next) i++
      continue
    }

    if (parsed.command === undefined) {
      const id = [...parsed.path, word].join(':')
      if (table.commands.has(id) || table.topics.has(id)) {
        parsed.path.push(word)
        if (table.commands.has(id) && !hasChildren(id, table)) parsed.command = id
        if (table.commands.has(id)) flags = [...table.commands.get(id)!.flags, HELP]
        continue
      }

      // A word that is no subcommand of a command that has some: the command's first argument.
      const here = parsed.path.join(':')
      if (table.commands.has(here)) parsed.command = here
      else continue
    }

    parsed.positionals.push(word)
  }

  const here = parsed.path.join(':')
  if (parsed.command === undefined && table.commands.has(here) && parsed.path.length > 0) {
    // `oobm power` is a command (and a topic): its arguments are offered beside any subcommands.
    parsed.command = here
  }

  return parsed
}

function hasChildren(id: string, table: CompletionTable): boolean {
  const prefix = `${id}:`
  return [...table.commands.keys(), ...table.topics].some((other) => other.startsWith(prefix))
}

/** The next command words under a topic path: topics and commands one level down. */
function nextWords(path: string[], table: CompletionTable): string[] {
  const depth = path.length
  const prefix = depth === 0 ? '' : `${path.join(':')}:`
  const found = new Set<string>()
  for (const id of [...table.commands.keys(), ...table.topics]) {
    if (!id.startsWith(prefix)) continue
    const parts = id.split(':')
    if (parts.length > depth) found.add(parts[depth])
  }

  return [...found].sort()
}

function flagWords(flags: readonly CompletionFlag[], used: string[]): string[] {
  const out: string[] = []
  for (const flag of flags) {
    const long = `--${flag.name}`
    if (!flag.multiple && used.some((w) => w === long || w.startsWith(`${long}=`))) continue
    out.push(long)
    if (flag.negatable && !flag.takesValue) out.push(`--no-${flag.name}`)
  }

  return out.sort()
}

/** Values and names a flag's value can take. */
function flagValuePlan(flag: CompletionFlag, lead: string, typed: string): CompletionPlan {
  const values = flag.options && flag.options.length > 0 ? flag.options : (FIXED_FLAG_VALUES[flag.name] ?? [])
  const kind = FLAG_KINDS[flag.name]
  if (kind && LIST_FLAGS.has(flag.name)) {
    // `--hosts a,b,c`: the earlier items stay, the last one is completed.
    const comma = typed.lastIndexOf(',')
    return {kind, lead: lead + typed.slice(0, comma + 1), prefix: typed.slice(comma + 1), values: [...values]}
  }

  return {kind, lead, prefix: typed, values: [...values]}
}

/**
 * The plan for completing `words` (every word after `moldctl`; the last one is the word being
 * typed, '' after a space), and the profile or URL typed on the line.
 */
export function completionPlan(
  words: string[],
  table: CompletionTable,
): {plan: CompletionPlan; typed: TypedConnection} {
  const done = words.slice(0, -1)
  const current = words.at(-1) ?? ''
  const parsed = readWords(done, table)
  const command = parsed.command === undefined ? undefined : table.commands.get(parsed.command)
  const flags = command ? [...command.flags, HELP] : [...GLOBAL, HELP]
  const empty = (values: string[], prefix = current): CompletionPlan => ({lead: '', prefix, values})
  const result = (plan: CompletionPlan) => ({plan, typed: parsed.typed})

  // The value of the flag before: `--zone <TAB>`.
  const previous = done.at(-1)
  if (previous !== undefined && takesNextWord(previous, flags) && !isValueOfEarlierFlag(done, flags)) {
    const flag = findFlag(previous, flags)!
    return result(flagValuePlan(flag, '', current))
  }

  if (current.startsWith('--') && current.includes('=')) {
    const flag = findFlag(current, flags)
    const eq = current.indexOf('=')
    if (!flag?.takesValue) return result(empty([]))
    return result(flagValuePlan(flag, current.slice(0, eq + 1), current.slice(eq + 1)))
  }

  if (current.startsWith('-')) return result(empty(flagWords(flags, done)))

  if (!command) return result(empty(nextWords(parsed.path, table)))

  // Subcommands of a command that is also a topic, then the command's own arguments.
  const subcommands = parsed.positionals.length === 0 ? nextWords(parsed.path, table) : []
  const index = parsed.positionals.length
  const arg = command.args[index] ?? (command.variadic ? command.args.at(-1) : undefined)
  if (!arg) return result(empty(subcommands))
  return result({
    kind: argKind(parsed.command!, arg.name),
    lead: '',
    prefix: current,
    values: [...subcommands, ...argValues(parsed.command!, arg)],
  })
}

/** Whether the word before last was a flag whose value is the last word (so the last is no flag to complete). */
function isValueOfEarlierFlag(done: string[], flags: readonly CompletionFlag[]): boolean {
  // `--zone --cluster <TAB>`: --cluster is the value of --zone only if --zone takes the next word.
  let i = 0
  let last = false
  while (i < done.length) {
    if (takesNextWord(done[i], flags)) {
      last = i + 1 === done.length - 1
      i += 2
    } else {
      last = false
      i += 1
    }
  }

  return last
}

/** The candidates: the plan's values and names that start with its prefix, each after its lead. */
export function candidates(plan: CompletionPlan, names: readonly string[] = []): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const word of [...plan.values, ...names]) {
    if (!word.startsWith(plan.prefix) || seen.has(word)) continue
    seen.add(word)
    out.push(plan.lead + word)
  }

  return out
}

/** The command a complete line names (`host:list`), and the profile or URL typed on it. */
export function commandOf(
  words: string[],
  table: CompletionTable,
): {command?: string; typed: TypedConnection} {
  const {command, typed} = readWords(words, table)
  return {command, typed}
}
