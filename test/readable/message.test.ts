import { expect } from 'chai'
import type { KafkaMessage } from 'kafkajs'
import { resolveDeserializer } from '../../lib/codecs/deserializers'
import { DeserializationError } from '../../lib/errors'
import { decodeMessage, handleDecodeError, messageBytes, rawMessage, timestampOf } from '../../lib/readable/message'

const kafkajsMessage = (value: string | null, key: string | null = 'k'): KafkaMessage =>
  ({
    offset: '41',
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    timestamp: '1700000000000',
    headers: { h: Buffer.from('x') },
    attributes: 0,
  }) as unknown as KafkaMessage

describe('consumed messages', () => {
  it('keeps the raw bytes for an onDecodeError handler', () => {
    expect(rawMessage('t', 1, kafkajsMessage('v'))).to.deep.include({ topic: 't', partition: 1, offset: '41', key: Buffer.from('k'), value: Buffer.from('v') })
  })

  it('carries topic, partition, offset, key, value, headers, timestamp and ack', () => {
    let acked = 0
    const m = decodeMessage('t', 3, kafkajsMessage('{"a":1}'), resolveDeserializer('string', 'k'), resolveDeserializer('json', 'v'), () => acked++)
    expect(m).to.deep.include({ topic: 't', partition: 3, offset: '41', key: 'k', value: { a: 1 }, headers: { h: Buffer.from('x') } })
    expect(m.timestamp.getTime()).to.equal(1_700_000_000_000)
    m.ack()
    expect(acked).to.equal(1)
  })

  it("hands out the stored bytes themselves with the default 'buffer' deserializers, and still calls a custom one", () => {
    const raw = kafkajsMessage('v')
    const buffer = resolveDeserializer('buffer', 'v')
    const m = decodeMessage('t', 0, raw, buffer, buffer, () => {})
    expect(m.key).to.equal(raw.key)
    expect(m.value).to.equal(raw.value)
    const seen: unknown[] = []
    const custom = decodeMessage('t', 0, raw, (data, meta) => seen.push(data, meta.offset) && 'K', buffer, () => {})
    expect([custom.key, custom.value]).to.deep.equal(['K', raw.value])
    expect(seen).to.deep.equal([raw.key, '41'])
  })

  it('reads timestamps as Number() does, and gives every message its own Date', () => {
    for (const text of ['1700000000000', '1700000000001', '0', '-1', '', '999999999999999', '8640000000000000', '12.5']) {
      expect(timestampOf(text).getTime(), JSON.stringify(text)).to.deep.equal(new Date(Number(text)).getTime())
    }
    const [a, b] = [timestampOf('1700000000000'), timestampOf('1700000000000')]
    expect(a).not.to.equal(b)
    a.setTime(0)
    expect(b.getTime()).to.equal(1_700_000_000_000)
  })

  it('keeps null keys and tombstones null', () => {
    const m = decodeMessage('t', 0, kafkajsMessage(null, null), resolveDeserializer('string', 'k'), resolveDeserializer('json', 'v'), () => {})
    expect([m.key, m.value]).to.deep.equal([null, null])
    expect(messageBytes(kafkajsMessage(null, null))).to.equal(0)
    expect(messageBytes(kafkajsMessage('abc', 'kk'))).to.equal(5)
  })

  it('names the message and what failed to decode', () => {
    const bad = kafkajsMessage('{not json')
    const decode = () => decodeMessage('orders', 2, bad, resolveDeserializer('string', 'k'), resolveDeserializer('json', 'v'), () => {})
    expect(decode).to.throw(DeserializationError, /could not decode the value of orders\[2\]@41/)
    try {
      decode()
    } catch (err) {
      expect((err as DeserializationError).position).to.deep.equal({ topic: 'orders', partition: 2, offset: '41' })
      expect((err as DeserializationError).cause).to.be.instanceOf(SyntaxError)
    }
    const badKey = () =>
      decodeMessage('orders', 2, bad, () => {
        throw new Error('no schema')
      }, resolveDeserializer('buffer', 'v'), () => {})
    expect(badKey).to.throw(DeserializationError, /key of orders\[2\]@41: no schema/)
  })

  it("applies onDecodeError: 'error' fails the stream, 'skip' and a handler go on, a throwing handler fails it", () => {
    const raw = rawMessage('t', 0, kafkajsMessage('x'))
    const error = new Error('bad')
    expect(handleDecodeError('error', raw, error)).to.equal(error)
    expect(handleDecodeError('skip', raw, error)).to.equal(undefined)
    const handed: unknown[] = []
    expect(handleDecodeError((r, e) => handed.push(r, e), raw, error)).to.equal(undefined)
    expect(handed).to.deep.equal([raw, error])
    const thrown = new Error('dead-letter topic is gone')
    expect(
      handleDecodeError(() => {
        throw thrown
      }, raw, error),
    ).to.equal(thrown)
  })
})
