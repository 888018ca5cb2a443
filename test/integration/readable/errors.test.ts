import { pipeline } from 'node:stream/promises'
import { Writable } from 'node:stream'
import { expect } from 'chai'
import { AbortedError, DeserializationError, TopicError } from '../../../lib/errors'
import { KafkaReadable, type ConsumedMessage, type RawMessage } from '../../../lib/readable'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, uniqueName, useSharedCluster } from '../cluster'
import { produceWithKcat } from '../kcat'
import { committed, produce, take } from './helpers'

describe('KafkaReadable errors, abort and codecs (integration)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))

  /** A one-partition topic of JSON values with one bad value at offset 2. */
  async function withBadValue(): Promise<string> {
    const topic = await suite.topic({ partitions: 1, prefix: 'readable-bad' })
    await produce(cluster, topic, ['{"n":0}', '{"n":1}', '{not json', '{"n":3}'].map((value) => ({ value })))
    return topic
  }

  it('destroys the stream with a DeserializationError naming the message, after committing what was acked', async () => {
    const topic = await withBadValue()
    const groupId = uniqueName('group')
    const reader = new KafkaReadable<{ n: number }>({ ...clientOf(cluster), groupId, topics: topic, fromBeginning: true, valueDeserializer: 'json' })
    const values: number[] = []
    const sink = new Writable({
      objectMode: true,
      write(m: ConsumedMessage<{ n: number }>, _encoding, callback) {
        values.push(m.value.n)
        m.ack()
        callback()
      },
    })
    const error = await pipeline(reader, sink).then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(error).to.be.instanceOf(DeserializationError)
    expect((error as DeserializationError).position).to.deep.equal({ topic, partition: 0, offset: '2' })
    expect(values).to.deep.equal([0, 1])
    expect((await committed(cluster, groupId, topic)).get(0)).to.equal(2)
  })

  it("skips a bad message with onDecodeError: 'skip', and hands it to a function when given one", async () => {
    const topic = await withBadValue()
    const skipping = new KafkaReadable<{ n: number }>({ ...clientOf(cluster), topic, until: 'latest', valueDeserializer: 'json', onDecodeError: 'skip' })
    const values: number[] = []
    for await (const m of skipping) values.push(m.value.n)
    expect(values).to.deep.equal([0, 1, 3])

    const groupId = uniqueName('group')
    const dead: Array<{ raw: RawMessage; error: Error }> = []
    const handing = new KafkaReadable<{ n: number }>({
      ...clientOf(cluster),
      groupId,
      topics: topic,
      fromBeginning: true,
      until: 'latest',
      valueDeserializer: 'json',
      onDecodeError: (raw, error) => dead.push({ raw, error }),
    })
    for await (const m of handing) m.ack()
    expect(dead).to.have.length(1)
    expect(dead[0]!.raw).to.deep.include({ topic, partition: 0, offset: '2', value: Buffer.from('{not json') })
    expect(dead[0]!.error).to.be.instanceOf(DeserializationError)
    // the handed-over message counts as acked: the commit passes it
    expect((await committed(cluster, groupId, topic)).get(0)).to.equal(4)
  })

  it('is destroyed with an AbortedError by its signal, committing what was acked first', async () => {
    const topic = await suite.topic({ partitions: 1, prefix: 'readable-abort' })
    await produce(cluster, topic, Array.from({ length: 20 }, (_, i) => ({ value: `v${i}` })))
    const controller = new AbortController()
    const groupId = uniqueName('group')
    const reader = new KafkaReadable({ ...clientOf(cluster), groupId, topics: topic, fromBeginning: true, commitInterval: 60_000, signal: controller.signal })
    const messages = await take<ConsumedMessage>(reader, 5)
    for (const m of messages) m.ack()
    const closed = new Promise((resolve) => reader.once('close', resolve))
    reader.on('error', () => {}) // the error is checked below
    controller.abort()
    await closed
    expect(reader.errored).to.be.instanceOf(AbortedError)
    expect((await committed(cluster, groupId, topic)).get(0)).to.equal(5)
  })

  it('stops cleanly when a for await loop breaks', async () => {
    const topic = await suite.topic({ partitions: 1, prefix: 'readable-break' })
    await produce(cluster, topic, Array.from({ length: 20 }, (_, i) => ({ value: `v${i}` })))
    const reader = new KafkaReadable<string>({ ...clientOf(cluster), topic, valueDeserializer: 'string' })
    const values: string[] = []
    for await (const m of reader) {
      values.push(m.value)
      if (values.length === 3) break
    }
    expect(values).to.deep.equal(['v0', 'v1', 'v2'])
    // Node destroys a stream whose iteration stopped early with an AbortError; the reader then disconnects
    if (!reader.closed) await new Promise((resolve) => reader.once('close', resolve))
    expect(reader.destroyed).to.equal(true)
  })

  it('fails with a TopicError naming a topic that does not exist, in both modes', async () => {
    const topic = uniqueName('missing')
    // Made one at a time: a reader that fails before the test listens would be an uncaught error.
    for (const makeReader of [
      () => new KafkaReadable({ ...clientOf(cluster), groupId: uniqueName('group'), topics: topic }),
      () => new KafkaReadable({ ...clientOf(cluster), topic }),
    ]) {
      const reader = makeReader()
      reader.resume()
      const error = await new Promise<Error>((resolve) => reader.once('error', resolve))
      expect(error).to.be.instanceOf(TopicError)
      expect(error.message).to.contain(topic)
    }
  })

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    it(`reads ${codec} batches written by librdkafka (kcat)`, async () => {
      const topic = await suite.topic({ partitions: 1, prefix: `readable-${codec}` })
      const lines = Array.from({ length: 300 }, (_, i) => `k${i}\t${'value-'.repeat(10)}${i}`)
      await produceWithKcat(cluster, topic, lines, codec)
      const reader = new KafkaReadable<string, string>({ ...clientOf(cluster), topic, until: 'latest', keyDeserializer: 'string', valueDeserializer: 'string' })
      const got: string[] = []
      for await (const m of reader) got.push(`${m.key}\t${m.value}`)
      expect(got).to.deep.equal(lines)
    })
  }
})
