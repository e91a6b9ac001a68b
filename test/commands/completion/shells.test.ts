/**
 * The completion scripts in the real shells (bash, zsh, fish from Debian's packages; `.ci/run`
 * installs them), completing names the simulator holds through the cache the background
 * refresh fills.
 */
/* eslint-disable no-template-curly-in-string -- shell scripts: ${...} is the shell's own expansion */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {BIN, type CliHome, makeHome, runCli} from '../../helpers/cli.js'
import {writeProfiles} from '../../helpers/profiles.js'
import {startTestSim, type TestSim} from '../../helpers/sim.js'

const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0

/** A directory holding a `moldctl` that runs the built CLI, for PATH. */
function binDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-bin-'))
  writeFileSync(path.join(dir, 'moldctl'), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`)
  chmodSync(path.join(dir, 'moldctl'), 0o755)
  return dir
}

async function waitFor(ready: () => boolean, what: string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms
  while (!ready()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => {
      setTimeout(resolve, 50)
    })
  }
}

describe('completion in real shells, with names from the simulator', () => {
  let sim: TestSim
  let home: CliHome
  let bin: string
  let host: {ipaddress: string; name: string}
  let cacheFile: string
  let shellEnv: NodeJS.ProcessEnv

  before(async () => {
    sim = await startTestSim()
    home = makeHome()
    bin = binDir()
    await writeProfiles(home, {
      current: 'sim',
      profiles: {
        other: {url: 'http://127.0.0.1:9/client/api'},
        sim: {apikey: sim.apiKey, secretkey: sim.secretKey, url: sim.url},
      },
    })
    const r = await sim.call('listHosts', {type: 'Routing'})
    host = (r.body as {listhostsresponse: {host: Array<{ipaddress: string; name: string}>}}).listhostsresponse
      .host[0]
    cacheFile = path.join(home.env.XDG_CACHE_HOME, 'moldctl', 'completion', 'profile-sim.json')
    shellEnv = {
      ...home.env,
      LANG: 'C.UTF-8',
      NO_COLOR: '1',
      PATH: `${bin}:${process.env.PATH}`,
    }
    // The first Tab finds no names: it starts the refresh in the background.
    const first = await runCli(['__complete', 'host', 'show', ''], {home})
    assert.equal(first.code, 0)
    assert.equal(first.stderr, '')
    await waitFor(() => existsSync(cacheFile) && !existsSync(`${cacheFile}.refresh`), 'the name cache')
  })

  after(async () => {
    await sim.close()
    home.remove()
    rmSync(bin, {force: true, recursive: true})
  })

  it('the cache is 0600 and holds names only', () => {
    assert.equal(statSync(cacheFile).mode & 0o777, 0o600)
    const text = readFileSync(cacheFile, 'utf8')
    assert.ok(!text.includes(sim.secretKey) && !text.includes(sim.apiKey), 'a credential is in the cache')
    const cache = JSON.parse(text) as {names: Record<string, string[]>}
    assert.ok(cache.names.host.includes(host.name) && cache.names.host.includes(host.ipaddress))
    assert.ok(
      cache.names.zone.length > 0 && cache.names.cluster.length > 0 && cache.names.setting.length > 10,
    )
  })

  const prefix = () => host.name.slice(0, -1)

  it('bash', {skip: !has('bash') && 'bash is not installed'}, () => {
    const line = `moldctl host show ${prefix()}`
    const script = [
      'source <(moldctl completion bash)',
      'complete -p moldctl',
      `COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}`,
      `COMP_WORDS=(moldctl host show '${prefix()}'); COMP_CWORD=3`,
      '_moldctl_complete',
      'printf "%s\\n" "${COMPREPLY[@]}"',
      // bash splits --zone=... at "=": the reply is what follows it.
      `COMP_LINE='moldctl host list --output=ya'; COMP_POINT=\${#COMP_LINE}`,
      'COMP_WORDS=(moldctl host list --output = ya); COMP_CWORD=5',
      '_moldctl_complete',
      'printf "eq:%s\\n" "${COMPREPLY[@]}"',
    ].join('\n')
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {encoding: 'utf8', env: shellEnv})
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /complete -o default -F _moldctl_complete moldctl/)
    assert.ok(r.stdout.split('\n').includes(host.name), r.stdout)
    assert.ok(r.stdout.split('\n').includes('eq:yaml'), r.stdout)
  })

  it('zsh', {skip: !has('zsh') && 'zsh is not installed'}, () => {
    const script = [
      'autoload -Uz compinit && compinit -u -D',
      'source <(moldctl completion zsh)',
      'print -r -- "registered:$_comps[moldctl]"',
      // What the completion system would be given: compadd's words, printed one a line.
      'compadd() { shift ${@[(i)--]}; print -l -- "$@" }',
      `words=(moldctl host show '${prefix()}'); CURRENT=4`,
      '_moldctl',
      `words=(moldctl -p ''); CURRENT=3`,
      '_moldctl',
    ].join('\n')
    const r = spawnSync('zsh', ['-f', '-c', script], {encoding: 'utf8', env: shellEnv})
    assert.equal(r.status, 0, r.stderr)
    const lines = r.stdout.split('\n')
    assert.ok(lines.includes('registered:_moldctl'), r.stdout)
    assert.ok(lines.includes(host.name), r.stdout)
    assert.ok(lines.includes('other') && lines.includes('sim'), 'profile names')
  })

  it('fish', {skip: !has('fish') && 'fish is not installed'}, () => {
    const script = [
      'moldctl completion fish | source',
      `complete -C 'moldctl host show ${prefix()}'`,
      `complete -C 'moldctl host show ${host.ipaddress.slice(0, -1)}'`,
      "complete -C 'moldctl oobm configure x --driver '",
    ].join('\n')
    const r = spawnSync('fish', ['--no-config', '-c', script], {encoding: 'utf8', env: shellEnv})
    assert.equal(r.status, 0, r.stderr)
    const lines = new Set(r.stdout.split('\n').map((l) => l.split('\t')[0]))
    assert.ok(lines.has(host.name), r.stdout)
    assert.ok(lines.has(host.ipaddress), r.stdout)
    assert.ok(lines.has('redfish'), r.stdout)
  })
})

describe('completion when the server is slow or failing', () => {
  it('does not wait for a server that does not answer, prints no error, and caches the failure', async () => {
    const sim = await startTestSim()
    const home = makeHome()
    try {
      const env = {MOLDCTL_API_KEY: sim.apiKey, MOLDCTL_SECRET_KEY: sim.secretKey, MOLDCTL_URL: sim.url}
      await sim.setFaults({latencyMs: 60_000})
      const started = Date.now()
      const slow = await runCli(['__complete', 'host', 'show', ''], {env, home})
      // The server would answer after a minute; completion gave up on it long before.
      assert.ok(Date.now() - started < 15_000)
      assert.deepEqual(slow, {code: 0, stderr: '', stdout: ''})
      // A refresh failing on 503 answers: fixed values are still offered, no error is printed,
      // and the failure is cached (retried after 30 s, not on every Tab).
      await sim.setFaults({errorRate: 1, status: 503})
      const failingHome = makeHome()
      try {
        const failing = await runCli(['__complete', 'host', 'list', '-o', 'j'], {env, home: failingHome})
        assert.deepEqual(failing, {code: 0, stderr: '', stdout: 'json\n'})
        const names = await runCli(['__complete', 'host', 'show', ''], {env, home: failingHome})
        assert.deepEqual(names, {code: 0, stderr: '', stdout: ''})
        const cacheDir = path.join(failingHome.env.XDG_CACHE_HOME, 'moldctl', 'completion')
        const failed = () =>
          readdirSync(cacheDir)
            .filter((f) => f.endsWith('.json'))
            .some(
              (f) => (JSON.parse(readFileSync(path.join(cacheDir, f), 'utf8')) as {failed?: boolean}).failed,
            )
        await waitFor(() => existsSync(cacheDir) && failed(), 'the failed refresh', 60_000)
      } finally {
        failingHome.remove()
      }
    } finally {
      await sim.close()
      home.remove()
    }
  })

  it('completion --help says how to install; a wrong shell is a usage error', async () => {
    const help = await runCli(['completion', '--help'])
    assert.equal(help.code, 0)
    for (const text of ['~/.bashrc', '~/.zshrc', 'completions/moldctl.fish'])
      assert.ok(help.stdout.includes(text), text)
    const bad = await runCli(['completion', 'tcsh'])
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /bash, zsh, fish|bash|zsh/)
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await runCli(['completion', shell])
      assert.equal(r.code, 0)
      assert.match(r.stdout, /__complete/)
    }
  })
})
