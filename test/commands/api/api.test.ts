import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, it} from 'node:test'

import {json, makeHome, runCli, simEnv} from '../../helpers/cli.js'
import {startTestSim, useSim} from '../../helpers/sim.js'
import {simulateWorkApi} from '../../helpers/test-apis.js'

let env: Record<string, string>
const sim = useSim(
  {apis: [simulateWorkApi]},
  {
    async afterStart() {
      env = simEnv(sim)
    },
  },
)

describe('moldctl api', () => {
  it('sends a read by GET and prints the answer under its response key', async () => {
    await sim.clearRequests()
    const r = await runCli(['api', 'listZones', 'available=true'], {env})
    assert.equal(r.code, 0, r.stderr)
    const body = json<{count: number; zone: {name: string}[]}>(r)
    assert.equal(body.count, 1)
    assert.equal(body.zone[0].name, 'zone-1')
    const [logged] = await sim.requests()
    assert.equal(logged.method, 'GET')
    assert.equal(logged.params.available, 'true')
  })

  it('fetches every page with --all', async () => {
    const big = await startTestSim({hosts: 1200, topology: 'large'})
    try {
      const r = await runCli(['api', 'listHosts', '--all'], {env: simEnv(big)})
      assert.equal(r.code, 0, r.stderr)
      const body = json<{count: number; host: unknown[]}>(r)
      assert.equal(body.count, 1200)
      assert.equal(body.host.length, 1200)
      assert.equal((await big.requests()).filter((q) => q.command === 'listHosts').length, 3)
    } finally {
      await big.close()
    }
  })

  it('sends a change by POST, once, waits for its job and prints the job result', async () => {
    await sim.clearRequests()
    const r = await runCli(['api', 'simulateWork', 'seconds=3', 'message=all good'], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.deepEqual(json(r), {details: 'all good', success: true})
    assert.match(r.stderr, /Waiting for job [\da-f-]{36}/)
    const log = await sim.requests()
    const submits = log.filter((q) => q.command === 'simulateWork')
    assert.equal(submits.length, 1)
    assert.equal(submits[0].method, 'POST')
    assert.ok(log.some((q) => q.command === 'queryAsyncJobResult'))
  })

  it('returns the job id at once with --no-wait', async () => {
    await sim.clearRequests()
    const r = await runCli(['api', 'simulateWork', 'seconds=3', '--no-wait'], {env})
    assert.equal(r.code, 0, r.stderr)
    assert.match(json<{jobid: string}>(r).jobid, /^[\da-f-]{36}$/)
    assert.equal((await sim.requests()).filter((q) => q.command === 'queryAsyncJobResult').length, 0)
  })

  it('exits 1 with the server reason when the job fails', async () => {
    const r = await runCli(['api', 'simulateWork', 'fail=true', 'message=disk on fire'], {env})
    assert.equal(r.code, 1)
    assert.match(r.stderr, /simulateWork job [\da-f-]{36} failed \(530\): Work failed: disk on fire/)
  })

  it('renders an API error as one line with errorcode, cserrorcode and errortext (exit 1)', async () => {
    const r = await runCli(['api', 'listHosts', 'details=everything'], {env})
    assert.equal(r.code, 1)
    assert.equal(
      r.stderr.trim(),
      // ...and, as every error about the cloud, which cloud was asked.
      `Error: listHosts failed (431/4350): The details parameter contains a non permitted value. The allowed values are [min, all, capacity, events, stats] (no profile, ${sim.url})`,
    )
  })

  it('says that a command does not exist rather than that the keys are wrong (exit 2)', async () => {
    const r = await runCli(['api', 'listHostz'], {env})
    assert.equal(r.code, 2)
    assert.match(r.stderr, /the server has no API command named listHostz/)
  })

  it('refuses malformed words before any call (exit 2)', async () => {
    await sim.clearRequests()
    for (const args of [
      ['api', 'listHosts', 'state'],
      ['api', 'list-hosts'],
      ['api', 'listHosts', 'signature=x'],
      ['api', 'listHosts', 'a=1', 'a=2'],
    ]) {
      const r = await runCli(args, {env})
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    }

    assert.equal((await sim.requests()).length, 0)
  })

  it('writes each change to the audit log with secrets redacted, and never logs reads', async () => {
    const home = makeHome()
    try {
      await runCli(['api', 'listZones'], {env, home})
      const r = await runCli(['api', 'simulateWork', 'seconds=1', 'password=hunter2'], {env, home})
      assert.equal(r.code, 0, r.stderr)
      const lines = readFileSync(path.join(home.dataDir, 'audit.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      assert.deepEqual(
        lines.map((l) => [l.command, l.outcome]),
        [
          ['simulateWork', 'submitted'],
          ['simulateWork', 'job-succeeded'],
          // The run's own record (docs/audit.md): the read-only run before it left none.
          ['api', undefined],
        ],
      )
      assert.equal(lines[2].type, 'run')
      assert.equal(lines[2].commandLine, 'moldctl api simulateWork seconds=1 password=***')
      assert.ok(lines.every((l) => l.run === lines[2].run))
      assert.equal(lines[0].params.password, '***')
      assert.equal(lines[0].params.seconds, '1')
      assert.equal(lines[0].jobid, lines[1].jobid)
      assert.equal(lines[0].endpoint, sim.url)
      assert.ok(!JSON.stringify(lines).includes('hunter2'))
      assert.ok(!JSON.stringify(lines).includes(sim.secretKey))
    } finally {
      home.remove()
    }
  })

  it('writes no audit log with MOLDCTL_AUDIT_LOG=off', async () => {
    const home = makeHome()
    try {
      const r = await runCli(['api', 'simulateWork', 'seconds=1'], {
        env: {...env, MOLDCTL_AUDIT_LOG: 'off'},
        home,
      })
      assert.equal(r.code, 0, r.stderr)
      assert.throws(() => readFileSync(path.join(home.dataDir, 'audit.log')), /ENOENT/)
    } finally {
      home.remove()
    }
  })
})
