import { Readable } from 'node:stream'
import { expect } from 'chai'
import { BadInputError } from '../../lib/cli/exit-codes'
import { openInput, type InputFormat } from '../../lib/cli/input'
import type { WantedFields } from '../../lib/cli/input-lines'
import type { InputSource } from '../../lib/cli/input-source'
import type { InputItem } from '../../lib/cli/record'

/** A source that hands over `chunks` one by one, as a pipe would, split wherever the test says. */
function source(name: string | undefined, ...chunks: string[]): InputSource {
  return { name, open: () => Readable.from(chunks.map((c) => Buffer.from(c)), { objectMode: false }) }
}

/** An item as a plain object, `where` included (ndjson items make it only when asked). */
function plain({ value, document, fields, where }: InputItem): InputItem {
  return fields === undefined ? { value, document, where } : { value, document, fields, where }
}

async function items(format: InputFormat, sources: InputSource[], onBadLine?: (e: BadInputError) => void, wanted?: WantedFields): Promise<InputItem[]> {
  const all: InputItem[] = []
  for await (const batch of openInput(sources, format, onBadLine, wanted).items) all.push(...batch.map(plain))
  return all
}

async function failure(format: InputFormat, sources: InputSource[]): Promise<BadInputError> {
  const error = await items(format, sources).then(() => undefined, (err: unknown) => err)
  expect(error).to.be.instanceOf(BadInputError)
  return error as BadInputError
}

describe('input formats', () => {
  describe('ndjson', () => {
    it('sends each line as its own bytes, skips blank lines and CRLF ends, across chunk splits', async () => {
      const got = await items('ndjson', [source(undefined, '{"a":1}\r\n\n  {"b"', ':[2]}  \n"s"')])
      expect(got).to.deep.equal([
        { value: Buffer.from('{"a":1}'), document: undefined, where: 'line 1' },
        { value: Buffer.from('{"b":[2]}'), document: undefined, where: 'line 3' },
        { value: Buffer.from('"s"'), document: undefined, where: 'line 4' },
      ])
    })

    it('finds the wanted key and timestamp fields in the bytes of each line, without parsing it whole', async () => {
      const text = '{"user":{"id":"u1"},"at":1700000000000}\n{"user":{"id":7}}\n{"at":"2026-11-22T10:00:00Z"}\n'
      const got = await items('ndjson', [source(undefined, text)], undefined, { key: ['user', 'id'], timestamp: ['at'] })
      expect(got.map((i) => i.fields)).to.deep.equal([
        { key: 'u1', timestamp: 1700000000000 },
        { key: 7, timestamp: undefined },
        { key: undefined, timestamp: '2026-11-22T10:00:00Z' },
      ])
      expect(got.map((i) => i.value)).to.deep.equal(text.trim().split('\n').map((l) => Buffer.from(l)))
      const timestampOnly = await items('ndjson', [source(undefined, '{"k":"x","t":5}\n')], undefined, { timestamp: ['t'] })
      expect(timestampOnly[0]!.fields).to.deep.equal({ key: undefined, timestamp: 5 })
    })

    it('stops at a line that is not JSON with its line number and a short excerpt, after the lines before it', async () => {
      const seen: InputItem[] = []
      const input = openInput([source(undefined, '{"ok":1}\n{"ok":2}\n{"broken": ' + 'x'.repeat(100) + '\n{"ok":3}\n')], 'ndjson')
      const error = await (async () => {
        for await (const batch of input.items) seen.push(...batch)
      })().then(() => undefined, (err: unknown) => err as BadInputError)
      expect(seen).to.have.length(2)
      expect(error?.exitCode).to.equal(65)
      expect(error?.message).to.match(/^line 3: not JSON \(Unexpected token 'x'\): "\{\\"broken\\": x{29}\.\.\."$/)
    })

    it('names the file and line when reading files, and counts lines per file', async () => {
      const error = await failure('ndjson', [source('a.ndjson', '1\n2\n'), source('b.ndjson', '3\n{\n')])
      expect(error.message).to.match(/^b\.ndjson:2: not JSON/)
    })

    it('without wanted fields, only checks each line: no documents, the same refusals', async () => {
      const got: InputItem[] = []
      const bad: string[] = []
      const input = openInput([source(undefined, '{"a":1}\n  [1, 2] \r\n\n\uFEFF{"bom":1}\n{"a":}\n')], 'ndjson', (e) => void bad.push(e.message))
      for await (const batch of input.items) got.push(...batch.map(plain))
      expect(got).to.deep.equal([
        { value: Buffer.from('{"a":1}'), document: undefined, where: 'line 1' },
        { value: Buffer.from('[1, 2]'), document: undefined, where: 'line 2' },
        { value: '{"bom":1}', document: undefined, where: 'line 4' }, // the check refuses the BOM; JSON.parse of the trimmed text takes it
      ])
      expect(bad).to.have.length(1)
      expect(bad[0]).to.match(/^line 5: not JSON \(Unexpected token '}'/)
    })

    it('parses a line the byte check refuses but JSON.parse takes, for its fields', async () => {
      const got = await items('ndjson', [source(undefined, '\uFEFF{"k":"bom"}\n')], undefined, { key: ['k'] })
      expect(got).to.deep.equal([{ value: '{"k":"bom"}', document: { k: 'bom' }, where: 'line 1' }])
    })

    it('hands bad lines to onBadLine and goes on', async () => {
      const skipped: string[] = []
      const got = await items('ndjson', [source(undefined, '1\nnope\n2\n')], (e) => skipped.push(e.message))
      expect(got.map((i) => i.value)).to.deep.equal([Buffer.from('1'), Buffer.from('2')])
      expect(skipped).to.have.length(1)
      expect(skipped[0]).to.match(/^line 2: not JSON/)
    })
  })

  describe('json', () => {
    it('streams the elements of a top-level array, split anywhere', async () => {
      const got = await items('json', [source(undefined, '  \n [{"a"', ':1},\n 2, "x", [3', '], null]')])
      expect(got.map((i) => i.value)).to.deep.equal([{ a: 1 }, 2, 'x', [3], null])
      expect(got.map((i) => i.where)).to.deep.equal(['document 1', 'document 2', 'document 3', 'document 4', 'document 5'])
    })

    it('streams concatenated values, each one a record', async () => {
      const got = await items('json', [source(undefined, '{"a":1}{"a":2}\n', '  3 "four"')])
      expect(got.map((i) => i.document)).to.deep.equal([{ a: 1 }, { a: 2 }, 3, 'four'])
    })

    it('takes an empty input as no records', async () => {
      expect(await items('json', [source(undefined, '  \n')])).to.deep.equal([])
    })

    it('stops with the number of the document that does not parse', async () => {
      const error = await failure('json', [source('in.json', '[{"a":1}, {"a":2}, {"a": nope}]')])
      expect(error.message).to.match(/^in\.json:document 3: not JSON \(/)
    })
  })

  describe('lines', () => {
    it('sends every line as it is, blank ones included', async () => {
      const got = await items('lines', [source(undefined, 'a b\n\n{x\n')])
      expect(got).to.deep.equal([
        { value: 'a b', document: undefined, where: 'line 1' },
        { value: '', document: undefined, where: 'line 2' },
        { value: '{x', document: undefined, where: 'line 3' },
      ])
    })
  })

  it('close() ends a read that waits for input that never comes', async () => {
    const stdin = new Readable({ read() {} })
    stdin.push('1\n')
    const input = openInput([{ name: undefined, open: () => stdin }], 'ndjson')
    expect((await input.items.next()).value!.map(plain)).to.deep.equal([{ value: Buffer.from('1'), document: undefined, where: 'line 1' }])
    const pending = input.items.next()
    input.close()
    const settled = await pending.then((r) => r.done, () => 'rejected')
    expect(settled === true || settled === 'rejected').to.equal(true)
  })
})
