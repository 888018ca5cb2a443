/*
 * Every message field wrong in every way a user can get it wrong, on the real broker: the write fails with a typed
 * error that names the field, and exactly the messages written before the bad one are stored (none after it).
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { KafkaWritable, LeastBytes, type KafkaPipeError } from '../../../lib'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, useSharedCluster } from '../cluster'
import { readWithKcat } from '../kcat'

interface Case {
  what: string
  bad: unknown
  code: string
  names: RegExp
  options?: Record<string, unknown>
}

const circular: Record<string, unknown> = {}
circular.self = circular

const CASES: Case[] = [
  { what: 'a chunk that is a string', bad: 'just text', code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message objects/ },
  { what: 'a chunk that is a number', bad: 42, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message objects/ },
  { what: 'a value that is circular', bad: { value: circular }, code: 'ERR_KAFKA_PIPE_SERIALIZE', names: /circular/i },
  { what: 'a value that is a BigInt', bad: { value: 10n }, code: 'ERR_KAFKA_PIPE_SERIALIZE', names: /BigInt/i },
  { what: 'a key that is a BigInt', bad: { key: 10n, value: 'v' }, code: 'ERR_KAFKA_PIPE_SERIALIZE', names: /keySerializer/ },
  {
    what: "a value the 'buffer' serializer cannot take",
    bad: { value: { a: 1 } },
    code: 'ERR_KAFKA_PIPE_SERIALIZE',
    names: /serializer/,
    options: { serializer: 'buffer' },
  },
  { what: 'headers that are an array', bad: { value: 'v', headers: ['a'] }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message\.headers/ },
  { what: 'headers that are a string', bad: { value: 'v', headers: 'a=b' }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message\.headers/ },
  { what: 'a header value that is a number', bad: { value: 'v', headers: { n: 1 } }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /header "n"/ },
  { what: 'a header value that is an object', bad: { value: 'v', headers: { o: {} } }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /header "o"/ },
  { what: 'a negative timestamp', bad: { value: 'v', timestamp: -1 }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message\.timestamp/ },
  { what: 'a fractional timestamp', bad: { value: 'v', timestamp: 1.5 }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message\.timestamp/ },
  { what: 'a NaN timestamp', bad: { value: 'v', timestamp: NaN }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message\.timestamp/ },
  { what: 'an invalid Date', bad: { value: 'v', timestamp: new Date(NaN) }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message\.timestamp/ },
  { what: 'a timestamp that is a string', bad: { value: 'v', timestamp: 'now' }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message\.timestamp/ },
  { what: 'a partition the topic lacks', bad: { value: 'v', partition: 9 }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message\.partition 9/ },
  { what: 'a negative partition', bad: { value: 'v', partition: -1 }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message\.partition -1/ },
  { what: 'a partition that is a string', bad: { value: 'v', partition: '0' }, code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE', names: /message\.partition '0'/ },
  { what: 'a message over batchBytes', bad: { value: 'x'.repeat(2000) }, code: 'ERR_KAFKA_PIPE_MESSAGE_TOO_LARGE', names: /batchBytes/, options: { batchBytes: 1000 } },
  { what: 'a topic given twice', bad: { topic: 'other', value: 'v' }, code: 'ERR_KAFKA_PIPE_TOPIC', names: /set the topic in one place only/ },
  {
    what: 'a balancer that returns no partition',
    bad: { value: 'v' },
    code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE',
    names: /the balancer returned -3/,
    options: { balancer: (msg: { value: unknown }) => (msg.value === 'v' ? -3 : 0) },
  },
  {
    what: 'a balancer that throws',
    bad: { value: 'v' },
    code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE',
    names: /the balancer threw .*: no partition for v/,
    options: { balancer: throwingOn('v', 'no partition for v') },
  },
  {
    what: 'a toMessage that throws',
    bad: { value: 'v' },
    code: 'ERR_KAFKA_PIPE_INVALID_MESSAGE',
    names: /toMessage threw for the chunk .*: cannot map v/,
    options: { toMessage: (chunk: { value: unknown }) => (chunk.value === 'v' ? fail('cannot map v') : chunk) },
  },
]

function fail(message: string): never {
  throw new Error(message)
}

/** A balancer that puts messages on partition 0 and throws for the one of value `bad`. */
function throwingOn(bad: string, message: string) {
  return (msg: { value: unknown }) => (msg.value === bad ? fail(message) : 0)
}

describe('KafkaWritable bad input (integration)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))

  /** Writes 5 good messages, `bad`, then one more good one; returns the error and what the broker stored. */
  async function writeAround(bad: unknown, options: Record<string, unknown> = {}, topicOption?: string) {
    const topic = topicOption ?? (await suite.topic({ partitions: 2, prefix: 'bad-input' }))
    const good = Array.from({ length: 5 }, (_, i) => ({ key: `good-${i}`, value: `good-${i}` }))
    const writer = new KafkaWritable<unknown>({ ...clientOf(cluster), topic, ...options })
    const error = await pipeline(Readable.from([...good, bad, { key: 'after', value: 'after' }]), writer).then(
      () => undefined,
      (e: KafkaPipeError) => e,
    )
    const stored = (await readWithKcat(cluster, topic)).map((r) => r.key).sort()
    return { error, stored, good: good.map((m) => m.key).sort() }
  }

  for (const c of CASES) {
    it(`${c.what}: a ${c.code} naming it; the messages before it stored, none after`, async () => {
      const { error, stored, good } = await writeAround(c.bad, c.options)
      expect(error, 'the write should fail').to.be.an('error')
      expect(error).to.include({ code: c.code })
      expect(error!.message).to.match(c.names)
      expect(stored).to.deep.equal(good)
    })
  }

  it('a message topic Kafka does not take: a TopicError saying why, before anything reaches the broker', async () => {
    const writer = new KafkaWritable<unknown>({ ...clientOf(cluster) })
    const error = await pipeline(Readable.from([{ topic: 'orders v2', value: 'v' }]), writer).then(
      () => undefined,
      (e: KafkaPipeError) => e,
    )
    expect(error).to.include({ code: 'ERR_KAFKA_PIPE_TOPIC' })
    expect(error!.message).to.contain("'orders v2' is not a valid topic name").and.contain('ASCII letters')
  })

  it('a message topic of 250 characters after good messages to another topic: those are stored', async () => {
    const topic = await suite.topic({ partitions: 1, prefix: 'bad-input' })
    const messages = [...Array.from({ length: 3 }, (_, i) => ({ topic, key: `k${i}`, value: 'v' })), { topic: 'x'.repeat(250), value: 'v' }]
    const error = await pipeline(Readable.from(messages), new KafkaWritable<unknown>({ ...clientOf(cluster) })).then(
      () => undefined,
      (e: KafkaPipeError) => e,
    )
    expect(error).to.include({ code: 'ERR_KAFKA_PIPE_TOPIC' })
    expect(error!.message).to.contain('250 characters')
    expect((await readWithKcat(cluster, topic)).map((r) => r.key)).to.deep.equal(['k0', 'k1', 'k2'])
  })

  it('LeastBytes spreads JSON object values evenly, counting the bytes as sent', async () => {
    const topic = await suite.topic({ partitions: 3, prefix: 'least-bytes' })
    const messages = Array.from({ length: 300 }, (_, i) => ({ value: { n: i % 10 } }))
    await pipeline(Readable.from(messages), new KafkaWritable({ ...clientOf(cluster), topic, balancer: new LeastBytes() }))
    const perPartition = [0, 0, 0]
    for (const r of await readWithKcat(cluster, topic)) perPartition[r.partition]!++
    expect(perPartition).to.deep.equal([100, 100, 100])
  })
})
