import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {parseKeyValues} from '../../../src/lib/api/raw.js'
import {isSecretName, redactDeep, redactParams} from '../../../src/lib/api/redact.js'

describe('redaction', () => {
  it('hides keys, signatures, session keys and passwords', () => {
    for (const name of [
      'apiKey',
      'apikey',
      'signature',
      'sessionkey',
      'password',
      'secretkey',
      'db.cloud.password',
      'update_passwd_on_host_password',
      'userapikey',
    ]) {
      assert.ok(isSecretName(name), name)
    }

    for (const name of ['command', 'id', 'name', 'update_passwd_on_host', 'username'])
      assert.ok(!isSecretName(name), name)
    assert.deepEqual(redactParams({command: 'addHost', password: 'hunter2', username: 'root'}), {
      command: 'addHost',
      password: '***',
      username: 'root',
    })
  })

  it('hides secret fields at any depth of an answer', () => {
    const answer = {
      loginresponse: {sessionkey: 'abc', username: 'admin'},
      x: [{outofbandmanagement: {password: 'p****'}}],
    }
    assert.equal(JSON.stringify(redactDeep(answer)).includes('abc'), false)
    assert.equal(JSON.stringify(redactDeep(answer)).includes('p****'), false)
  })
})

describe('moldctl api key=value words', () => {
  it('parses values that contain =', () => {
    assert.deepEqual(parseKeyValues(['name=a=b', 'id=1']), {id: '1', name: 'a=b'})
  })

  it('refuses malformed, repeated and reserved parameters', () => {
    assert.throws(() => parseKeyValues(['novalue']), /not key=value/)
    assert.throws(() => parseKeyValues(['a=1', 'a=2']), /given twice/)
    assert.throws(() => parseKeyValues(['signature=x']), /set by moldctl/)
  })
})
