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
})
