import * as fc from 'fast-check'
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {reindentItems} from '../../../src/lib/output/json-reindent.js'

/** What the items of the JSON array `text` are as the whole list's stringify writes them after an earlier item. */
function expected(text: string): string {
  const list = JSON.parse(text) as unknown[]
  return list.length === 0 ? '' : `,\n${JSON.stringify(list, null, 2).slice(2, -2)}`
}

/** reindentItems of the array that starts the bytes of `text` (undefined: refused). */
function reindented(text: string | Uint8Array, start = 0) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text
  const read = reindentItems(bytes, start)
  return read && {end: read.end, length: read.length, text: Buffer.from(read.text).toString()}
}

function assertSame(text: string): void {
  const read = reindented(text)
  assert.ok(read, `refused: ${text}`)
  assert.equal(read.text, expected(text), text)
  assert.equal(read.length, (JSON.parse(text) as unknown[]).length)
  assert.equal(read.end, Buffer.byteLength(text))
}

/** A small deterministic generator (a 32-bit LCG), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    return state / 4_294_967_296
  }
}

const PIECES = [
  'a',
  'Z',
  ' ',
  '"',
  '\\',
  '/',
  '\n',
  '\t',
  '\u0001',
  'é',
  '€',
  '𝄞',
  '\u2028',
  '\uFEFF',
  '<',
  '&',
]

/** A random JSON value: the shapes an answer has (objects of scalars, nested objects and lists). */
function value(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 6 : 9))
  switch (pick) {
    case 0: {
      return Math.floor(next() * 1e6) - 5000
    }

    case 1: {
      return [0, -0, 1.5, 2.25e-7, 1e21, 123_456_789_012_345_680, -3.75][Math.floor(next() * 7)]
    }

    case 2:
    case 3: {
      const length = Math.floor(next() * 12)
      return Array.from({length}, () => PIECES[Math.floor(next() * PIECES.length)]).join('')
    }

    case 4: {
      return [true, false, null][Math.floor(next() * 3)]
    }

    case 5: {
      return `plain-${Math.floor(next() * 1000)}`
    }

    case 6:
    case 7: {
      const object: Record<string, unknown> = {}
      const keys = Math.floor(next() * 6)
      for (let i = 0; i < keys; i++)
        object[`k${Math.floor(next() * 1000)}${PIECES[i % 3]}`] = value(next, depth + 1)
      return object
    }

    default: {
      return Array.from({length: Math.floor(next() * 4)}, () => value(next, depth + 1))
    }
  }
}

describe('reindentItems', () => {
  it('writes the items as stringify writes them inside the whole list', () => {
    assertSame('[{"id":"a","n":1,"ok":true,"none":null,"nested":{"x":[1,2,{"y":"z"}],"e":{},"l":[]}}]')
    assertSame('[1,"two",null,false,[],{},[[]],[{}]]')
    assertSame('[{"a":{"b":{"c":{"d":[[["deep"]]]}}}}]')
  })

  it('gives nothing for an empty array', () => {
    assert.deepEqual(reindented('[]'), {end: 2, length: 0, text: ''})
    assert.deepEqual(reindented('[ \n ]'), {end: 5, length: 0, text: ''})
  })

  it('reads JSON whitespace between the tokens as JSON.parse does', () => {
    assertSame('[ {\n\t"a" :\r 1 , "b":[ 2 ,3 ] } ,\n"x" ]')
  })

  it('writes numbers as stringify writes them', () => {
    assertSame(
      '[0,-0,-5,1.0,1.50,0.67,1e3,1E+3,2.5e-7,-0.0,123456789012345,1234567890123456,12345678901234567890]',
    )
    assertSame('[1e400,-1e400,0.1e1,100000000000000000000000]')
  })

  it('decodes strings with escapes and encodes them as stringify does', () => {
    assertSame(
      String.raw`["a\"b","back\\slash","\/","\u00e9","\ud834\udd1e","\ud800","\n\t\b\f\r","\u0001","\u2028"]`,
    )
    assertSame(String.raw`[{"k":"\\\"","v":"x\u0041y"}]`)
  })

  it('finds a quote, a backslash or a control character at any place of a word, and not their neighbours', () => {
    // Strings are copied four bytes at a time while none of the four is special.
    const near = ['!', '#', '[', ']', '\u007F', 'é', '\u00A2', '\u00DC', '\uFFFF']
    const special = ['"', '\\', '\n', '\u0000', '\u001F']
    for (let at = 0; at < 9; at++) {
      for (const c of [...near, ...special]) {
        const text = `${'abcdefgh'.slice(0, at)}${c}${'ijklmnop'.slice(at)}`
        assertSame(JSON.stringify([text, {[near.includes(c) ? text : `key${at}`]: text}]))
      }
    }
  })

  it('copies what is not ASCII as it is', () => {
    assertSame('["é€𝄞","\u2028\u2029","\uFEFFbom"]')
  })

  it('keeps the start and end of the array inside larger bytes', () => {
    const text = '{"listhostsresponse":{"count":2,"host":[{"id":"a"},{"id":"b"}]}}'
    const start = text.indexOf('[')
    const read = reindented(text, start)
    assert.equal(read?.end, text.lastIndexOf(']') + 1)
    assert.equal(read?.text, expected('[{"id":"a"},{"id":"b"}]'))
  })

  it('writes random values exactly as parse-then-stringify does', () => {
    const next = random(20_261_207)
    for (let round = 0; round < 400; round++) {
      const list = Array.from({length: 1 + Math.floor(next() * 5)}, () => value(next, 0))
      assertSame(JSON.stringify(list))
    }
  })

  it('refuses what JSON.parse refuses', () => {
    for (const text of [
      '[1,]',
      '[1 2]',
      '[{"a":1,}]',
      '[{"a" 1}]',
      '[{"a":1]',
      '[{a:1}]',
      '[01]',
      '[1.]',
      '[.5]',
      '[-]',
      '[1e]',
      '[+1]',
      '[tru]',
      '[nul]',
      '[True]',
      '["a\u0001b"]',
      '["tab\tinside"]',
      String.raw`["\x"]`,
      String.raw`["\u12"]`,
      '["open',
      '[1',
      '[{"a":[1,2}]',
      "['single']",
    ]) {
      assert.throws(() => JSON.parse(text), SyntaxError, text)
      assert.equal(reindented(text), undefined, text)
    }
  })

  it('refuses what parse-then-stringify would write otherwise', () => {
    // A key twice: JSON.parse keeps the last value at the first place.
    assert.equal(reindented('[{"a":1,"b":2,"a":3}]'), undefined)
    assert.equal(reindented('[{"x":{"a":1,"a":1}}]'), undefined)
    // A key that is an index: JSON.parse's object lists it first.
    assert.equal(reindented('[{"b":1,"2":2}]'), undefined)
    // An escape in a key.
    assert.equal(reindented(String.raw`[{"a\"b":1}]`), undefined)
    // Bytes that are not UTF-8 (toString would make them U+FFFD).
    assert.equal(reindented(Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d])), undefined)
    // Deeper than 64.
    const deep = `${'['.repeat(70)}${']'.repeat(70)}`
    assert.ok(JSON.parse(deep))
    assert.equal(reindented(deep), undefined)
  })

  it('takes the same key in different objects, and keys that share their hash', () => {
    assertSame('[{"a":1,"b":{"a":2,"b":3}},{"a":4,"b":5}]')
    // Same length, same first, middle and last byte: told apart by the bytes between.
    assertSame('[{"axxya":1,"azxza":2,"ayxxa":3}]')
  })

  it('takes an object with up to 512 keys, and leaves larger ones to JSON.parse', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({length: n}, (_, i) => [`key${i}`, i]))
    assertSame(JSON.stringify([keys(512), keys(3)]))
    assert.equal(reindented(JSON.stringify([keys(513)])), undefined)
  })

  it('writes in the buffer it is given when that is large enough', () => {
    const text = JSON.stringify([{id: 'a', n: [1, 2]}, 'b'])
    const into = Buffer.alloc(4096)
    const read = reindentItems(Buffer.from(text), 0, into)
    assert.equal(read?.buffer, into)
    assert.equal(read?.text.buffer, into.buffer)
    assert.equal(read?.text.toString(), expected(text))
    const small = Buffer.alloc(8)
    const other = reindentItems(Buffer.from(text), 0, small)
    assert.notEqual(other?.buffer, small)
    assert.equal(other?.text.toString(), expected(text))
  })

  it('grows its output for long strings and deep indentation', () => {
    assertSame(JSON.stringify([{text: 'x'.repeat(200_000)}, 'y'.repeat(100_000)]))
    let deep: unknown = 'leaf'
    // Grown while indenting numbers, then strings written after them.
    let numbers: unknown = [...Array.from({length: 1000}, (_, i) => i), 'a string after them']
    for (let i = 0; i < 50; i++) numbers = [numbers]
    assertSame(JSON.stringify([numbers, 'and one more']))
    // 62 levels below the list: the deepest taken.
    for (let i = 0; i < 31; i++) deep = {[`level${i}`]: [deep, i]}
    assertSame(JSON.stringify([deep]))
  })

  /** The JSON text of an object of these keys and value texts, with `w` around every token. */
  function objectText(pairs: Array<[string, string]>, w: string): string {
    const members = pairs.map(([key, value]) => `${JSON.stringify(key)}${w}:${w}${value}`)
    return `{${w}${members.join(`${w},`)}${w}}`
  }

  it('writes any JSON text, whitespace, number spellings and escapes included, as parse-then-stringify does, or refuses it', () => {
    const space = fc.constantFrom('', ' ', '\n', '\t', '\r\n  ')
    const number = fc.oneof(
      fc.double({noDefaultInfinity: true, noNaN: true}).map(String),
      fc.constantFrom('1E+2', '1e-7', '0.10', '-0', '-0.0', '1.0e0', '12345678901234567890', '0e5', '5E-324'),
    )
    const {list} = fc.letrec<{list: string; object: string; value: string}>((tie) => ({
      list: fc
        .array(tie('value'), {maxLength: 4})
        .chain((items) => fc.tuple(space, space).map(([a, b]) => `[${a}${items.join(`${b},${a}`)}${b}]`)),
      object: fc
        .array(fc.tuple(fc.string({maxLength: 4, unit: 'grapheme-ascii'}), tie('value')), {maxLength: 4})
        .chain((pairs) => space.map((w) => objectText(pairs, w))),
      value: fc.oneof(
        {depthSize: 'small'},
        number,
        fc.constantFrom(
          'true',
          'false',
          'null',
          String.raw`"\u00e9\/\b\ud800x"`,
          String.raw`"\uD834\uDD1E"`,
          String.raw`"\u0000"`,
        ),
        fc.string({unit: 'binary'}).map((text) => JSON.stringify(text)),
        tie('list'),
        tie('object'),
      ),
    }))
    let taken = 0
    fc.assert(
      fc.property(list, (text) => {
        const read = reindented(text)
        if (read === undefined) return
        taken++
        assert.equal(read.text, expected(text), text)
        assert.equal(read.length, (JSON.parse(text) as unknown[]).length)
        assert.equal(read.end, Buffer.byteLength(text))
      }),
      {numRuns: 3000},
    )
    // Refusing everything would pass the property: most of these texts are taken.
    assert.ok(taken > 2000, `only ${taken} of 3000 texts were taken`)
  })
})
