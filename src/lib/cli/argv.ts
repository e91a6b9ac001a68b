/**
 * The command line as operators type it, made into what oclif parses: global flags standing
 * before the command words (`moldctl -p prod -o json host list`) are moved after them, with their
 * values; unknown commands and flags become a clear error with "did you mean" (space-separated
 * command names, never oclif's `host:list` ids). Pure: the commands and their flags are given.
 */
import {editDistance, suggest} from '../core/suggest.js'

export interface FlagSpec {
  char?: string
  name: string
  /** `--no-NAME` is accepted too. */
  negatable?: boolean
  /** The flag takes a value (`--profile X`); booleans do not. */
  takesValue: boolean
}

export interface CommandSpec {
  flags: FlagSpec[]
}

export interface CommandTable {
  /** Command ids with `:` (`host:list`). */
  commands: Map<string, CommandSpec>
  /** Topic ids with `:` (`host`, `host:maintenance`). */
  topics: Set<string>
}

/** The flags that may stand before the command words (README, "Global flags"). */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  {char: 'p', name: 'profile', takesValue: true},
  {char: 'o', name: 'output', takesValue: true},
  {name: 'json', takesValue: false},
  {name: 'url', takesValue: true},
  {name: 'debug', takesValue: false},
  {name: 'insecure', takesValue: false},
  {name: 'ca-file', takesValue: true},
  {char: 'y', name: 'yes', takesValue: false},
  {name: 'request-timeout', takesValue: true},
  {name: 'proxy', takesValue: true},
]

const HELP_FLAGS = new Set(['--help', '-h'])

export type ArgvPlan = {argv: string[]; ok: true} | {message: string; ok: false; suggestions: string[]}

interface FlagToken {
  inlineValue: boolean
  spec?: FlagSpec
  /** As typed, without any `=value` (`--profile`, `-p`). */
  written: string
}

/** Which of `flags` a token such as `--profile=x`, `-px`, `--no-debug` or `-y` is. */
function readFlag(token: string, flags: readonly FlagSpec[]): FlagToken {
  if (token.startsWith('--')) {
    const eq = token.indexOf('=')
    const name = eq === -1 ? token.slice(2) : token.slice(2, eq)
    const spec =
      flags.find((f) => f.name === name) ??
      flags.find((f) => f.negatable && !f.takesValue && `no-${f.name}` === name)
    return {inlineValue: eq !== -1, spec, written: `--${name}`}
  }

  const char = token[1]
  const spec = flags.find((f) => f.char === char)
  return {inlineValue: token.length > 2, spec, written: `-${char}`}
}

const isFlagToken = (token: string) => token.startsWith('-') && token !== '-' && token !== '--'
const spaced = (id: string) => id.replaceAll(':', ' ')

/** The commands and topics whose words are most like `words` (best first, at most 3). */
function similarCommands(words: string[], table: CommandTable): string[] {
  const scored: Array<{distance: number; name: string}> = []
  for (const id of [...table.commands.keys(), ...table.topics]) {
    const name = spaced(id)
    const depth = id.split(':').length
    if (words.length < depth) continue
    const typed = words.slice(0, depth).join(' ')
    const distance = editDistance(typed, name)
    // Distance 0 is a topic typed right (`host` of `host lst`): not a suggestion.
    if (distance > 0 && distance <= Math.max(1, Math.floor(typed.length / 4)))
      scored.push({distance: distance / typed.length, name})
  }

  // The closest relative to the length typed: `hots lsit` is nearer `host list` than `host`.
  const best = Math.min(...scored.map((s) => s.distance))
  const names = [...new Set(scored.filter((s) => s.distance === best).map((s) => s.name))]
  // A topic is left out when one of its commands is suggested (`host list`, not also `host`).
  return names.filter((name) => !names.some((other) => other.startsWith(`${name} `))).slice(0, 3)
}

/**
 * Normalises argv (without `node` and the script) for oclif, or says why it cannot run. A plan
 * that is `ok` may still fail in oclif's own parser (a missing value, an unexpected argument).
 */
export function normaliseArgv(argv: string[], table: CommandTable): ArgvPlan {
  // --version as the first word is oclif's (and answered before this runs).
  if (argv[0] === '--version') return {argv, ok: true}
  const leading = readLeadingGlobals(argv)
  if (!leading.ok) return leading
  const {moved, movedFlags} = leading
  const rest = argv.slice(leading.end)
  const words: string[] = []
  for (const token of rest) {
    if (token.startsWith('-')) break
    words.push(token)
  }

  const depth = longestPrefix(words, table.commands)
  if (depth === 0) {
    if (words.length === 0) {
      if (movedFlags.length === 0) return {argv, ok: true}
      return {
        message: `a command is needed after ${movedFlags.map((f) => f.written).join(' ')}`,
        ok: false,
        suggestions: ['see: moldctl --help'],
      }
    }

    return topicOrUnknown(words, table, [...moved, ...rest.slice(words.length)])
  }

  const id = words.slice(0, depth).join(':')
  const command = table.commands.get(id)!
  const name = `moldctl ${spaced(id)}`
  for (const flag of movedFlags) {
    if (!command.flags.some((f) => f.name === flag.spec!.name)) {
      return {
        message: `\`${name}\` does not take ${flag.written}${flag.written === `--${flag.spec!.name}` ? '' : ` (--${flag.spec!.name})`}`,
        ok: false,
        suggestions: [`see: ${name} --help`],
      }
    }
  }

  const after = rest.slice(depth)
  const unknown = unknownFlag(after, command)
  if (unknown) {
    const names = command.flags.flatMap((f) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])])
    const near = suggest(unknown, names, 2).filter((n) => n.startsWith('--') || unknown.length === 2)
    return {
      message: `\`${name}\` has no flag ${unknown}`,
      ok: false,
      suggestions: [
        ...(near.length > 0 ? [`did you mean ${near.join(' or ')}?`] : []),
        `see: ${name} --help`,
      ],
    }
  }

  return {argv: [...words.slice(0, depth), ...moved, ...after], ok: true}
}

type LeadingGlobals =
  | {end: number; moved: string[]; movedFlags: FlagToken[]; ok: true}
  | {message: string; ok: false; suggestions: string[]}

/** The global flags (and help flags) before the command words, with their values. */
function readLeadingGlobals(argv: string[]): LeadingGlobals {
  const moved: string[] = []
  const movedFlags: FlagToken[] = []
  let i = 0
  while (i < argv.length && isFlagToken(argv[i])) {
    const token = argv[i]
    if (HELP_FLAGS.has(token)) {
      moved.push(token)
      i++
      continue
    }

    const flag = readFlag(token, GLOBAL_FLAGS)
    if (!flag.spec) {
      const near = suggest(
        flag.written,
        GLOBAL_FLAGS.map((f) => `--${f.name}`),
        2,
      )
      return {
        message: `${flag.written} is not a global flag: put it after the command words (moldctl COMMAND ${flag.written} ...)`,
        ok: false,
        suggestions: [
          ...(near.length > 0 ? [`did you mean ${near.join(' or ')}?`] : []),
          `global flags, allowed before the command: ${GLOBAL_FLAGS.map((f) => (f.char ? `-${f.char}/--${f.name}` : `--${f.name}`)).join(', ')}`,
          'see: moldctl --help',
        ],
      }
    }

    moved.push(token)
    movedFlags.push(flag)
    i++
    if (flag.spec.takesValue && !flag.inlineValue) {
      if (i >= argv.length) {
        return {message: `${flag.written} needs a value`, ok: false, suggestions: ['see: moldctl --help']}
      }

      moved.push(argv[i])
      i++
    }
  }

  return {end: i, moved, movedFlags, ok: true}
}

/** How many of the words name an entry of `ids` (the longest such prefix), 0 for none. */
function longestPrefix(words: string[], ids: {has(id: string): boolean}): number {
  for (let k = words.length; k > 0; k--) if (ids.has(words.slice(0, k).join(':'))) return k
  return 0
}

/**
 * Words that are no command: a topic alone (`moldctl host`) shows the topic's help (the words,
 * then `after`); anything else is an unknown command with the nearest ones suggested.
 */
function topicOrUnknown(words: string[], table: CommandTable, after: string[]): ArgvPlan {
  const topicDepth = longestPrefix(words, table.topics)
  if (topicDepth === words.length) return {argv: [...words, ...after], ok: true}
  const near = similarCommands(words, table)
  const shownDepth = Math.max(topicDepth + 1, ...near.map((n) => Math.min(n.split(' ').length, words.length)))
  const typed = words.slice(0, Math.min(shownDepth, words.length)).join(' ')
  const helpOf = topicDepth > 0 ? `moldctl ${words.slice(0, topicDepth).join(' ')} --help` : 'moldctl --help'
  return {
    message: `unknown command "${typed}"`,
    ok: false,
    suggestions: [
      ...(near.length > 0 ? [`did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?`] : []),
      `see: ${helpOf}`,
    ],
  }
}

/** The first flag after the command words that the command does not have (values skipped). */
function unknownFlag(tokens: string[], command: CommandSpec): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]
    if (token === '--') return undefined
    if (!isFlagToken(token) || HELP_FLAGS.has(token)) continue
    // A negative number is a value, not a flag.
    if (/^-\d/.test(token)) continue
    const flag = readFlag(token, command.flags)
    if (!flag.spec) return flag.written
    if (flag.spec.takesValue && !flag.inlineValue) i++
  }

  return undefined
}
