import {constants} from 'node:fs'
import {access, readFile} from 'node:fs/promises'
import path from 'node:path'

import type {CustomScriptLint, CustomScriptListing, QemuHookAction} from './libvirt-custom-scripts.js'
import type {HooksCheckReport} from './rolling-stage-scripts.js'

import {readAgentProperties} from './agent-properties.js'
import {readHookDir} from './dir-entries.js'
import {lintCustomScripts, listCustomScripts, parseQemuHookTimeout} from './libvirt-custom-scripts.js'
import {checkRollingHooks, hooksDirToInspect} from './rolling-stage-scripts.js'

/** Reads agent.properties and the hooks folder of this KVM host and checks them. */
export async function inspectRollingHooks(opts: {
  agentPropertiesFile: string
  dir?: string
}): Promise<HooksCheckReport> {
  const agentSettings = await readAgentProperties(opts.agentPropertiesFile)
  const input = {agentPropertiesFile: opts.agentPropertiesFile, agentSettings, dirFlag: opts.dir}
  const dir = hooksDirToInspect(input)
  const listing = dir ? await readHookDir(dir) : undefined
  return checkRollingHooks({...input, listing})
}

/** The qemu hook is `../qemu` next to the custom folder (/etc/libvirt/hooks/qemu). */
async function qemuHookState(customDir: string): Promise<'missing' | 'not-executable' | 'ok'> {
  const hook = path.join(path.dirname(path.resolve(customDir)), 'qemu')
  try {
    await access(hook, constants.F_OK)
  } catch {
    return 'missing'
  }

  try {
    await access(hook, constants.X_OK)
    return 'ok'
  } catch {
    return 'not-executable'
  }
}

export type CustomScriptInspection = CustomScriptListing & {exists: boolean}

export async function inspectCustomScripts(
  dir: string,
  action?: QemuHookAction,
): Promise<CustomScriptInspection> {
  const listing = await readHookDir(dir)
  return {...listCustomScripts(dir, listing.entries, action), exists: listing.state === 'ok'}
}

/** The qemu hook's timeoutSeconds, when the hook can be read. */
async function qemuHookInfo(customDir: string): Promise<undefined | {path: string; timeoutseconds: number}> {
  const hook = path.join(path.dirname(path.resolve(customDir)), 'qemu')
  const text = await readFile(hook, 'utf8').catch(() => {})
  const timeout = text === undefined ? null : parseQemuHookTimeout(text)
  return timeout === null ? undefined : {path: hook, timeoutseconds: timeout}
}

export async function lintCustomScriptsDir(dir: string): Promise<CustomScriptLint> {
  const [listing, hook, info] = await Promise.all([readHookDir(dir), qemuHookState(dir), qemuHookInfo(dir)])
  return lintCustomScripts(dir, listing, hook, info)
}
