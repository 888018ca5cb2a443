import { expect } from 'chai'
import { InvalidOptionError } from '../../lib/errors'
import {
  defaultKeyDeserializer,
  defaultValueDeserializer,
  resolveDeserializer,
  type DeserializeMeta,
} from '../../lib/codecs/deserializers'

const meta: DeserializeMeta = { topic: 'orders', partition: 3, offset: '42', headers: { 'content-type': Buffer.from('json') } }

describe('codecs/deserializers', () => {
  it('gives keys and values as the stored bytes by default, like kafka-go and kafkajs', () => {
    expect(defaultKeyDeserializer).to.equal('buffer')
    expect(defaultValueDeserializer).to.equal('buffer')
    const bytes = Buffer.from([0xff, 0x00])
    expect(resolveDeserializer(undefined, 'keyDeserializer')(bytes, meta)).to.equal(bytes)
  })

  describe("'buffer'", () => {
    const buffer = resolveDeserializer('buffer', 'valueDeserializer')
    it('returns the bytes, and null for null', () => {
      const bytes = Buffer.from('x')
      expect(buffer(bytes, meta)).to.equal(bytes)
      expect(buffer(null, meta)).to.equal(null)
    })
  })

  describe("'string'", () => {
    const string = resolveDeserializer('string', 'valueDeserializer')
    it('decodes UTF-8, and keeps null as null', () => {
      expect(string(Buffer.from('grüße ✓'), meta)).to.equal('grüße ✓')
      expect(string(Buffer.alloc(0), meta)).to.equal('')
      expect(string(null, meta)).to.equal(null)
    })
  })

  describe("'json'", () => {
    const json = resolveDeserializer('json', 'valueDeserializer')
    it('parses JSON text', () => {
      expect(json(Buffer.from('{"a":[1,"b",null]}'), meta)).to.deep.equal({ a: [1, 'b', null] })
      expect(json(Buffer.from('"s"'), meta)).to.equal('s')
    })

    it('keeps a tombstone (null) as null', () => {
      expect(json(null, meta)).to.equal(null)
    })

    it('throws on bytes that are not JSON, for the reader to wrap with the topic, partition and offset', () => {
      expect(() => json(Buffer.from('{oops'), meta)).to.throw(SyntaxError)
      expect(() => json(Buffer.alloc(0), meta)).to.throw(SyntaxError)
    })
  })

  it('uses a function as it is, passing the message position and headers', () => {
    const seen: unknown[] = []
    const deserialize = resolveDeserializer((data: Buffer | null, m: DeserializeMeta) => {
      seen.push(m)
      return data?.length
    }, 'valueDeserializer')
    expect(deserialize(Buffer.from('abc'), meta)).to.equal(3)
    expect(seen).to.deep.equal([meta])
  })

  for (const option of ['JSON', 'avro', '', 'hasOwnProperty', 1, null, {}]) {
    it(`refuses ${JSON.stringify(option)}, naming the option and what is valid`, () => {
      expect(() => resolveDeserializer(option, 'keyDeserializer'))
        .to.throw(InvalidOptionError)
        .with.property('message')
        .that.matches(/^option "keyDeserializer" must be one of 'buffer', 'string', 'json' or a function \(data: Buffer \| null, meta\) => unknown, not /)
    })
  }
})
