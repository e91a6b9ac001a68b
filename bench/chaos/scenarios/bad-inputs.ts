/**
 * Every family of bad input: each must be refused with a message and exit 2 (3 for a
 * configuration), with no call that changes anything — and for words the server would refuse,
 * no call at all.
 */
import {isReadCommand} from '../../../src/lib/api/envelope.js'
import {crashed, register} from '../registry.js'

interface BadInput {
  args: string[]
  code?: number
  env?: Record<string, string>
  /** No request at all may be sent (refused before connecting). */
  noCall?: boolean
}

const LONG = 'h'.repeat(10_000)
const CONTROL = ['name\u0001', 'esc\u001B[2J', 'bell\u0007', 'del\u007F']
const NOT_NUMBERS = [
  '1e309',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '0x1p4',
  '2f',
  '',
  ' ',
  'abc',
  '1,5',
  '-1',
  '0',
]

const families: Record<string, BadInput[]> = {
  'a 10,000-character word': [
    ['host', 'show', LONG],
    ['host', 'maintenance', 'enter', LONG, '--yes'],
    ['zone', 'disable', LONG, '--yes'],
    ['cluster', 'overprovision', 'show', LONG],
    ['host', 'list', '--cluster', LONG],
    ['setting', 'get', LONG],
    ['vlan', 'range', 'add', '600-610', '--zone', LONG],
    ['oobm', 'power', 'status', '--cluster', LONG],
  ].map((args) => ({args, noCall: true})),
  'a control character': ['host show', 'zone disable', 'setting get', 'host list --zone'].flatMap((words) =>
    CONTROL.map((bad) => ({
      args: [...words.split(' '), bad, ...(words === 'zone disable' ? ['--yes'] : [])],
      noCall: true,
    })),
  ),
  'a number that is no number (setting set)': NOT_NUMBERS.map((value) => ({
    args: ['setting', 'set', 'mem.overprovisioning.factor', value, '--cluster', 'kvm-cluster-1'],
  })),
  'a number that is no number (overprovision set)': NOT_NUMBERS.map((value) => ({
    args: ['cluster', 'overprovision', 'set', 'kvm-cluster-1', '--memory', value, '--yes'],
  })),
  'an integer setting that is no integer': ['1.5', '0x10', '1e3', '', '99999999999'].map((value) => ({
    args: ['setting', 'set', 'kvm.rolling.maintenance.ping.interval', value],
  })),
  'a malformed VLAN range': [
    'abc',
    '5-1',
    '600-610,abc',
    '4095-5000',
    '1-',
    '-',
    '600-610-620',
    '600..610',
    '६००-६१०',
  ].map((range) => ({args: ['vlan', 'range', 'add', range, '--zone', 'zone-1', '--yes']})),
  'an unknown entity': [
    ['host', 'show', 'no-such-host'],
    ['host', 'maintenance', 'enter', 'no-such-host', '--yes'],
    ['zone', 'disable', 'no-such-zone', '--yes'],
    ['cluster', 'disable', 'no-such-cluster', '--yes'],
    ['pod', 'disable', 'no-such-pod', '--yes'],
    ['cluster', 'overprovision', 'set', 'no-such-cluster', '--cpu', '2', '--yes'],
    ['setting', 'set', 'no.such.setting', '1'],
    ['vlan', 'range', 'add', '600-610', '--zone', 'no-such-zone', '--yes'],
    ['oobm', 'power', 'status', '--cluster', 'no-such-cluster'],
  ].map((args) => ({args})),
  'a bad flag or missing argument': [
    ['host', 'list', '--no-such-flag'],
    ['host', 'lsit'],
    ['oobm', 'power', 'status', '--cluster', 'kvm-cluster-1', '--concurrency', '0'],
    ['oobm', 'power', 'status', '--cluster', 'kvm-cluster-1', '--concurrency', 'x'],
    ['host', 'list', '-o', 'xml'],
    ['cluster', 'overprovision', 'set', 'kvm-cluster-1'],
    ['setting', 'set'],
    ['host', 'maintenance', 'enter', '--yes'],
    ['vlan', 'range', 'add'],
    ['host', 'list', '--request-timeout', '0'],
  ].map((args) => ({args})),
  'a bad configuration': [
    {args: ['host', 'list'], code: 3, env: {MOLDCTL_MAX_ANSWER_BYTES: '64MB'}},
    {args: ['host', 'list'], code: 3, env: {MOLDCTL_SECRET_KEY: 'wrong-secret'}},
    {args: ['host', 'list'], code: 3, env: {MOLDCTL_URL: 'not a url'}},
    {args: ['host', 'list', '--profile', 'no-such-profile'], code: 3},
  ],
}

for (const [family, inputs] of Object.entries(families)) {
  for (const [i, input] of inputs.entries()) {
    register({
      family: 'bad-inputs',
      name: `bad input: ${family} #${i + 1}`,
      async run(ctx) {
        const sim = await ctx.sim('small')
        await sim.clearRequests()
        const run = await ctx.moldctl(sim, input.args, {env: input.env})
        const expected = input.code ?? 2
        const shown = input.args.join(' ').slice(0, 60)
        if (crashed(run)) return {problem: `${shown}: crashed`}
        if (run.code !== expected)
          return {problem: `${shown}: exit ${run.code}, expected ${expected}: ${run.stderr.slice(0, 200)}`}
        if (run.stderr.trim() === '') return {problem: `${shown}: no message`}
        const requests = await sim.requests()
        if (input.noCall && requests.length > 0)
          return {problem: `${shown}: ${requests.length} request(s) sent`}
        const changes = requests.filter((r) => r.command && !isReadCommand(r.command))
        if (changes.length > 0) return {problem: `${shown}: ${changes[0].command} sent`}
        return {}
      },
    })
  }
}
