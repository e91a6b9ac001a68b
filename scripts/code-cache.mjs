// Writes the V8 code caches of dist/oclif-core.cjs, dist/axios.cjs and dist/cli-table3.cjs (see
// src/lib/core/code-cache.ts), after `npm run build` has bundled them: runs a few typical starts
// of the built CLI in this process — help pages, a local command, and `host list` against a
// stand-in API server on loopback that lists one host and answers anything else with an empty
// answer — so that the caches hold the functions a start compiles, not only the bundles' top
// level. Their output is dropped; they read and write nothing of the user's (HOME and the XDG
// directories point into a scratch directory, removed at the end).
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer} from 'node:http'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const scratch = mkdtempSync(path.join(tmpdir(), 'moldctl-code-cache-'))
for (const name of ['HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME']) {
  process.env[name] = scratch
}

for (const name of Object.keys(process.env)) if (name.startsWith('MOLDCTL_')) delete process.env[name]

/** The one host the stand-in server lists, so that `host list` draws a table. */
const HOST = {
  clustername: 'cluster-1',
  hypervisor: 'KVM',
  id: '00000000-0000-4000-8000-000000000001',
  ipaddress: '192.0.2.11',
  name: 'host-1',
  resourcestate: 'Enabled',
  state: 'Up',
  type: 'Routing',
}
const server = createServer((request, response) => {
  const command = new URL(request.url ?? '/', 'http://localhost').searchParams.get('command') ?? 'none'
  response.setHeader('content-type', 'application/json')
  response.end(
    JSON.stringify({
      [`${command.toLowerCase()}response`]: command === 'listHosts' ? {count: 1, host: [HOST]} : {},
    }),
  )
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
process.env.MOLDCTL_URL = `http://127.0.0.1:${server.address().port}/client/api`
process.env.MOLDCTL_API_KEY = 'code-cache'
process.env.MOLDCTL_SECRET_KEY = 'code-cache'

const STARTS = [
  ['--help'],
  ['host', 'list', '--help'],
  ['profile', 'list'],
  ['host', 'list'],
  ['host', 'list', '--json'],
]
const {run} = await import(pathToFileURL(path.join(root, 'dist', 'run.js')).href)
const {writeCodeCaches} = await import(pathToFileURL(path.join(root, 'dist', 'code-cache.js')).href)
/** A write that drops its text and calls back as a stream would (oclif's flush waits for it). */
function dropped(_chunk, encoding, callback) {
  const done = typeof encoding === 'function' ? encoding : callback
  if (done) process.nextTick(done)
  return true
}

const writes = {stderr: process.stderr.write, stdout: process.stdout.write}
// A run ends the process once its output is written (oclif-execute.ts, endOnceWritten): here the
// starts run one after the other in this process, which ends after the last.
const {exit} = process
process.exit = () => {}
try {
  for (const argv of STARTS) {
    process.argv = [process.argv[0], path.join(root, 'bin', 'run.js'), ...argv]
    process.stdout.write = dropped
    process.stderr.write = dropped
    try {
      await run(pathToFileURL(path.join(root, 'bin', 'run.js')).href)
    } finally {
      process.stdout.write = writes.stdout
      process.stderr.write = writes.stderr
    }
  }

  process.exit = exit
  process.exitCode = 0
  const written = writeCodeCaches()
  if (written.length === 0) throw new Error('no bundle was loaded with a code cache: nothing to write')
  for (const file of written) console.log(`wrote ${path.relative(root, file)}`)
} finally {
  server.close()
  server.closeAllConnections()
  rmSync(scratch, {force: true, recursive: true})
}
