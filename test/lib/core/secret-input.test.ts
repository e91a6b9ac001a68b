import assert from 'node:assert/strict'
import {chmod, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {Readable} from 'node:stream'
import {after, before, describe, it} from 'node:test'

import {UsageError} from '../../../src/lib/core/errors.js'
import {firstLine, readSecretFile, StdinLines} from '../../../src/lib/core/secret-input.js'

const stdinOf = (text: string, isTTY = false) => Object.assign(Readable.from([Buffer.from(text)]), {isTTY})

describe('secrets from standard input', () => {
  it('hands out one line per secret, in order', async () => {
    const lines = new StdinLines(stdinOf('databasekey\r\nnew password\n'))
    assert.equal(await lines.next('the database key'), 'databasekey')
    assert.equal(await lines.next('the new password'), 'new password')
    await assert.rejects(lines.next('a third secret'), /line 3 of standard input/)
  })

  it('refuses empty input and a terminal', async () => {
    await assert.rejects(new StdinLines(stdinOf('')).next('the key'), /which is empty/)
    await assert.rejects(new StdinLines(stdinOf('', true)).next('the key'), (error: Error) => {
      assert.ok(error instanceof UsageError)
      assert.match(error.message, /standard input is a terminal/)
      return true
    })
  })

  it('firstLine stops at any line break', () => {
    assert.equal(firstLine('a b\r\nc'), 'a b')
    assert.equal(firstLine('x\ry'), 'x')
    assert.equal(firstLine(''), '')
  })
})

describe('secrets from files', () => {
  let dir: string

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'moldctl-secret-'))
  })

  after(async () => {
    await rm(dir, {force: true, recursive: true})
  })

  it('reads the first line and warns when every user can read the file', async () => {
    const file = path.join(dir, 'pw')
    await writeFile(file, 'S3cret\nignored\n')
    await chmod(file, 0o644)
    const warnings: string[] = []
    assert.equal(await readSecretFile(file, 'the password', (w) => warnings.push(w)), 'S3cret')
    assert.equal(warnings.length, 1)
    assert.ok(!warnings[0].includes('S3cret'))
    await chmod(file, 0o640)
    warnings.length = 0
    await readSecretFile(file, 'the password', (w) => warnings.push(w))
    assert.deepEqual(warnings, [])
  })

  it('refuses a missing or empty file', async () => {
    await assert.rejects(readSecretFile(path.join(dir, 'none'), 'the password'), /does not exist/)
    const empty = path.join(dir, 'empty')
    await writeFile(empty, '\n')
    await assert.rejects(readSecretFile(empty, 'the password'), /is empty/)
  })
})
