// Runs every test file with node's test runner (TypeScript through tsx). Extra arguments are
// passed through, e.g. `npm test -- test/lib/api/sign.test.ts` runs one file.
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'
import path from 'node:path'

function findTests(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return findTests(full)
    return entry.name.endsWith('.test.ts') ? [full] : []
  })
}

const files = process.argv.length > 2 ? process.argv.slice(2) : findTests('test').sort()
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  {env: {...process.env, NODE_NO_WARNINGS: '1'}, stdio: 'inherit'},
)
process.exit(result.status ?? 1)
