import { once } from 'node:events'
import { expect } from 'chai'
import { KafkaReadable, type ConsumedMessage } from '../../../lib/readable'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, useSharedCluster } from '../cluster'
import { closed, numbered, numberedTopic, produce, take } from './helpers'

describe('KafkaReadable of one partition (integration)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))

  const topicWith = (partitions: number, count: number) => numberedTopic(suite, partitions, count, 'readable-partition')

  async function readAll(reader: KafkaReadable<string>): Promise<string[]> {
    const values: string[] = []
    for await (const m of reader) values.push(m.value)
    return values
  }

  it("reads one partition from 'earliest' to the end with until: 'latest', and ends by itself", async () => {
    const topic = await topicWith(3, 30)
    const reader = new KafkaReadable<string>({ ...clientOf(cluster), topic, partition: 1, until: 'latest', valueDeserializer: 'string' })
    expect(await readAll(reader)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `v${1 + 3 * i}`))
    expect(reader.offset()).to.equal('10')
    expect(reader.lag()).to.equal(0)
  })

  it('starts at an exact offset (number, string or bigint)', async () => {
    const topic = await topicWith(1, 10)
    for (const offset of [7, '7', 7n]) {
      const reader = new KafkaReadable<string>({ ...clientOf(cluster), topic, offset, until: 'latest', valueDeserializer: 'string' })
      expect(await readAll(reader)).to.deep.equal(['v7', 'v8', 'v9'])
    }
  })

  it("starts at 'latest': only messages produced after the start come", async () => {
    const topic = await topicWith(1, 5)
    const reader = new KafkaReadable<string>({ ...clientOf(cluster), topic, offset: 'latest', valueDeserializer: 'string' })
    const assigned = once(reader, 'assignment')
    reader.read()
    await assigned
    expect(reader.offset()).to.equal('5')
    await produce(cluster, topic, numbered(3, 1, 5))
    const messages = await take<ConsumedMessage<string>>(reader, 3)
    expect(messages.map((m) => [m.offset, m.value])).to.deep.equal([['5', 'v5'], ['6', 'v6'], ['7', 'v7']])
    reader.destroy()
    await closed(reader)
  })

  it('starts at the first message at or after a Date, and ends at another with until', async () => {
    const topic = await suite.topic({ partitions: 1, prefix: 'readable-time' })
    const base = Date.now() - 60_000
    await produce(
      cluster,
      topic,
      Array.from({ length: 6 }, (_, i) => ({ value: `v${i}`, timestamp: String(base + i * 10_000) })),
    )
    const reader = new KafkaReadable<string>({
      ...clientOf(cluster),
      topic,
      offset: new Date(base + 15_000),
      until: new Date(base + 45_000),
      valueDeserializer: 'string',
    })
    const messages: Array<ConsumedMessage<string>> = []
    for await (const m of reader) messages.push(m)
    expect(messages.map((m) => m.value)).to.deep.equal(['v2', 'v3', 'v4'])
    expect(messages[0]!.timestamp.getTime()).to.equal(base + 20_000)
  })

  it('ends at once on an empty partition with until, and reports lag while reading', async () => {
    const empty = await topicWith(1, 0)
    expect(await readAll(new KafkaReadable<string>({ ...clientOf(cluster), topic: empty, until: 'latest', valueDeserializer: 'string' }))).to.deep.equal([])

    const topic = await topicWith(1, 100)
    const reader = new KafkaReadable({ ...clientOf(cluster), topic, highWaterMark: 5 })
    await take(reader, 10)
    const next = Number(reader.offset())
    expect(next).to.be.within(10, 16)
    expect(reader.lag()).to.equal(100 - next)
    reader.destroy()
    await closed(reader)
  })

  it('rejects options of the other mode with a clear error', () => {
    expect(() => new KafkaReadable({ ...clientOf(cluster), topic: 't', groupId: 'g' })).to.throw(/"topic" cannot be used with "groupId"/)
    expect(() => new KafkaReadable({ ...clientOf(cluster), topic: 't', commitInterval: 5 })).to.throw(/"commitInterval" only apply to a consumer group/)
  })
})
