import { expect } from 'chai'
import { valueAt, type FieldPath } from '../../lib/cli/field-path'
import { FieldFinder } from '../../lib/cli/json-fields'
import { mutations } from './json-mutations'

/** What a FieldFinder says for each path, or null for "not JSON". */
function found(text: string, paths: FieldPath[], finder = new FieldFinder(paths)): unknown[] | null {
  return finder.find(Buffer.from(text)) ? paths.map((_, p) => finder.field(p)) : null
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

describe('FieldFinder', () => {
  for (const text of CASES) {
    it(`finds what valueAt(JSON.parse(...)) finds in ${text}`, () => {
      expect(found(text, PATHS)).to.deep.equal(parsed(text, PATHS))
    })
  }

  it('looks only inside buffer[start, end), and one finder serves line after line', () => {
    const chunk = Buffer.from('{"id":1}\n{"id":"two"}\n{"x":3}\n')
    const finder = new FieldFinder([['id']])
    expect(finder.find(chunk, 0, 8)).to.equal(true)
    expect(finder.field(0)).to.equal(1)
    expect(finder.find(chunk, 9, 21)).to.equal(true)
    expect(finder.field(0)).to.equal('two')
    expect(finder.find(chunk, 22, 29)).to.equal(true)
    expect(finder.field(0)).to.equal(undefined) // nothing left over from the line before
    expect(finder.find(chunk, 0, 5)).to.equal(false)
  })

  it('answers false for nesting deeper than the stack, so that the caller asks JSON.parse', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000)
    expect(new FieldFinder([['a', '0']]).find(Buffer.from(`{"a":${deep}}`))).to.equal(false)
  })

  it('agrees with JSON.parse and valueAt on 20,000 mutations of keyed documents (one byte changed, dropped or repeated)', () => {
    const documents = [
      '{"id":"key-1","user":{"id":7,"tags":["a","b\\n"]},"n":-12.5e3,"ok":true,"none":null,"u":"\\u00e9"}',
      '{"user":{"id":"x"},"user":{"id":"y"},"items":[{"id":1},"s"]}',
      '[{"id":0},{"a":{"b":{"c":"deep"}}}]',
    ]
    const alphabet = '{}[]:,"\\ -+.eE0123456789tfnrulsabdix\t\r'
    const finder = new FieldFinder(PATHS)
    for (const text of mutations(documents, alphabet, 20_000, 7)) {
      expect(found(text, PATHS, finder), text).to.deep.equal(parsed(text, PATHS))
    }
  })
})
