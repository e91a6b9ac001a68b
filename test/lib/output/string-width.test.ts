import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {readdirSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {describe, it} from 'node:test'
import {fileURLToPath, pathToFileURL} from 'node:url'

// scripts/build.mjs patches string-width 4 with an answer at once for printable ASCII (the copy
// bundled in our chunks, cli-table3's and oclif's). Here the built copy is compared with the
// package as published, which must agree on every string.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const DIST = path.join(ROOT, 'dist')
type Width = (text: string) => number
const published = createRequire(import.meta.url)('string-width') as Width

async function builtStringWidth(): Promise<Width> {
  const chunk = readdirSync(DIST).find((file) => /^string-width-\w+\.js$/.test(file))
  assert.ok(chunk, 'no chunk dist/string-width-<hash>.js (npm run build)')
  const module = (await import(pathToFileURL(path.join(DIST, chunk)).href)) as {default: Width}
  return module.default
}

describe('string-width as built (the ASCII answer at once)', () => {
  it('is patched: the build has the short way in', async () => {
    const built = await builtStringWidth()
    assert.match(built.toString(), /\\x20-\\x7E/)
  })

  it('measures printable ASCII, Korean, emoji, keycaps, ANSI colours and control characters as the published string-width does', async () => {
    const built = await builtStringWidth()
    for (const text of [
      '',
      ' ',
      'kvm-host-01',
      '~!@#$%^&*()_+{}|:"<>?`-=[]\\;\',./',
      '#',
      '#\uFE0F\u20E3',
      '1\uFE0F\u20E3 host',
      '호스트-01',
      'host 🖥️ 01',
      '\u001B[31mDown\u001B[39m',
      'a\tb',
      'a\u0000b',
      'e\u0301',
      '\u007F',
      'Ａｂ',
    ]) {
      assert.equal(built(text), published(text), JSON.stringify(text))
    }
  })

  it('agrees with the published string-width on any string (printable ASCII and any other)', async () => {
    const built = await builtStringWidth()
    const ascii = fc.string({
      unit: fc.integer({max: 0x7e, min: 0x20}).map((code) => String.fromCodePoint(code)),
    })
    fc.assert(
      fc.property(fc.oneof(ascii, fc.string({unit: 'binary'}), fc.string({unit: 'grapheme'})), (text) => {
        assert.equal(built(text), published(text))
      }),
      {numRuns: 2000},
    )
  })
})
