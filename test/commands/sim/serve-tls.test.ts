import assert from 'node:assert/strict'
import {type ChildProcess, spawn} from 'node:child_process'
import {X509Certificate} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'
import {parse} from 'yaml'

import {BIN, json, runCli} from '../../helpers/cli.js'

describe('moldctl sim serve --tls', () => {
  it('serves HTTPS, writes the CA file and a profile that verifies with it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-serve-tls-'))
    const caOut = path.join(dir, 'sim-ca.pem')
    const child: ChildProcess = spawn(
      process.execPath,
      [
        BIN,
        'sim',
        'serve',
        '--port',
        '0',
        '--tls',
        '--ca-out',
        caOut,
        '--write-profile',
        'sim-tls',
        '--speed',
        '1000',
      ],
      {env: {...process.env, MOLDCTL_CONFIG_DIR: dir}},
    )
    let out = ''
    let err = ''
    child.stderr!.on('data', (chunk) => (err += chunk))
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk) => {
          out += chunk
          if (out.includes('written to')) resolve()
        })
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)))
      })
      assert.match(out, /listening on https:\/\/127\.0\.0\.1:\d+\/client\/api/)
      assert.ok(out.includes(`CA file:    ${caOut}`), out)
      const ca = new X509Certificate(readFileSync(caOut))
      assert.equal(ca.ca, true)
      const config = parse(readFileSync(path.join(dir, 'config.yaml'), 'utf8'))
      assert.equal(config.profiles['sim-tls'].cafile, caOut)

      const r = await runCli(['doctor', '--profile', 'sim-tls', '--json'], {env: {MOLDCTL_CONFIG_DIR: dir}})
      const report = json<{checks: Array<{check: string; detail: string; status: string}>}>(r)
      const tls = report.checks.find((c) => c.check === 'tls')!
      assert.equal(tls.status, 'ok', tls.detail)
      assert.match(tls.detail, /verified against the CA file/)
      assert.equal(report.checks.find((c) => c.check === 'auth')!.status, 'ok')
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      rmSync(dir, {force: true, recursive: true})
    }
  })

  it('--ca-out needs --tls', async () => {
    const r = await runCli(['sim', 'serve', '--port', '0', '--ca-out', 'x.pem'])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /--tls/)
  })
})
