import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  canonicalString,
  formatExpires,
  javaUrlEncode,
  type SignatureAlgorithm,
  signParams,
} from '../../../src/lib/api/sign.js'
import {readFixture} from '../../helpers/fixtures.js'

interface Vector {
  algorithm: SignatureAlgorithm
  canonical: string
  note?: string
  params: Record<string, string>
  secret: string
  signature: string
}

const {vectors} = readFixture<{vectors: Vector[]}>('signing-vectors.json')

describe('request signing', () => {
  it('has vectors to check', () => {
    assert.ok(vectors.length >= 20)
  })

  for (const [i, v] of vectors.entries()) {
    it(`vector ${i} (${v.algorithm}, ${v.params.command ?? 'no command'})`, () => {
      assert.equal(canonicalString(v.params), v.canonical)
      assert.equal(signParams(v.params, v.secret, v.algorithm), v.signature)
    })
  }

  it('encodes like java.net.URLEncoder with space as %20', () => {
    assert.equal(javaUrlEncode("a b+c*~!'()/é"), 'a%20b%2Bc*%7E%21%27%28%29%2F%C3%A9')
  })

  it('formats expires as yyyy-MM-ddTHH:mm:ss+0000', () => {
    assert.equal(formatExpires(new Date(Date.UTC(2030, 0, 1))), '2030-01-01T00:00:00+0000')
  })
})
