import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'
import {parse} from 'yaml'

import {FLAVOR_ALGORITHM, signParams} from '../../../src/lib/api/sign.js'
import {serve, stop} from '../../helpers/serve.js'

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/run.js')

describe('moldctl sim serve', () => {
  it('serves signed requests with keys from the environment and writes a profile', async () => {
    const configDir = mkdtempSync(path.join(tmpdir(), 'moldctl-serve-'))
    writeFileSync(
      path.join(configDir, 'config.yaml'),
      'current: prod\nprofiles:\n  prod:\n    url: https://mold.example/client/api\n',
      {mode: 0o600},
    )

    const running = await serve(['--flavor', 'cloudstack', '--write-profile', 'sim'], {
      MOLDCTL_CONFIG_DIR: configDir,
      MOLDCTL_SIM_API_KEY: 'env-api-key',
      MOLDCTL_SIM_SECRET_KEY: 'env-secret-key',
    })
    try {
      assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+\/client\/api$/)
      assert.match(running.stdout(), /API key: {4}env-api-key/)
      const params: Record<string, string> = {apiKey: 'env-api-key', command: 'listZones', response: 'json'}
      params.signature = signParams(params, 'env-secret-key', FLAVOR_ALGORITHM.cloudstack)
      const res = await fetch(`${running.url}?${new URLSearchParams(params)}`)
      assert.equal(res.status, 200)

      // The profile is written after the keys are printed: wait for the line that says so.
      for (let waited = 0; !/Profile "sim" written/.test(running.stdout()) && waited < 10_000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50))
      assert.match(running.stdout(), /Profile "sim" written to /)
      const file = path.join(configDir, 'config.yaml')
      const config = parse(readFileSync(file, 'utf8'))
      assert.equal(config.current, 'prod', 'an existing current profile is kept')
      assert.equal(config.profiles.prod.url, 'https://mold.example/client/api')
      assert.deepEqual(config.profiles.sim, {
        apikey: 'env-api-key',
        flavor: 'cloudstack',
        secretkey: 'env-secret-key',
        url: running.url,
        verifytls: true,
      })
      assert.equal(statSync(file).mode & 0o777, 0o600)
    } finally {
      assert.equal(await stop(running.child), 0)
    }

    assert.match(running.stderr(), /Simulator stopped/)
  })

  it('holds async jobs in the queue for --job-start-delay', async () => {
    const keys = {MOLDCTL_SIM_API_KEY: 'delay-key', MOLDCTL_SIM_SECRET_KEY: 'delay-secret'}
    const call = async (url: string, command: string, extra: Record<string, string> = {}) => {
      const params: Record<string, string> = {
        apiKey: keys.MOLDCTL_SIM_API_KEY,
        command,
        response: 'json',
        ...extra,
      }
      params.signature = signParams(params, keys.MOLDCTL_SIM_SECRET_KEY, FLAVOR_ALGORITHM.mold)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (await (await fetch(`${url}?${new URLSearchParams(params)}`)).json()) as any
    }

    const states: Record<string, number> = {}
    for (const delay of ['600000000', '0']) {
      const running = await serve(['--speed', '1000', '--job-start-delay', delay], keys)
      try {
        const hosts = await call(running.url, 'listHosts', {type: 'Routing'})
        const hostId = hosts.listhostsresponse.host[0].id

        const submitted = await call(running.url, 'reconnectHost', {id: hostId})
        const {jobid} = submitted.reconnecthostresponse

        await new Promise((resolve) => setTimeout(resolve, 1500))

        const job = await call(running.url, 'queryAsyncJobResult', {jobid})
        states[delay] = job.queryasyncjobresultresponse.jobstatus
      } finally {
        await stop(running.child)
      }
    }

    // 600,000 simulated seconds in the queue (10 real minutes at --speed 1000): still pending
    // after 1.5 s; no delay: done by then.
    assert.deepEqual(states, {'0': 1, '600000000': 0})
  })

  it('refuses a negative --job-start-delay with a usage error', async () => {
    const child = spawn(process.execPath, [BIN, 'sim', 'serve', '--job-start-delay', '-5'])
    const code = await new Promise((resolve) => child.once('exit', resolve))
    assert.equal(code, 2)
  })

  it('refuses a bad flag value with a usage error', async () => {
    const child = spawn(process.execPath, [BIN, 'sim', 'serve', '--flavor', 'openstack'])
    let err = ''
    child.stderr.on('data', (chunk) => (err += chunk))
    const code = await new Promise((resolve) => child.once('exit', resolve))
    assert.equal(code, 2)
    assert.match(err, /Expected --flavor=openstack to be one of: mold, cloudstack/)
  })

  it('reports a missing topology file without a stack trace', async () => {
    const child = spawn(process.execPath, [
      BIN,
      'sim',
      'serve',
      '--port',
      '0',
      '--topology',
      '/nonexistent/lab.yaml',
    ])
    let err = ''
    child.stderr.on('data', (chunk) => (err += chunk))
    const code = await new Promise((resolve) => child.once('exit', resolve))
    assert.equal(code, 1)
    const oneLine = err.replaceAll(/\s*\n\s*›?\s*/g, ' ')
    assert.match(
      oneLine,
      /cannot start the simulator: cannot read topology file \/nonexistent\/lab\.yaml: no such file/,
    )
    assert.doesNotMatch(err, /\n\s+at /)
  })
})
