import { expect } from 'chai'
import { messageLine, valueLine } from '../../lib/cli/output'

function consumed(value: Buffer | null, extra: { key?: Buffer | null; headers?: Record<string, Buffer | string | undefined | Array<Buffer | string>> } = {}) {
  return {
    topic: 'orders',
    partition: 2,
    offset: '9007199254740993',
    key: extra.key ?? null,
    value,
    headers: extra.headers ?? {},
    timestamp: new Date(Date.UTC(2024, 4, 1)),
    ack: () => {},
  }
}

describe('consume output', () => {
  it('writes the documented fields, a JSON value as JSON, keeping every digit of numbers and offsets', () => {
    const line = messageLine(consumed(Buffer.from(' {"id":12345678901234567890} '), { key: Buffer.from('k1'), headers: { trace: Buffer.from('abc'), many: ['a', Buffer.from('b')] } }))
    expect(line).to.equal(
      '{"topic":"orders","partition":2,"offset":9007199254740993,"timestamp":"2024-05-01T00:00:00.000Z","key":"k1",' +
        '"value":{"id":12345678901234567890},"headers":{"trace":"abc","many":["a","b"]}}',
    )
  })

  it('writes a value that is not JSON as a string, and a null value and key as null', () => {
    expect(JSON.parse(messageLine(consumed(Buffer.from('plain "text"'))))).to.deep.include({ key: null, value: 'plain "text"' })
    expect(JSON.parse(messageLine(consumed(null)))).to.deep.include({ value: null })
  })

  it('keeps a multi-line JSON value on one line', () => {
    const line = messageLine(consumed(Buffer.from('{\n  "a": [1,\n 2]\n}')))
    expect(line).not.to.include('\n')
    expect(JSON.parse(line)).to.deep.include({ value: { a: [1, 2] } })
  })

  it('--value-only writes the value as stored, null as an empty line', () => {
    expect(valueLine(consumed(Buffer.from('{"a":1}')))).to.equal('{"a":1}')
    expect(valueLine(consumed(null))).to.equal('')
  })

  describe('--encoding base64', () => {
    const notUtf8 = Buffer.from([0xff, 0x00, 0x0a, 0xc3])

    it('writes a value that is not UTF-8 as base64 marked valueEncoding, which decodes to the same bytes', () => {
      const line = JSON.parse(messageLine(consumed(notUtf8, { key: Buffer.from([0xfe, 0x01]) }), 'base64')) as Record<string, unknown>
      expect(line).to.deep.include({ value: notUtf8.toString('base64'), valueEncoding: 'base64', key: '/gE=' })
      expect(Buffer.from(line.value as string, 'base64')).to.deep.equal(notUtf8)
    })

    it('keeps a JSON value as JSON, unmarked, even a JSON string, and writes UTF-8 that is not JSON as base64', () => {
      expect(JSON.parse(messageLine(consumed(Buffer.from('"text"')), 'base64'))).to.deep.include({ value: 'text' }).and.not.to.have.property('valueEncoding')
      expect(JSON.parse(messageLine(consumed(Buffer.from('{"a":1}')), 'base64'))).to.deep.include({ value: { a: 1 } })
      expect(JSON.parse(messageLine(consumed(Buffer.from('plain')), 'base64'))).to.deep.include({ value: 'cGxhaW4=', valueEncoding: 'base64' })
    })

    it('does not take bytes that decode to JSON only after U+FFFD replaced them for JSON', () => {
      const quotedFF = Buffer.from([0x22, 0xff, 0x22])
      expect(JSON.parse(messageLine(consumed(quotedFF), 'base64'))).to.deep.include({ value: quotedFF.toString('base64'), valueEncoding: 'base64' })
    })

    it('writes header values as base64, and a null value as null', () => {
      const line = JSON.parse(messageLine(consumed(null, { headers: { h: Buffer.from([0x80]), many: ['a', 'b'] } }), 'base64')) as Record<string, unknown>
      expect(line).to.deep.include({ value: null, headers: { h: 'gA==', many: ['YQ==', 'Yg=='] } })
    })

    it('--value-only writes every value as base64', () => {
      expect(valueLine(consumed(Buffer.from('{"a":1}')), 'base64')).to.equal('eyJhIjoxfQ==')
      expect(valueLine(consumed(notUtf8), 'base64')).to.equal(notUtf8.toString('base64'))
    })
  })

  it('utf8 (the default) writes bytes that are not UTF-8 as replacement characters', () => {
    expect(JSON.parse(messageLine(consumed(Buffer.from([0x61, 0xff]))))).to.deep.include({ value: 'a\ufffd' })
  })
})
