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

/** Each step: a heading (or null), the moldctl words to run, and stdin when the command reads a secret. */
const steps = [
  ['The simulator wrote a profile for itself', ['profile', 'list']],
  [null, ['doctor']],
  ['The simulated cloud: zones, clusters and hosts', ['zone', 'list']],
  [null, ['cluster', 'list']],
  [null, ['host', 'list']],
  [
    'Any API command: an asynchronous one, submitted without waiting',
    ['api', 'reconnectHost', 'id=@host:kvm-host-04', '--no-wait', '--json'],
  ],
  ['... and waited for', ['job', 'wait', '@lastjob']],
  [
    'Drain a host: its VMs live-migrate to the others of its cluster',
    ['host', 'maintenance', 'enter', 'kvm-host-01'],
  ],
  [null, ['host', 'maintenance', 'status', '--cluster', 'kvm-cluster-1']],
  [null, ['host', 'maintenance', 'cancel', 'kvm-host-01']],
  [
    'What a CPU overprovisioning factor of 2 means, then setting it',
    ['cluster', 'overprovision', 'set', 'kvm-cluster-1', '--cpu', '2', '--dry-run'],
  ],
  [null, ['cluster', 'overprovision', 'set', 'kvm-cluster-1', '--cpu', '2', '--yes']],
  [null, ['cluster', 'overprovision', 'show', 'kvm-cluster-1']],
  [
    'Guest VLANs: add two non-contiguous ranges without losing the existing ones',
    ['vlan', 'range', 'add', '1200-1299', '1400', '--zone', 'zone-1'],
  ],
  [null, ['vlan', 'range', 'list', '--zone', 'zone-1']],
  [
    'Out-of-band management: the power state of a whole cluster through its BMCs',
    ['oobm', 'power', 'status', '--cluster', 'kvm-cluster-1'],
  ],
  [
    "Rotate the password the management server uses for a cluster's hosts",
    [
      'host',
      'password',
      'rotate',
      '--cluster',
      'kvm-cluster-1',
      '--username',
      'root',
      '--password-stdin',
      '--yes',
    ],
    'N3w-Host-Pw\n',
  ],
  [
    "The admin guide's jasypt step, without Java",
    ['db', 'decrypt', '--key-stdin'],
    'databasekey\nzvor40u+q7lvAUOnjKCxePzapHCZPTFE\n',
  ],
  [
    'Rolling maintenance of the KVM cluster: the plan, then the run and its report',
    ['rolling-maintenance', 'start', '--clusters', 'kvm-cluster-1', '--dry-run'],
  ],
  [null, ['rolling-maintenance', 'start', '--clusters', 'kvm-cluster-1', '--yes']],
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
  // Output goes straight to the terminal (progress and results in their real order) unless
  // the step's output is needed by a later step.
  const stdio = opts.capture ? 'pipe' : ['pipe', 'inherit', 'inherit']
  return spawnSync(process.execPath, [bin, ...args], {encoding: 'utf8', env, input: opts.stdin ?? '', stdio})
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
    const capture = args.includes('--no-wait')
    const r = moldctl(args, {capture, stdin})
    if (capture) {
      process.stdout.write(r.stdout + r.stderr)
      const job = r.stdout.match(/"jobid":\s*"([\da-f-]{36})"/)
      if (job) vars.lastjob = job[1]
    }

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
  const r = moldctl(['host', 'show', name, '--json'], {capture: true})
  return JSON.parse(r.stdout).id
}

console.log(failed ? `\n${failed} step(s) failed.` : '\nDemo finished.')
process.exit(failed ? 1 : 0)
