/**
 * Secret canaries: secrets passed through the environment, stdin or a profile must never appear
 * on stdout, stderr (--debug included) or in the audit log — in success and in failure.
 */
import {makeHome} from '../../../test/helpers/cli.js'
import {type CliRun, register, type ScenarioOutcome} from '../registry.js'

/** The places a canary appears in: stdout, stderr, the audit log. */
function leaks(run: CliRun, canary: string): {places: string[]} {
  const places: string[] = []
  if (run.stdout.includes(canary)) places.push('stdout')
  if (run.stderr.includes(canary)) places.push('stderr')
  if (run.audit.includes(canary)) places.push('audit log')
  return {places}
}

function outcome(runs: CliRun[], canary: string, expectCodes: number[]): ScenarioOutcome {
  const places = runs.flatMap((run) => leaks(run, canary).places)
  const codes = runs.map((r) => r.code)
  const problem =
    places.length > 0
      ? `the canary appeared in ${places.join(', ')}`
      : codes.some((code, i) => code !== expectCodes[i])
        ? `exit codes ${codes.join(', ')}, expected ${expectCodes.join(', ')}: ${runs.at(-1)!.stderr.slice(0, 200)}`
        : undefined
  return {problem, secretsLeaked: places.length}
}

register(
  {
    family: 'secrets',
    name: 'secret: the secret key from the environment, under --debug, in a read and a change',
    async run(ctx) {
      const sim = await ctx.sim('small')
      const runs = [
        await ctx.moldctl(sim, ['host', 'list', '--debug']),
        await ctx.moldctl(sim, ['zone', 'enable', 'zone-1', '--debug']),
      ]
      return outcome(runs, sim.secretKey, [0, 0])
    },
  },
  {
    family: 'secrets',
    name: 'secret: a wrong secret key in the 401 message',
    async run(ctx) {
      const sim = await ctx.sim('small')
      const canary = 'Canary-Wrong-Secret-5d1f'
      const run = await ctx.moldctl(sim, ['host', 'list', '--debug'], {env: {MOLDCTL_SECRET_KEY: canary}})
      return outcome([run], canary, [3])
    },
  },
  {
    family: 'secrets',
    name: 'secret: a profile secret key from stdin, then used with --debug',
    async run(ctx) {
      const sim = await ctx.sim('small')
      const home = makeHome()
      try {
        const noKeys = {MOLDCTL_API_KEY: '', MOLDCTL_SECRET_KEY: '', MOLDCTL_URL: ''}
        const add = await ctx.moldctl(
          sim,
          ['profile', 'add', 'chaos', '--url', sim.url, '--api-key', sim.apiKey, '--secret-key-stdin'],
          {env: noKeys, home, stdin: sim.secretKey},
        )
        const show = await ctx.moldctl(sim, ['profile', 'show', 'chaos', '--json'], {env: noKeys, home})
        const use = await ctx.moldctl(sim, ['-p', 'chaos', 'host', 'list', '--debug'], {env: noKeys, home})
        return outcome([add, show, use], sim.secretKey, [0, 0, 0])
      } finally {
        home.remove()
      }
    },
  },
  {
    family: 'secrets',
    name: 'secret: a host password from stdin (rotate through the API, --debug)',
    async run(ctx) {
      const sim = await ctx.sim('small')
      const canary = 'Canary-Host-Pw-8c2e'
      const run = await ctx.moldctl(
        sim,
        [
          'host',
          'password',
          'rotate',
          'kvm-host-03',
          '--username',
          'root',
          '--password-stdin',
          '--yes',
          '--debug',
        ],
        {stdin: `${canary}\n`},
      )
      return outcome([run], canary, [0])
    },
  },
  {
    family: 'secrets',
    name: 'secret: a BMC password from stdin (oobm password change, --debug)',
    async run(ctx) {
      const sim = await ctx.sim('small')
      const canary = 'Canary-Bmc-41aa'
      const run = await ctx.moldctl(
        sim,
        ['oobm', 'password', 'change', 'kvm-host-01', '--password-stdin', '--yes', '--debug'],
        {stdin: canary},
      )
      return outcome([run], canary, [0])
    },
  },
  {
    family: 'secrets',
    name: 'secret: a host password in a failing rotation',
    async run(ctx) {
      const sim = await ctx.sim('small')
      const canary = 'Canary-Failing-Pw-77b0'
      await sim.setFaults({failCommand: {command: 'updateHostPassword', errortext: 'refused'}})
      const run = await ctx.moldctl(
        sim,
        [
          'host',
          'password',
          'rotate',
          'kvm-host-04',
          '--username',
          'root',
          '--password-stdin',
          '--yes',
          '--debug',
        ],
        {stdin: `${canary}\n`},
      )
      await sim.clearFaults()
      return outcome([run], canary, [1])
    },
  },
)
