import { expect } from 'chai'
import { valueAt, type FieldPath } from '../../lib/cli/field-path'
import { findFields, spanValue } from '../../lib/cli/json-fields'
import { mutations } from './json-mutations'

/** What findFields + spanValue say for each path, or null for "not JSON". */
function found(text: string, paths: FieldPath[]): unknown[] | null {
  const buffer = Buffer.from(text)
  const spans = findFields(buffer, paths)
  return spans && spans.map((span) => spanValue(buffer, span))
}

/** What JSON.parse and valueAt say, the answer findFields must give. */
function parsed(text: string, paths: FieldPath[]): unknown[] | null {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch {
    return null
  }
  return paths.map((path) => valueAt(document, path))
}

const PATHS: FieldPath[] = [['id'], ['user', 'id'], ['items', '1'], ['a', 'b', 'c'], ['é'], ['n'], ['__proto__'], ['items', 'length']]

const CASES = [
  '{"id":"k1","user":{"id":42},"items":["x","y"],"a":{"b":{"c":[1,{"d":null}]}}}',
  '{"id":"first","id":"last"}', // a repeated key: the last one, as JSON.parse
  '{"user":{"id":1},"user":{"name":"x"}}', // a repeated object replaces what the first held
  '{"user":{"id":1},"user":5}',
  '{"user":5,"user":{"id":"late"}}',
  '{"i\\u0064":"escaped key","\\u00e9":"accent","é":"raw"}',
  '{"id":"a \\"quoted\\" \\\\ \\n value","n":-1.5e3}',
  '{"id":{"nested":[1,2]},"items":{"1":"object key, not an index"}}',
  '[{"id":1}]',
  '"id"',
  '{"items":[0,[1],2],"id":null}',
  '{"user":{"id":{"id":3}},"a":{"b":{"c":true}}}',
  ' { "id" : "spaced" , "user" : { "id" : [ 1 , 2 ] } } ',
  '{"__proto__":{"polluted":true},"id":"p"}',
  '{}',
  '{"id":"é日本"}',
]

describe('findFields', () => {
  for (const text of CASES) {
    it(`finds what valueAt(JSON.parse(...)) finds in ${text}`, () => {
      expect(found(text, PATHS)).to.deep.equal(parsed(text, PATHS))
    })
  }

  it('looks only inside buffer[start, end)', () => {
    const chunk = Buffer.from('{"id":1}\n{"id":"two"}\n')
    const spans = findFields(chunk, [['id']], 9, 21)
    expect(spans).to.have.length(1)
    expect(spanValue(chunk, spans![0])).to.equal('two')
    expect(findFields(chunk, [['id']], 0, 5)).to.equal(null)
  })

  it('answers null for nesting deeper than the stack, so that the caller asks JSON.parse', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    expect(findFields(Buffer.from(`{"a":${deep}}`), [['a', '0']])).to.equal(null)
  })

  it('agrees with JSON.parse and valueAt on 20,000 mutations of keyed documents (one byte changed, dropped or repeated)', () => {
    const documents = [
      '{"id":"key-1","user":{"id":7,"tags":["a","b\\n"]},"n":-12.5e3,"ok":true,"none":null,"u":"\\u00e9"}',
      '{"user":{"id":"x"},"user":{"id":"y"},"items":[{"id":1},"s"]}',
      '[{"id":0},{"a":{"b":{"c":"deep"}}}]',
    ]
    const alphabet = '{}[]:,"\\ -+.eE0123456789tfnrulsabdix\t\r'
    for (const text of mutations(documents, alphabet, 20_000, 7)) {
      expect(found(text, PATHS), text).to.deep.equal(parsed(text, PATHS))
    }
  })
})
