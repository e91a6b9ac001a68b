import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, it} from 'node:test'

import {carriesSecret, redactWords} from '../../../src/lib/cli/secret-words.js'
import {appendHistory, historyPath, loadHistory} from '../../../src/lib/shell/history.js'
import {runLine, runLines, type ShellHost} from '../../../src/lib/shell/session.js'
import {splitWords} from '../../../src/lib/shell/words.js'

describe('shell words', () => {
  it('splits as a shell does for plain commands', () => {
    assert.deepEqual(splitWords('host  list --zone z1').words, ['host', 'list', '--zone', 'z1'])
    assert.deepEqual(splitWords(`api listHosts name='kvm host' keyword="a \\"b\\""`).words, [
      'api',
      'listHosts',
      'name=kvm host',
      'keyword=a "b"',
    ])
    assert.deepEqual(splitWords(String.raw`setting get a\ b`).words, ['setting', 'get', 'a b'])
    assert.deepEqual(splitWords('zone list # a comment').words, ['zone', 'list'])
    assert.deepEqual(splitWords("x ''").words, ['x', ''])
    assert.equal(splitWords('host ').trailingBlank, true)
    assert.equal(splitWords('host').trailingBlank, false)
    assert.equal(splitWords(`api x name='open`).open, "'")
  })
})

describe('secrets on a command line', () => {
  it('redacts secret parameters, secret flags and passwords in URLs', () => {
    assert.deepEqual(redactWords(['api', 'login', 'username=u', 'password=hunter2']), [
      'api',
      'login',
      'username=u',
      'password=***',
    ])
    assert.deepEqual(redactWords(['profile', 'add', 'p', '--api-key', 'AK1', '--url', 'u']), [
      'profile',
      'add',
      'p',
      '--api-key',
      '***',
      '--url',
      'u',
    ])
    assert.deepEqual(redactWords(['--api-key=AK1']), ['--api-key=***'])
    assert.deepEqual(redactWords(['--db-url', 'mysql://cloud:s3cret@db:3306/cloud']), [
      '--db-url',
      'mysql://cloud:***@db:3306/cloud',
    ])
    assert.deepEqual(redactWords(['--password-stdin', '--key-file', 'k']), [
      '--password-stdin',
      '--key-file',
      'k',
    ])
    assert.equal(carriesSecret(['host', 'list']), false)
    assert.equal(carriesSecret(['api', 'updateConfiguration', 'name=x', 'secretkey=abc']), true)
  })
})

describe('shell history', () => {
  it('keeps lines 0600 in a 0700 directory, never those with secrets', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'moldctl-hist-'))
    try {
      const file = historyPath(path.join(dir, 'state'))
      appendHistory(file, 'host list')
      appendHistory(file, 'api login username=admin password=hunter2')
      appendHistory(file, '   ')
      appendHistory(file, 'zone list')
      assert.deepEqual(loadHistory(file), ['host list', 'zone list'])
      assert.ok(!readFileSync(file, 'utf8').includes('hunter2'))
      assert.equal(statSync(file).mode & 0o777, 0o600)
      assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700)
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })
})

describe('shell lines', () => {
  const fakeHost = (codes: Record<string, number> = {}) => {
    const ran: string[] = []
    const errors: string[] = []
    const host: ShellHost = {
      error: (m) => errors.push(m),
      async run(words) {
        ran.push(words.join(' '))
        return codes[words.join(' ')] ?? 0
      },
      async use(profile) {
        return profile === 'lab' ? undefined : `no profile "${profile}"`
      },
    }
    return {errors, host, ran}
  }

  it('runs commands, strips a leading moldctl, handles use and exit', async () => {
    const {errors, host, ran} = fakeHost()
    assert.deepEqual(await runLine('moldctl host list', host), {code: 0})
    assert.deepEqual(await runLine('   ', host), {code: 0, skipped: true})
    assert.deepEqual(await runLine('use lab', host), {code: 0})
    assert.deepEqual(await runLine('use nope', host), {code: 3})
    assert.deepEqual(await runLine('use', host), {code: 2})
    assert.deepEqual(await runLine('exit 4', host), {code: 4, exit: true})
    assert.deepEqual(await runLine('shell', host), {code: 2})
    assert.deepEqual(await runLine("api x name='open", host), {code: 2})
    assert.deepEqual(ran, ['host list'])
    assert.equal(errors.length, 4)
  })

  it('stops at the first failure, or keeps going and returns the first failure', async () => {
    const lines = ['zone list', 'host show nope', '# comment', 'pod list', 'cluster list']
    const codes = {'cluster list': 1, 'host show nope': 2}
    const stop = fakeHost(codes)
    const failures: number[] = []
    const onFailure = (n: number) => failures.push(n)
    assert.equal(await runLines(lines, stop.host, {keepGoing: false, onFailure}), 2)
    assert.deepEqual(stop.ran, ['zone list', 'host show nope'])
    const all = fakeHost(codes)
    assert.equal(await runLines(lines, all.host, {keepGoing: true, onFailure}), 2)
    assert.deepEqual(all.ran, ['zone list', 'host show nope', 'pod list', 'cluster list'])
    assert.deepEqual(failures, [2, 2, 5])
    assert.equal(await runLines(['zone list', 'exit'], fakeHost().host, {keepGoing: false, onFailure}), 0)
  })
})
