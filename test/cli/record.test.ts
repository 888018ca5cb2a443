import { expect } from 'chai'
import { BadInputError } from '../../lib/cli/exit-codes'
import { parseFieldPath, valueAt } from '../../lib/cli/field-path'
import { toMessage } from '../../lib/cli/record'

const item = (document: unknown) => ({ value: JSON.stringify(document), document, where: 'line 7' })

describe('field paths', () => {
  it('parse dotted names and reject empty parts', () => {
    expect(parseFieldPath('user.id')).to.deep.equal(['user', 'id'])
    expect(parseFieldPath('a..b')).to.equal(undefined)
    expect(parseFieldPath('')).to.equal(undefined)
  })

  it('find nested values, array elements, and undefined through missing or scalar parts', () => {
    expect(valueAt({ user: { id: 7 } }, ['user', 'id'])).to.equal(7)
    expect(valueAt({ items: ['a', 'b'] }, ['items', '1'])).to.equal('b')
    expect(valueAt({ user: 'x' }, ['user', 'id'])).to.equal(undefined)
    expect(valueAt(null, ['a'])).to.equal(undefined)
  })

  it("see only the document's own data: no inherited keys, no array length, no non-canonical index", () => {
    expect(valueAt({}, ['__proto__'])).to.equal(undefined)
    expect(valueAt({}, ['constructor'])).to.equal(undefined)
    expect(valueAt(JSON.parse('{"__proto__":{"a":1}}'), ['__proto__', 'a'])).to.equal(1)
    expect(valueAt({ items: ['a', 'b'] }, ['items', 'length'])).to.equal(undefined)
    expect(valueAt({ items: ['a', 'b'] }, ['items', '01'])).to.equal(undefined)
  })
})

describe('toMessage', () => {
  const headers = { source: 'cli' }

  it('keys by a field: strings as they are, other values as JSON, missing or null as no key', () => {
    const key = (document: unknown) => toMessage(item(document), { key: ['k'], headers }).key
    expect(key({ k: 'abc' })).to.equal('abc')
    expect(key({ k: 42 })).to.equal('42')
    expect(key({ k: { a: 1 } })).to.equal('{"a":1}')
    expect(key({ k: null })).to.equal(null)
    expect(key({})).to.equal(null)
  })

  it('keeps the value and headers as given', () => {
    expect(toMessage(item({ a: 1 }), { headers })).to.deep.equal({ value: '{"a":1}', headers })
  })

  it('takes a timestamp field in epoch milliseconds or ISO 8601', () => {
    const at = (t: unknown) => toMessage(item({ t }), { timestamp: ['t'], headers }).timestamp
    expect(at(1_700_000_000_000)).to.deep.equal(new Date(1_700_000_000_000))
    expect(at('2024-05-01T00:00:00Z')).to.deep.equal(new Date('2024-05-01T00:00:00Z'))
  })

  it('rejects a timestamp that is neither, naming the line and the field', () => {
    for (const t of ['yesterday', -5, undefined, '2024-99-99']) {
      expect(() => toMessage(item({ t }), { timestamp: ['t'], headers })).to.throw(BadInputError, /^line 7: --timestamp t is not epoch milliseconds or an ISO 8601 time$/)
    }
  })
})
