import { expect } from 'chai'
import { isJson } from '../../lib/cli/json-check'
import { mutations } from './json-mutations'

function parses(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

const VALID = [
  '0', '-0', '12', '-1.5e+10', '1E-2', '0.25', '"s"', '""', '"\\u00e9\\n\\"\\\\\\/"', 'true', 'false', 'null', '[]', '{}', ' [ 1 , [ ] , { } ] ',
  '{"a":{"b":[1,2,{"c":null}]},"d":"\u00e9t\u00e9"}', '\t{"k" : "v"}\r',
]
const INVALID = [
  '', ' ', '01', '-', '1.', '.5', '1e', '+1', '"abc', '"a\tb"', '"\\x"', '"\\u12g4"', 'tru', 'nul', 'True', '[1,]', '[,1]', '{"a"}', '{"a":}',
  '{a:1}', "{'a':1}", '{"a":1,}', '[1 2]', '{"a":1}}', '1 2', 'NaN', 'Infinity', '[', '{', '"', '{"a":1', 'not json at all',
]

describe('isJson', () => {
  for (const text of VALID) it(`takes ${JSON.stringify(text)} as JSON.parse does`, () => expect(isJson(Buffer.from(text))).to.equal(true))
  for (const text of INVALID) it(`refuses ${JSON.stringify(text)} as JSON.parse does`, () => expect(isJson(Buffer.from(text))).to.equal(false))

  it('checks only buffer[start, end): the bytes after the line do not count', () => {
    const chunk = Buffer.from('12\n34\n{"a":1}\n')
    expect(isJson(chunk, 0, 2)).to.equal(true)
    expect(isJson(chunk, 0, 1)).to.equal(true)
    expect(isJson(Buffer.from('"ab"c'), 0, 3)).to.equal(false)
    expect(isJson(Buffer.from('1e5'), 0, 2)).to.equal(false)
    expect(isJson(Buffer.from('truex'), 0, 4)).to.equal(true)
  })

  it('agrees with JSON.parse on 20,000 mutations of JSON documents (one byte changed, dropped or repeated)', () => {
    const documents = ['{"id":"key-1","n":-12.5e3,"tags":["a","b\\n"],"ok":true,"none":null,"u":"\\u00e9"}', '[0,{"a":[]},"x",false]', '"text"']
    const alphabet = '{}[]:,"\\ -+.eE0123456789tfnrulsabx\t\r'
    for (const text of mutations(documents, alphabet, 20_000, 42)) {
      expect(isJson(Buffer.from(text)), text).to.equal(parses(text))
    }
  })
})
