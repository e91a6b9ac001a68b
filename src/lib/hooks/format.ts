import type {CustomScriptLint, CustomScriptListing} from './libvirt-custom-scripts.js'
import type {HooksCheckReport} from './rolling-stage-scripts.js'

import {alignColumns} from '../output/render.js'

function findings(problems: string[], warnings: string[]): string[] {
  const lines: string[] = []
  if (problems.length > 0) lines.push('', 'Problems:', ...problems.map((p) => `  ✗ ${p}`))
  if (warnings.length > 0) lines.push('', 'Warnings:', ...warnings.map((w) => `  ! ${w}`))
  lines.push(
    '',
    problems.length === 0
      ? `OK${warnings.length > 0 ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : ''}`
      : `${problems.length} problem${problems.length === 1 ? '' : 's'} found`,
  )
  return lines
}

const EXECUTOR_TEXT = {
  agent: 'in-agent (rolling.maintenance.service.executor.disabled=true)',
  systemd: 'systemd unit cloudstack-rolling-maintenance@ (the default)',
}

/** The human form of `rolling-maintenance hooks check`. */
export async function formatHooksCheckReport(report: HooksCheckReport): Promise<string[]> {
  const source =
    report.hooksdirsource === 'flag'
      ? '--dir'
      : report.hooksdirsource === 'unset'
        ? 'not set'
        : report.agentproperties
  const lines = [
    `Hooks folder: ${report.hooksdir ?? '-'} (${source})`,
    `Executor:     ${report.executor ? EXECUTOR_TEXT[report.executor] : 'unknown'}`,
  ]
  if (report.payload) lines.push(`Payload:      ${report.payload}`)
  lines.push(
    'Timeout:      each stage may run kvm.rolling.maintenance.stage.timeout seconds (a management-server setting, default 1800; the timeout given to startRollingMaintenance overrides it)',
  )
  const rows = [['STAGE', 'SCRIPT', 'EXECUTABLE']]
  for (const choice of report.stages) {
    const executable = choice.executable === null ? '' : choice.executable ? 'yes' : 'NO'
    const script =
      choice.script ?? (choice.stage === 'Maintenance' ? '- (host will be skipped)' : '- (stage skipped)')
    rows.push([choice.stage, script, executable])
  }

  lines.push('', ...(await alignColumns(rows)))
  const ignored = report.stages.flatMap((choice) => choice.ignored)
  if (ignored.length > 0) {
    lines.push(
      '',
      'Ignored:',
      ...(await alignColumns(ignored.map((file) => [`  ${file.name}`, file.reason]))),
    )
  }

  return [...lines, ...findings(report.problems, report.warnings)]
}

/** The human form of `libvirt-hooks list`. */
export async function formatCustomScriptListing(listing: CustomScriptListing): Promise<string[]> {
  const lines: string[] = []
  if (listing.groups.length === 0) lines.push(`No custom script runs from ${listing.dir}.`)
  for (const group of listing.groups) {
    lines.push(
      `${group.actions.length === 1 ? 'Action' : 'Actions'} ${group.actions.join(', ')}:`,
      // eslint-disable-next-line no-await-in-loop -- one block per group of actions, in order
      ...(await alignColumns(group.scripts.map((script) => [`  ${script.order}.`, script.name]))),
      '',
    )
  }

  if (listing.ignored.length > 0) {
    lines.push(
      'Ignored:',
      ...(await alignColumns(listing.ignored.map((item) => [`  ${item.name}`, item.reason]))),
    )
  }

  while (lines.at(-1) === '') lines.pop()
  return lines
}

/** The human form of `libvirt-hooks check`. */
export function formatCustomScriptLint(lint: CustomScriptLint): string[] {
  const lines = [`Checked ${lint.dir}`]
  if (lint.qemuhook?.timeoutseconds) {
    const seconds = lint.qemuhook.timeoutseconds
    lines.push(
      `qemu hook ${lint.qemuhook.path}: timeoutSeconds = ${seconds} (${formatDuration(seconds)}); a custom script running longer is terminated (SIGTERM)`,
    )
  }

  return [...lines, ...findings(lint.problems, lint.warnings)]
}

function formatDuration(seconds: number): string {
  if (seconds % 60 === 0 && seconds >= 60) return `${seconds / 60} minute${seconds === 60 ? '' : 's'}`
  return `${seconds} second${seconds === 1 ? '' : 's'}`
}
