import { expect } from 'chai'
import { InvalidOptionError, SerializationError } from '../../lib/errors'
import { resolveSerializer, type Serializer } from '../../lib/codecs/serializers'

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a throw')
}

describe('codecs/serializers', () => {
  describe("'json' (the default)", () => {
    const json = resolveSerializer(undefined, 'valueSerializer')

    it('passes Buffers through unchanged (the same object)', () => {
      const bytes = Buffer.from([0, 1, 2])
      expect(json(bytes)).to.equal(bytes)
    })

    it('passes strings through unchanged, without JSON quotes', () => {
      expect(json('plain text')).to.equal('plain text')
    })

    it('keeps null as null: a tombstone', () => {
      expect(json(null)).to.equal(null)
    })

    it('turns other byte views into a Buffer over the same memory', () => {
      const view = new Uint8Array([7, 8, 9]).subarray(1)
      const out = json(view) as Buffer
      expect(Buffer.isBuffer(out)).to.equal(true)
      expect([...out]).to.deep.equal([8, 9])
    })

    it('writes objects, arrays, numbers and booleans as JSON text', () => {
      expect(json({ a: 1, b: [true, null], c: 'x' })).to.equal('{"a":1,"b":[true,null],"c":"x"}')
      expect(json([1, 2])).to.equal('[1,2]')
      expect(json(42)).to.equal('42')
      expect(json(false)).to.equal('false')
      expect(json(new Date(0))).to.equal('"1970-01-01T00:00:00.000Z"')
      expect(json({ toJSON: () => ({ custom: true }) })).to.equal('{"custom":true}')
    })

    it('refuses undefined, pointing at null for a tombstone', () => {
      const err = thrown(() => json(undefined))
      expect(err).to.be.instanceOf(SerializationError)
      expect(err.message).to.match(/^option "valueSerializer" \('json'\) could not serialize undefined: undefined has no JSON form; use null for a tombstone; pass a function as "valueSerializer"/)
    })

    it('refuses a circular object, saying what failed and suggesting a custom serializer', () => {
      const circular: Record<string, unknown> = { name: 'loop' }
      circular.self = circular
      const err = thrown(() => json(circular)) as SerializationError
      expect(err).to.be.instanceOf(SerializationError)
      expect(err.code).to.equal('ERR_KAFKA_PIPE_SERIALIZE')
      expect(err.message).to.match(/could not serialize <ref \*1> \{ name: 'loop', self: \[Circular \*1\] \}: Converting circular structure to JSON/)
      expect(err.message).to.match(/pass a function as "valueSerializer" to serialize such values$/)
      expect(err.cause).to.be.instanceOf(TypeError)
    })

    it('refuses a BigInt, anywhere in the value', () => {
      for (const value of [10n, { id: 10n }]) {
        const err = thrown(() => json(value))
        expect(err).to.be.instanceOf(SerializationError)
        expect(err.message).to.match(/BigInt/)
        expect(err.message).to.match(/pass a function as "valueSerializer"/)
      }
    })

    it('refuses functions and symbols, which have no JSON form', () => {
      expect(thrown(() => json(() => 1)).message).to.match(/a function has no JSON form/)
      expect(thrown(() => json(Symbol('s'))).message).to.match(/a symbol has no JSON form/)
    })

    it('keeps the message short for a huge value', () => {
      const big: Record<string, unknown> = { filler: 'x'.repeat(10_000) }
      big.self = big
      expect(thrown(() => json(big)).message.length).to.be.below(400)
    })
  })

  describe("'string'", () => {
    const string = resolveSerializer('string', 'keySerializer')

    it('writes numbers, booleans and bigints with String()', () => {
      expect(string(42)).to.equal('42')
      expect(string(true)).to.equal('true')
      expect(string(12345678901234567890n)).to.equal('12345678901234567890')
    })

    it('passes strings, Buffers and null through', () => {
      const bytes = Buffer.from('b')
      expect(string('s')).to.equal('s')
      expect(string(bytes)).to.equal(bytes)
      expect(string(null)).to.equal(null)
    })

    it("refuses objects and undefined instead of writing '[object Object]' or 'undefined'", () => {
      for (const value of [{ a: 1 }, [1], undefined, Symbol('s')]) {
        const err = thrown(() => string(value))
        expect(err).to.be.instanceOf(SerializationError)
        expect(err.message).to.match(/^option "keySerializer" \('string'\) could not serialize /)
      }
      expect(thrown(() => string({ a: 1 })).message).to.match(/not an object \(Object\); use 'json' for objects/)
    })
  })

  describe("'buffer'", () => {
    const buffer = resolveSerializer('buffer', 'valueSerializer')

    it('passes Buffers, strings and null through', () => {
      const bytes = Buffer.from('b')
      expect(buffer(bytes)).to.equal(bytes)
      expect(buffer('s')).to.equal('s')
      expect(buffer(null)).to.equal(null)
    })

    it('refuses anything else', () => {
      for (const value of [1, { a: 1 }, undefined, true]) {
        expect(() => buffer(value)).to.throw(SerializationError, /'buffer' takes Buffers, strings and null/)
      }
    })
  })

  describe('a function', () => {
    it('is used as it is, with its result checked', () => {
      const upper: Serializer = (value) => String(value).toUpperCase()
      expect(resolveSerializer(upper, 'valueSerializer')('abc')).to.equal('ABC')
    })

    it('that throws: SerializationError with the cause', () => {
      const boom = new RangeError('no room')
      const serialize = resolveSerializer(() => {
        throw boom
      }, 'valueSerializer')
      const err = thrown(() => serialize({ id: 1 })) as SerializationError
      expect(err).to.be.instanceOf(SerializationError)
      expect(err.cause).to.equal(boom)
      expect(err.message).to.equal('the "valueSerializer" function could not serialize { id: 1 }: no room; fix the function or catch the error in it')
    })

    it('that returns something other than bytes: SerializationError', () => {
      const serialize = resolveSerializer(() => 42, 'keySerializer')
      expect(() => serialize('k')).to.throw(SerializationError, /returned a number for 'k'; it must return a Buffer, a string or null/)
      expect(() => resolveSerializer(() => undefined, 'keySerializer')('k')).to.throw(SerializationError, /returned undefined/)
    })
  })

  describe('bad options', () => {
    for (const option of ['JSON', 'avro', '', 'toString', 42, null, {}, ['json']]) {
      it(`refuses ${JSON.stringify(option)}, naming the option and what is valid`, () => {
        const err = thrown(() => resolveSerializer(option, 'valueSerializer')) as InvalidOptionError
        expect(err).to.be.instanceOf(InvalidOptionError)
        expect(err.option).to.equal('valueSerializer')
        expect(err.message).to.match(
          /^option "valueSerializer" must be one of 'json', 'string', 'buffer' or a function \(value\) => Buffer \| string \| null, not /,
        )
      })
    }

    it('uses the fallback it is given when the option is undefined', () => {
      expect(() => resolveSerializer(undefined, 'keySerializer', 'buffer')({})).to.throw(/'buffer' takes/)
    })
  })
})
