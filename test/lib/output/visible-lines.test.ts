import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {visibleLines} from '../../../src/lib/output/visible.js'

describe('visibleLines', () => {
  it('keeps LF and CR LF line ends (a PEM has them), shows a lone CR and escapes', () => {
    const pem = '-----BEGIN CERTIFICATE-----\r\nMIIDEj\r\n-----END CERTIFICATE-----\r\n'
    assert.equal(visibleLines(pem), pem)
    assert.equal(visibleLines('one\ntwo\n'), 'one\ntwo\n')
    assert.equal(
      visibleLines('Parsing --interval\n\tExpected an integer'),
      'Parsing --interval\n\tExpected an integer',
    )
    assert.equal(visibleLines('kvm-01\rforged'), String.raw`kvm-01\rforged`)
    assert.equal(visibleLines('a\u001B]0;title\u0007b'), String.raw`a\x1b]0;title\x07b`)
    assert.equal(visibleLines('\u001B[33mhigh\u001B[39m'), '\u001B[33mhigh\u001B[39m', 'colour kept')
  })
})

describe('progress lines show server text, never obey it', () => {
  const capture = () => {
    const chunks: string[] = []
    const stream = {
      columns: 120,
      write: (chunk: string) => chunks.push(chunk) > 0,
    } as unknown as NodeJS.WriteStream
    return {stream, text: () => chunks.join('')}
  }

  it('a host name with a newline or an escape stays one line, in the redrawn block and in plain lines', async () => {
    const {ProgressLines} = await import('../../../src/lib/output/progress.js')
    const {startActivity} = await import('../../../src/lib/output/spinner.js')
    const name = 'kvm-01\nkvm-02  Maintenance  done\u001B]0;owned\u0007'
    const shown = String.raw`kvm-01\nkvm-02  Maintenance  done\x1b]0;owned\x07`
    for (const live of [true, false]) {
      const out = capture()
      const lines = new ProgressLines({live, stream: out.stream})
      lines.set(name, `${name}  PrepareForMaintenance`)
      assert.ok(out.text().includes(`${shown}  PrepareForMaintenance`), out.text())
      assert.ok(!out.text().includes('kvm-01\nkvm-02'), 'no forged line')
      // Notes keep their own line breaks (multi-line reminders); their escapes are shown.
      lines.note(`${name} is draining`)
      assert.ok(!out.text().includes('\u0007') && !out.text().includes('\u001B]'), 'no escape obeyed')
    }

    const out = capture()
    const activity = await startActivity(`Waiting for ${name}`, {live: false, stream: out.stream})
    activity.update(`Still waiting for ${name}`)
    assert.equal(out.text().split('\n').filter(Boolean).length, 2, out.text())
    assert.ok(out.text().includes(`Still waiting for ${shown}`))
  })
})
