// The command line as operators type it: global flags before the command words, -h, typos in
// commands and flags, --columns taking exactly one value, and tables that are never cut in logs.
import assert from 'node:assert/strict'
import {after, describe, it} from 'node:test'

import {type CliHome, json, makeHome, runCli, simEnv} from '../helpers/cli.js'
import {writeProfiles} from '../helpers/profiles.js'
import {useSim} from '../helpers/sim.js'
import {runInTerminal} from '../helpers/tty.js'

let home: CliHome
let env: Record<string, string>
const sim = useSim(
  {},
  {
    async afterStart() {
      env = simEnv(sim)
      home = makeHome()
      await writeProfiles(home, {
        current: 'other',
        profiles: {
          other: {apikey: 'NOT-THIS-ONE', secretkey: 'NOT-THIS-ONE', url: 'http://127.0.0.1:9/client/api'},
          sim: {apikey: sim.apiKey, flavor: 'mold', secretkey: sim.secretKey, url: sim.url},
        },
      })
    },
  },
)

after(() => home.remove())

const names = (stdout: string) => (JSON.parse(stdout) as Array<{name: string}>).map((h) => h.name)

describe('global flags before the command words', () => {
  it('moldctl -p sim -o json host list works exactly like host list -p sim -o json', async () => {
    const before = await runCli(['-p', 'sim', '-o', 'json', 'host', 'list'], {home})
    const afterwards = await runCli(['host', 'list', '-p', 'sim', '-o', 'json'], {home})
    assert.equal(before.code, 0, before.stderr)
    assert.equal(before.stdout, afterwards.stdout)
    assert.equal(before.stderr, '')
    assert.equal(names(before.stdout).length, 6)
  })

  it('takes --profile X, --profile=X, --json, --debug, --request-timeout N and --url before the command', async () => {
    for (const args of [
      ['--profile', 'sim', '--json', 'zone', 'list'],
      ['--profile=sim', '--json', 'zone', 'list'],
      ['--request-timeout', '10', '-p', 'sim', '--json', 'zone', 'list'],
      ['--url', sim.url, '-p', 'sim', '--json', 'zone', 'list'],
    ]) {
      const r = await runCli(args, {home})
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
      assert.deepEqual(names(r.stdout), ['zone-1'], args.join(' '))
    }

    const debug = await runCli(['--debug', '-p', 'sim', 'zone', 'list'], {home})
    assert.equal(debug.code, 0, debug.stderr)
    assert.match(debug.stderr, /\[debug\].*listZones/)
  })

  it('keeps the values where they belong: positional arguments and command flags after the words', async () => {
    const r = await runCli(['-p', 'sim', '--json', 'host', 'show', 'kvm-host-02'], {home})
    assert.equal(r.code, 0, r.stderr)
    assert.equal(json<{name: string}>(r).name, 'kvm-host-02')
    const filtered = await runCli(['-o', 'json', 'host', 'list', '--cluster', 'xen-cluster-1'], {env})
    assert.deepEqual(names(filtered.stdout), ['xen-host-01', 'xen-host-02'])
  })

  it('--insecure, --ca-file and --yes before the command reach it', async () => {
    const insecure = await runCli(['--insecure', '-p', 'sim', 'zone', 'list'], {home})
    assert.equal(insecure.code, 0, insecure.stderr)
    assert.match(insecure.stderr, /TLS certificate verification is off/)
    // The CA file is read (and its absence said) before anything is sent.
    const caFile = await runCli(['--ca-file', '/nonexistent/ca.pem', '-p', 'sim', 'zone', 'list'], {home})
    assert.equal(caFile.code, 3)
    assert.match(caFile.stderr, /cannot read the CA file \/nonexistent\/ca\.pem/)
    await sim.clearRequests()
    const yes = await runCli(['--yes', 'host', 'disable', 'kvm-host-03'], {env})
    assert.equal(yes.code, 0, yes.stderr)
    assert.ok((await sim.requests()).some((r) => r.command === 'updateHost'))
    await runCli(['host', 'enable', 'kvm-host-03', '--yes'], {env})
  })

  it('refuses a global flag that the command does not take, naming the command (exit 2, nothing sent)', async () => {
    await sim.clearRequests()
    const r = await runCli(['-p', 'sim', 'sim', 'serve'], {home})
    assert.equal(r.code, 2)
    assert.equal(
      r.stderr,
      'Error: `moldctl sim serve` does not take -p (--profile)\n  see: moldctl sim serve --help\n',
    )
    const yes = await runCli(['--yes', 'host', 'list'], {env})
    assert.equal(yes.code, 2)
    assert.match(yes.stderr, /`moldctl host list` does not take --yes/)
    assert.deepEqual(await sim.requests(), [])
  })

  it('a flag that is not global, or a global flag without its value, before the command: exit 2', async () => {
    const zone = await runCli(['--zone', 'zone-1', 'host', 'list'], {env})
    assert.equal(zone.code, 2)
    assert.match(zone.stderr, /^Error: --zone is not a global flag: put it after the command words/)
    const bare = await runCli(['-p'], {env})
    assert.equal(bare.code, 2)
    assert.match(bare.stderr, /-p needs a value/)
    const noCommand = await runCli(['-p', 'sim'], {home})
    assert.equal(noCommand.code, 2)
    assert.match(noCommand.stderr, /a command is needed after -p/)
  })
})

describe('-h is --help', () => {
  it('prints the same help as --help, before or after the command words', async () => {
    const long = await runCli(['host', 'list', '--help'])
    assert.equal(long.code, 0)
    assert.match(long.stdout, /\$ moldctl host list/)
    for (const args of [
      ['host', 'list', '-h'],
      ['-h', 'host', 'list'],
    ]) {
      const short = await runCli(args)
      assert.equal(short.code, 0, short.stderr)
      assert.equal(short.stdout, long.stdout, args.join(' '))
    }

    const root = await runCli(['-h'])
    assert.equal(root.code, 0)
    assert.equal(root.stdout, (await runCli(['--help'])).stdout)
  })
})

describe('typos', () => {
  it('an unknown command gets "did you mean" with space-separated names and the help pointer (exit 2)', async () => {
    const r = await runCli(['hots', 'list'], {env})
    assert.equal(r.code, 2)
    assert.equal(
      r.stderr,
      'Error: unknown command "hots list"\n  did you mean `host list`?\n  see: moldctl --help\n',
    )
    assert.doesNotMatch(r.stderr, /hots:list|host:list/)
    const nested = await runCli(['host', 'maintenance', 'stats'], {env})
    assert.equal(nested.code, 2)
    assert.match(nested.stderr, /unknown command "host maintenance stats"/)
    assert.match(nested.stderr, /did you mean `host maintenance status`\?/)
    assert.match(nested.stderr, /see: moldctl host maintenance --help/)
    const far = await runCli(['frobnicate'], {env})
    assert.equal(far.code, 2)
    assert.equal(far.stderr, 'Error: unknown command "frobnicate"\n  see: moldctl --help\n')
  })

  it('an unknown flag names the command and suggests the flag meant (exit 2, nothing sent)', async () => {
    await sim.clearRequests()
    const r = await runCli(['host', 'list', '--clustr', 'kvm-cluster-1'], {env})
    assert.equal(r.code, 2)
    assert.equal(
      r.stderr,
      'Error: `moldctl host list` has no flag --clustr\n  did you mean --cluster?\n  see: moldctl host list --help\n',
    )
    const sim2 = await runCli(['sim', 'serve', '--prot', '0'])
    assert.equal(sim2.code, 2)
    assert.match(sim2.stderr, /`moldctl sim serve` has no flag --prot\n {2}did you mean --port\?/)
    assert.deepEqual(await sim.requests(), [])
  })
})

describe('--columns', () => {
  it('takes one value and never swallows the argument after it', async () => {
    const r = await runCli(
      ['host', 'maintenance', 'status', '--columns', 'name,resourcestate', 'kvm-host-02'],
      {
        env,
      },
    )
    assert.equal(r.code, 0, r.stderr)
    assert.equal(r.stdout, 'NAME         RESOURCE\nkvm-host-02  Enabled\n')
  })

  it('refuses an unknown column, listing the valid ones (exit 2); dotted paths still reach nested fields', async () => {
    const r = await runCli(['host', 'list', '--columns', 'name,bogus'], {env})
    assert.equal(r.code, 2)
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /^Error: unknown column "bogus"\n/)
    assert.match(r.stderr, /columns: name, state, resourcestate, ipaddress, .*zonename/)
    const typo = await runCli(['host', 'list', '-o', 'csv', '--columns', 'nmae'], {env})
    assert.equal(typo.code, 2)
    assert.match(typo.stderr, /did you mean name\?/)
    const dotted = await runCli(
      ['host', 'list', '-o', 'csv', '--columns', 'name,outofbandmanagement.powerstate'],
      {
        env,
      },
    )
    assert.equal(dotted.code, 0, dotted.stderr)
    assert.match(dotted.stdout, /^kvm-host-01,On$/m)
  })
})

describe('--columns after a change', () => {
  it('names the unknown column as a warning and shows the outcome: the change was made (exit 0)', async () => {
    await sim.clearRequests()
    const r = await runCli(['host', 'disable', 'kvm-host-04', '--yes', '--columns', 'name,resourcestat'], {
      env,
    })
    try {
      assert.equal(r.code, 0, r.stderr)
      assert.match(r.stderr, /^Warning: unknown column "resourcestat"\n {2}did you mean resourcestate\?/m)
      assert.match(r.stdout, /^NAME\s*\nkvm-host-04\s*$/m)
      assert.ok((await sim.requests()).some((q) => q.command === 'updateHost'))
    } finally {
      await runCli(['host', 'enable', 'kvm-host-04', '--yes'], {env})
    }
  })
})

describe('tables', () => {
  /** A zone whose name is long enough that its table is wider than 80 columns. */
  async function longRows(): Promise<() => void> {
    const zone = sim.model.state.zones[0] as {description?: string; name: string}
    const original = zone.name
    zone.name = `zone-with-a-really-long-name-for-the-operators-of-${'x'.repeat(30)}`
    return () => {
      zone.name = original
    }
  }

  it('are never cut when stdout is not a terminal (logs, pipes), whatever COLUMNS says', async () => {
    const restore = await longRows()
    try {
      const r = await runCli(['zone', 'list'], {env: {...env, COLUMNS: '60'}})
      assert.equal(r.code, 0, r.stderr)
      assert.doesNotMatch(r.stdout, /…/)
      assert.match(
        r.stdout,
        /zone-with-a-really-long-name-for-the-operators-of-x{30}\s+[\da-f-]{36}\s+Enabled/,
      )
    } finally {
      restore()
    }
  })

  it('at a terminal, shrink UUIDs before state columns; -o wide cuts nothing', async () => {
    const cut = await runInTerminal(['zone', 'list'], {columns: 50, env, home, steps: []})
    assert.equal(cut.code, 0, cut.screen)
    const lines = cut.screen.split(/\r?\n/).filter((l) => l.includes('zone-1') || l.includes('NAME'))
    for (const line of lines) assert.ok(line.trimEnd().length <= 50, `${line.length}: ${line}`)
    assert.match(cut.screen, /zone-1\s+[\da-f]{8}[\da-f-]*…\s+Enabled\s+Advanced/)
    const wide = await runInTerminal(['zone', 'list', '-o', 'wide'], {columns: 50, env, home, steps: []})
    assert.equal(wide.code, 0, wide.screen)
    assert.match(wide.screen, /zone-1\s+[\da-f-]{36}\s+Enabled\s+Advanced/)
    assert.doesNotMatch(wide.screen, /…/)
  })
})
