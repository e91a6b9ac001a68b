import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {visibleLines} from '../../../src/lib/output/visible.js'

describe('visibleLines', () => {
  it('keeps LF and CR LF line ends (a PEM has them), shows a lone CR and escapes', () => {
    const pem = '-----BEGIN CERTIFICATE-----\r\nMIIDEj\r\n-----END CERTIFICATE-----\r\n'
    assert.equal(visibleLines(pem), pem)
    assert.equal(visibleLines('one\ntwo\n'), 'one\ntwo\n')
    assert.equal(visibleLines('kvm-01\rforged'), String.raw`kvm-01\rforged`)
    assert.equal(visibleLines('a\u001B]0;title\u0007b'), String.raw`a\x1b]0;title\x07b`)
    assert.equal(visibleLines('\u001B[33mhigh\u001B[39m'), '\u001B[33mhigh\u001B[39m', 'colour kept')
  })
})
