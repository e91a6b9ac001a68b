import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {type ItemsReader, readListAnswer} from '../../../src/lib/api/list-answer.js'

/** A reader that takes the array as JSON (from its `[` to the matching `]`, no nesting), naming where it ended. */
const arrayText: ItemsReader<string> = (bytes, start) => {
  const text = Buffer.from(bytes).toString()
  const end = text.indexOf(']', start) + 1
  if (end === 0) return
  const items = text.slice(start, end)
  return {end, items, length: (JSON.parse(items) as unknown[]).length}
}

const read = (text: string, expectKey?: string) => readListAnswer(Buffer.from(text), arrayText, expectKey)

describe('readListAnswer', () => {
  it('reads the envelope of a list page as the server writes it', () => {
    assert.deepEqual(read('{"listhostsresponse":{"count":1234,"host":[{"id":"a"},{"id":"b"}]}}'), {
      count: 1234,
      items: '[{"id":"a"},{"id":"b"}]',
      key: 'host',
      length: 2,
    })
  })

  it('allows JSON whitespace between the tokens', () => {
    const page = read(' {\n "listhostsresponse" : { "count" : 2 ,\t"host" : [{"id":"a"},{"id":"b"}] } }\n')
    assert.equal(page?.count, 2)
    assert.equal(page?.length, 2)
  })

  it('takes only the expected item key', () => {
    const text = '{"listclustersresponse":{"count":1,"cluster":[{"id":"c"}]}}'
    assert.equal(read(text, 'cluster')?.key, 'cluster')
    assert.equal(read(text, 'host'), undefined)
  })

  it('leaves every other text to JSON.parse', () => {
    for (const text of [
      '{"listhostsresponse":{}}',
      '{"listhostsresponse":{"count":3}}',
      '{"listhostsresponse":{"host":[{"id":"a"}],"count":1}}',
      '{"listhostsresponse":{"count":1,"host":[{"id":"a"}],"extra":[]}}',
      '{"listhostsresponse":{"count":1,"count":[{"id":"a"}]}}',
      '{"listhostsresponse":{"count":1,"0":[{"id":"a"}]}}',
      '{"listhostsresponse":{"count":01,"host":[{"id":"a"}]}}',
      '{"listhostsresponse":{"count":-1,"host":[{"id":"a"}]}}',
      '{"listhostsresponse":{"count":1.0,"host":[{"id":"a"}]}}',
      '{"listhostsresponse":{"count":"1","host":[{"id":"a"}]}}',
      '{"listhostsresponse":{"count":1,"host":{"id":"a"}}}',
      '{"listhostsresponse":{"count":1,"host":[{"id":"a"}]}} x',
      '{"listhostsresponse":{"count":1,"host":[{"id":"a"}]}',
      '{"listhostsresponse":{"count":1,"host":[{"id":"a"}]},"other":{}}',
      '{"errorresponse":{"uuidList":[],"errorcode":431,"errortext":"bad"}}',
      String.raw`{"list\u0068ostsresponse":{"count":1,"host":[{"id":"a"}]}}`,
      '\uFEFF{"listhostsresponse":{"count":1,"host":[{"id":"a"}]}}',
      '[]',
      '',
    ]) {
      assert.equal(read(text), undefined, text)
    }
  })

  it('leaves the answer to JSON.parse when the reader refuses the items', () => {
    // A reader of empty lists only.
    const empty: ItemsReader<string> = (bytes, start) =>
      bytes[start + 1] === 0x5d ? {end: start + 2, items: '[]', length: 0} : undefined
    assert.equal(readListAnswer(Buffer.from('{"r":{"count":1,"host":[]}}'), empty)?.length, 0)
    assert.equal(readListAnswer(Buffer.from('{"r":{"count":1,"host":[1]}}'), empty), undefined)
  })
})
