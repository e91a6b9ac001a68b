// Runs every test file with node's test runner (TypeScript through tsx), printing the spec
// report and, last, one summary line. Extra arguments pick files, e.g.
// `npm test -- test/lib/api/sign.test.ts`.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

function findTests(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return findTests(full)
    return entry.name.endsWith('.test.ts') ? [full] : []
  })
}

const files = process.argv.length > 2 ? process.argv.slice(2) : findTests('test').sort()
const scratch = mkdtempSync(path.join(tmpdir(), 'moldctl-test-report-'))
const tap = path.join(scratch, 'report.tap')
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  {env: {...process.env, NODE_NO_WARNINGS: '1'}, stdio: 'inherit'},
)
const report = readFileSync(tap, 'utf8')
const count = (name) => Number(report.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0)
rmSync(scratch, {force: true, recursive: true})
const skipped = count('skipped') + count('todo')
// Whole suites skipped (e.g. the database tests when no server answers) count no tests: name
// them, with the reason, so that a skip is never silent.
const skippedSuites = new Map()
for (const [, name, reason] of report.matchAll(/^ *ok \d+ - (.*?) # SKIP ?(.*)$/gm)) {
  if (!skippedSuites.has(reason)) skippedSuites.set(reason, [])
  skippedSuites.get(reason).push(name)
}

console.log(
  `\ntests: ${count('pass')} passed, ${count('fail') + count('cancelled')} failed${skipped ? `, ${skipped} skipped` : ''}`,
)
for (const [reason, names] of skippedSuites)
  console.log(`skipped: ${names.join('; ')}${reason ? ` — ${reason}` : ''}`)
process.exit(result.status ?? 1)
