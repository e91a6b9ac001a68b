import {Config} from '@oclif/core'
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {arch} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {asksForVersion, userAgent} from '../src/run.js'
import {ROOT, runCli} from './helpers/cli.js'

const pjson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))

describe('moldctl --version (answered without loading oclif)', () => {
  it('prints exactly the line oclif prints (Config#userAgent), exit 0, nothing on stderr', async () => {
    const config = await Config.load(ROOT)
    const result = await runCli(['--version'])
    assert.equal(result.code, 0)
    assert.equal(result.stderr, '')
    assert.equal(result.stdout, `${config.userAgent}\n`)
  })

  it('like oclif, looks at the first argument only', async () => {
    const config = await Config.load(ROOT)
    const result = await runCli(['--version', 'host', 'list'])
    assert.equal(result.stdout, `${config.userAgent}\n`)
    const help = await runCli(['host', '--version'])
    assert.notEqual(help.stdout, `${config.userAgent}\n`)
  })

  it('builds the line from name, version, platform (wsl when under WSL), arch and node', () => {
    const cpu = arch() === 'ia32' ? 'x86' : arch()
    assert.equal(userAgent({name: 'x', version: '1.2.3'}, true), `x/1.2.3 wsl-${cpu} node-${process.version}`)
    assert.match(userAgent({name: 'x'}, false), /^x\/0\.0\.0 \w+-\w+ node-v\d+/)
  })

  it('leaves the answer to oclif when it would run init hooks first', () => {
    assert.equal(asksForVersion(['--version'], pjson), true)
    assert.equal(asksForVersion(['-v'], pjson), false)
    assert.equal(asksForVersion(['-v'], {name: 'x', oclif: {additionalVersionFlags: ['-v']}}), true)
    assert.equal(asksForVersion(['--version'], {name: 'x', oclif: {hooks: {init: './hook.js'}}}), false)
    assert.equal(asksForVersion(['--version'], {name: 'x', oclif: {plugins: ['@oclif/plugin-x']}}), false)
  })
})

describe("moldctl help (the CLI's own help command)", () => {
  it('prints the same help as --help', async () => {
    const viaCommand = await runCli(['help', 'host', 'maintenance', 'enter'])
    const viaFlag = await runCli(['host', 'maintenance', 'enter', '--help'])
    assert.equal(viaCommand.code, 0)
    assert.equal(viaCommand.stdout, viaFlag.stdout)
    assert.match(viaCommand.stdout, /USAGE\n {2}\$ moldctl host maintenance enter \[HOST\.\.\.\]/)
  })

  it('lists every command, nested ones too, with -n', async () => {
    const plain = await runCli(['help'])
    const nested = await runCli(['help', '-n'])
    assert.equal(nested.code, 0)
    assert.doesNotMatch(plain.stdout, /host maintenance enter/)
    assert.match(nested.stdout, /host maintenance enter/)
  })
})
