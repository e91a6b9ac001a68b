// A tour of moldctl against its own simulator: starts `moldctl sim serve` on a free loopback
// port with a throw-away config directory, runs real commands, and stops the simulator.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

const bin = path.resolve('bin/run.js')
const home = mkdtempSync(path.join(tmpdir(), 'moldctl-demo-'))
const env = {
  ...process.env,
  MOLDCTL_AUDIT_LOG: path.join(home, 'audit.log'),
  XDG_CONFIG_HOME: path.join(home, 'config'),
  XDG_DATA_HOME: path.join(home, 'data'),
}
for (const k of Object.keys(env))
  if (/^(MOLDCTL_(URL|API_KEY|SECRET_KEY|PROFILE|USERNAME|PASSWORD)|CLOUDSTACK_)/.test(k)) delete env[k]

const bold = (s) => (process.stdout.isTTY ? `\u001B[1m${s}\u001B[22m` : s)

/** Each step: what it shows, and the moldctl words to run (plus stdin when the command reads a secret). */
const steps = [
  ['The simulated cloud: zones, clusters and hosts', ['zone', 'list']],
  [null, ['cluster', 'list']],
  [null, ['host', 'list']],
  ['One host in detail, found by name', ['host', 'show', 'kvm-host-01']],
  [
    'Any API command: an asynchronous one is submitted and waited for',
    ['api', 'prepareHostForMaintenance', 'id=@host:kvm-host-04', '--no-wait', '--json'],
  ],
  ['Wait for that job', ['job', 'wait', '@lastjob']],
  [null, ['api', 'cancelHostMaintenance', 'id=@host:kvm-host-04']],
  ['Recent jobs', ['job', 'list']],
]

function startSimulator() {
  return new Promise((resolve, reject) => {
    const sim = spawn(
      process.execPath,
      [bin, 'sim', 'serve', '--port', '0', '--speed', '50', '--write-profile', 'demo'],
      {env, stdio: ['ignore', 'pipe', 'inherit']},
    )
    let out = ''
    sim.stdout.on('data', (d) => {
      out += d
      const m = out.match(/(https?:\/\/127\.0\.0\.1:\d+\/client\/api)/)
      if (m) resolve({sim, url: m[1]})
    })
    sim.on('exit', (code) => reject(new Error(`the simulator stopped (exit ${code}):\n${out}`)))
  })
}

function moldctl(args, opts = {}) {
  return spawnSync(process.execPath, [bin, ...args], {encoding: 'utf8', env, input: opts.stdin ?? ''})
}

const {sim} = await startSimulator()
let failed = 0
const vars = {}
try {
  for (const [title, rawArgs, stdin] of steps) {
    const args = rawArgs.map((a) =>
      a.replaceAll(/@host:([\w-]+)/g, (_, name) => hostId(name)).replace('@lastjob', vars.lastjob ?? ''),
    )
    if (title) console.log(`\n${bold(`# ${title}`)}`)
    console.log(
      bold(
        `$ moldctl ${rawArgs
          .join(' ')
          .replaceAll(/@host:([\w-]+)/g, '<id of $1>')
          .replace('@lastjob', vars.lastjob ?? '')}`,
      ),
    )
    const r = moldctl(args, {stdin})
    process.stdout.write(r.stdout)
    process.stdout.write(r.stderr)
    const job = r.stdout.match(/"jobid":\s*"([\da-f-]{36})"/)
    if (job) vars.lastjob = job[1]
    if (r.status !== 0) {
      failed++
      console.log(`(exit ${r.status})`)
    }
  }
} finally {
  sim.kill('SIGTERM')
  rmSync(home, {force: true, recursive: true})
}

function hostId(name) {
  const r = moldctl(['host', 'show', name, '--json'])
  return JSON.parse(r.stdout).id
}

console.log(failed ? `\n${failed} step(s) failed.` : '\nDemo finished.')
process.exit(failed ? 1 : 0)
