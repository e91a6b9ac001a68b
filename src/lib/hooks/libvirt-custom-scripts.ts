import type {HookDirEntry, HookDirListing} from './dir-entries.js'

/** The libvirt operations the qemu hook accepts (`validQemuActions`); anything else runs nothing. */
export const QEMU_HOOK_ACTIONS = [
  'prepare',
  'start',
  'started',
  'stopped',
  'release',
  'migrate',
  'restore',
  'reconnect',
  'attach',
] as const
export type QemuHookAction = (typeof QEMU_HOOK_ACTIONS)[number]

export const DEFAULT_CUSTOM_HOOKS_DIR = '/etc/libvirt/hooks/custom'

export function isQemuHookAction(value: string): value is QemuHookAction {
  return (QEMU_HOOK_ACTIONS as readonly string[]).includes(value)
}

/** The hook sorts by the part after the first underscore (Python `str.partition('_')[2]`). */
export function customScriptSortKey(name: string): string {
  const underscore = name.indexOf('_')
  return underscore === -1 ? '' : name.slice(underscore + 1)
}

/** Python's str ordering: by Unicode code point (JS `<` compares UTF-16 units, which differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const left = [...a]
  const right = [...b]
  const length = Math.min(left.length, right.length)
  for (let i = 0; i < length; i++) {
    const difference = left[i].codePointAt(0)! - right[i].codePointAt(0)!
    if (difference !== 0) return difference
  }

  return left.length - right.length
}

/** Whether the hook picks a file name up for an action: `<action>_…` or `all_…`. */
export function isCandidateFor(name: string, action: QemuHookAction): boolean {
  return name.includes('_') && (name.startsWith(`${action}_`) || name.startsWith('all_'))
}

/**
 * The order in which the qemu hook runs custom scripts for an action: the candidates sorted by
 * the text after the first underscore, plain code-point order, stable (ties keep directory
 * order, which the hook leaves unspecified).
 */
export function hookRunOrder(names: string[], action: QemuHookAction): string[] {
  return names
    .filter((name) => isCandidateFor(name, action))
    .map((name, index) => ({index, key: customScriptSortKey(name), name}))
    .sort((a, b) => compareCodePoints(a.key, b.key) || a.index - b.index)
    .map((entry) => entry.name)
}

export interface IgnoredScript {
  name: string
  reason: string
}

/** Why a file never runs for any action, or null when it is a runnable hook script. */
export function neverRunsReason(entry: HookDirEntry): null | string {
  const underscore = entry.name.indexOf('_')
  if (underscore === -1) return "no '_' in the name: the hook only runs <action>_NAME and all_NAME"
  const prefix = entry.name.slice(0, underscore)
  if (prefix !== 'all' && !isQemuHookAction(prefix)) {
    return `prefix '${prefix}' is neither a qemu action (${QEMU_HOOK_ACTIONS.join(', ')}) nor 'all'`
  }

  if (entry.kind === 'directory') return 'a directory: the hook tries to run it and logs an error'
  if (entry.kind === 'broken-symlink') return 'a broken symbolic link: the hook logs it as not executable'
  if (!entry.executable) return 'not executable: the hook logs "is not executable; skipping execution"'
  return null
}

export interface RunOrderGroup {
  /** The actions that run exactly these scripts, in this order. */
  actions: QemuHookAction[]
  scripts: {key: string; name: string; order: number}[]
}

export interface CustomScriptListing {
  dir: string
  groups: RunOrderGroup[]
  ignored: IgnoredScript[]
}

/**
 * What the qemu hook does with a custom-scripts folder: the scripts it runs, in order, for each
 * action (actions with the same run order are grouped), and the files it ignores with the
 * reason. Given an action, files meant only for other actions are listed as ignored too.
 */
export function listCustomScripts(
  dir: string,
  entries: HookDirEntry[],
  action?: QemuHookAction,
): CustomScriptListing {
  const ignored: IgnoredScript[] = []
  const runnable: string[] = []
  for (const entry of entries) {
    const reason = neverRunsReason(entry)
    if (reason) ignored.push({name: entry.name, reason})
    else if (action && !isCandidateFor(entry.name, action)) {
      ignored.push({name: entry.name, reason: `runs only for action '${entry.name.split('_')[0]}'`})
    } else runnable.push(entry.name)
  }

  const groups: RunOrderGroup[] = []
  for (const each of action ? [action] : QEMU_HOOK_ACTIONS) {
    const order = hookRunOrder(runnable, each)
    if (order.length === 0) continue
    const same = groups.find(
      (group) => group.scripts.map((script) => script.name).join('/') === order.join('/'),
    )
    if (same) {
      same.actions.push(each)
      continue
    }

    groups.push({
      actions: [each],
      scripts: order.map((name, index) => ({key: customScriptSortKey(name), name, order: index + 1})),
    })
  }

  return {dir, groups, ignored}
}

export interface CustomScriptLint {
  dir: string
  problems: string[]
  /** The qemu hook next to the folder and its `timeoutSeconds`, when the hook sets one. */
  qemuhook?: {path: string; timeoutseconds: number}
  warnings: string[]
}

/**
 * `timeoutSeconds = 10 * 60` in the qemu hook's Python text (agent/bindir/libvirtqemuhook.in):
 * a product of integers, as shipped and as operators edit it; anything else is null.
 */
export function parseQemuHookTimeout(text: string): null | number {
  const match = /^\s*timeoutSeconds\s*=\s*([\d\s*]+?)\s*(?:#.*)?$/m.exec(text)
  if (!match || !/^\d+(\s*\*\s*\d+)*$/.test(match[1])) return null
  return match[1].split('*').reduce((product, factor) => product * Number(factor.trim()), 1)
}

const BACKUP_SUFFIXES = ['~', '.bak', '.orig', '.rpmnew', '.rpmsave', '.swp', '.tmp', '.old']

/** Leading digits of a sort key, when the key starts with a number. */
function leadingNumber(key: string): null | string {
  return /^\d+/.exec(key)?.[0] ?? null
}

/** Whether two scripts can run in the same hook invocation (both picked up for some action). */
function runTogether(a: string, b: string): boolean {
  const prefixA = a.split('_')[0]
  const prefixB = b.split('_')[0]
  return prefixA === 'all' || prefixB === 'all' || prefixA === prefixB
}

/** Pairs of scripts run together whose text order differs from their numeric order (10_x before 9_y). */
export function numericOrderSurprises(names: string[]): [string, string][] {
  const numbered = names
    .map((name) => ({key: customScriptSortKey(name), name, number: leadingNumber(customScriptSortKey(name))}))
    .filter((entry): entry is {key: string; name: string; number: string} => entry.number !== null)
  const surprises: [string, string][] = []
  for (const a of numbered) {
    for (const b of numbered) {
      if (!runTogether(a.name, b.name)) continue
      if (compareCodePoints(a.key, b.key) < 0 && BigInt(a.number) > BigInt(b.number))
        surprises.push([a.name, b.name])
    }
  }

  return surprises
}

/** Scripts run together that share a sort key: their relative order is left to the directory listing. */
export function sortKeyTies(names: string[]): string[][] {
  const byKey = new Map<string, string[]>()
  for (const name of names) {
    const key = customScriptSortKey(name)
    byKey.set(key, [...(byKey.get(key) ?? []), name])
  }

  return [...byKey.values()].filter(
    (group) => group.length > 1 && group.some((a) => group.some((b) => a !== b && runTogether(a, b))),
  )
}

/** The folder's problems (scripts that will not run as intended) and warnings (surprises). */
export function lintCustomScripts(
  dir: string,
  listing: HookDirListing,
  qemuHook: 'missing' | 'not-executable' | 'ok',
  hookInfo?: {path: string; timeoutseconds: number},
): CustomScriptLint {
  const problems: string[] = []
  const warnings: string[] = []
  if (listing.state !== 'ok') {
    problems.push(
      `${dir} ${listing.state === 'missing' ? 'does not exist' : 'is not a directory'}: the qemu hook runs no custom scripts`,
    )
    return {dir, problems, warnings}
  }

  if (qemuHook !== 'ok') {
    warnings.push(
      `the qemu hook next to ${dir} is ${qemuHook === 'missing' ? 'missing' : 'not executable'}: libvirt runs none of these scripts (it is installed by the cloudstack-agent package)`,
    )
  }

  const runnable: string[] = []
  for (const entry of listing.entries) {
    const reason = neverRunsReason(entry)
    if (reason === null && entry.kind === 'file' && entry.header === 'none') {
      problems.push(
        `${entry.name} has no #! line: the hook starts it directly (no shell), which fails with "Exec format error"; add one, e.g. #!/bin/bash`,
      )
    }

    if (reason === null) runnable.push(entry.name)
    else if (isRunCandidate(entry.name) || entry.executable)
      problems.push(`${entry.name} never runs: ${reason}`)
    else warnings.push(`${entry.name} never runs: ${reason}`)
  }

  for (const name of runnable) {
    const backup = BACKUP_SUFFIXES.find((suffix) => name.endsWith(suffix))
    if (backup) warnings.push(`${name} looks like a backup copy (${backup}) but runs like any other script`)
  }

  for (const [first, second] of numericOrderSurprises(runnable)) {
    warnings.push(
      `${first} runs before ${second}: names are compared as text, not numbers (pad the numbers with zeros)`,
    )
  }

  for (const group of sortKeyTies(runnable)) {
    warnings.push(`${group.join(' and ')} have the same name after the first '_': their order is not defined`)
  }

  return hookInfo ? {dir, problems, qemuhook: hookInfo, warnings} : {dir, problems, warnings}
}

/** A name the hook would pick up for some action (it may still fail to run). */
function isRunCandidate(name: string): boolean {
  return QEMU_HOOK_ACTIONS.some((action) => isCandidateFor(name, action))
}
