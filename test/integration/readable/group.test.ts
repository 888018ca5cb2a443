import { expect } from 'chai'
import { pipeline } from 'node:stream/promises'
import { KafkaReadable, ackingSink, type ConsumedMessage } from '../../../lib/readable'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, createTopics, uniqueName, useSharedCluster } from '../cluster'
import { closed, committed, numbered, numberedTopic, produce, take } from './helpers'

describe('KafkaReadable in a consumer group (integration)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))

  const topicWith = (partitions: number, count: number) => numberedTopic(suite, partitions, count, 'readable-group')

  it('reads every message produced by kafkajs once, and commits the end of each partition once all are acked', async () => {
    const topic = await topicWith(3, 900)
    const groupId = uniqueName('group')
    const reader = new KafkaReadable<string, string>({
      ...clientOf(cluster),
      groupId,
      topics: topic,
      fromBeginning: true,
      keyDeserializer: 'string',
      valueDeserializer: 'string',
    })
    const messages = await take<ConsumedMessage<string, string>>(reader, 900)
    expect(new Set(messages.map((m) => m.value)).size).to.equal(900)
    for (const m of messages) {
      expect(m.value).to.equal(m.key!.replace('k', 'v'))
      expect(m.topic).to.equal(topic)
      expect(m.offset).to.be.a('string')
      expect(m.timestamp).to.be.instanceOf(Date)
      m.ack()
    }
    await reader.commit()
    expect(Object.fromEntries(await committed(cluster, groupId, topic))).to.deep.equal({ 0: 300, 1: 300, 2: 300 })
    expect(reader.lag()).to.equal(0)
    expect(reader.stats()).to.include({ messages: 900, acks: 900, pendingAcks: 0 })
    reader.destroy()
    await closed(reader)
  })

  it('commits only the contiguous acked prefix of out-of-order acks, and never moves it back', async () => {
    const topic = await topicWith(1, 10)
    const groupId = uniqueName('group')
    const reader = new KafkaReadable({ ...clientOf(cluster), groupId, topics: [topic], fromBeginning: true, commitInterval: 0 })
    const messages = await take<ConsumedMessage>(reader, 10)
    for (const i of [0, 1, 2, 4, 5, 9]) messages[i]!.ack()
    await reader.commit()
    expect((await committed(cluster, groupId, topic)).get(0)).to.equal(3)
    messages[3]!.ack()
    messages[0]!.ack() // a second ack changes nothing
    await reader.commit()
    expect((await committed(cluster, groupId, topic)).get(0)).to.equal(6)
    reader.destroy()
    await closed(reader)
    expect((await committed(cluster, groupId, topic)).get(0)).to.equal(6)
  })

  it('commits nothing when nothing was acked, also on close', async () => {
    const topic = await topicWith(2, 20)
    const groupId = uniqueName('group')
    const reader = new KafkaReadable({ ...clientOf(cluster), groupId, topics: topic, fromBeginning: true, commitInterval: 0 })
    await take(reader, 20)
    await reader.commit()
    reader.destroy()
    await closed(reader)
    expect([...(await committed(cluster, groupId, topic)).values()]).to.deep.equal([-1, -1])
  })

  it('commits on read with ackOnRead, and a new reader of the group resumes after the commit', async () => {
    const topic = await topicWith(1, 10)
    const groupId = uniqueName('group')
    const first = new KafkaReadable({ ...clientOf(cluster), groupId, topics: topic, fromBeginning: true, ackOnRead: true, highWaterMark: 2 })
    await take(first, 4)
    await first.commit()
    first.destroy()
    await closed(first)
    const committedAt = (await committed(cluster, groupId, topic)).get(0)!
    expect(committedAt).to.be.within(4, 8) // what was read: taken, or in the 2-message buffer

    const second = new KafkaReadable<string>({ ...clientOf(cluster), groupId, topics: topic, valueDeserializer: 'string', until: 'latest' })
    const rest: string[] = []
    for await (const m of second) {
      rest.push(m.value)
      m.ack()
    }
    expect(rest).to.deep.equal(Array.from({ length: 10 - committedAt }, (_, i) => `v${committedAt + i}`))
    expect((await committed(cluster, groupId, topic)).get(0)).to.equal(10)
  })

  it('subscribes to the topics a RegExp matches', async () => {
    const prefix = uniqueName('readable-re')
    const topics = [`${prefix}-a`, `${prefix}-b`]
    suite.defer(await createTopics(cluster, topics.map((topic) => ({ topic, numPartitions: 2 }))))
    for (const topic of topics) await produce(cluster, topic, numbered(6, 2))
    const groupId = uniqueName('group')
    const reader = new KafkaReadable<string>({
      ...clientOf(cluster),
      groupId,
      topics: new RegExp(`^${prefix}-`),
      fromBeginning: true,
      until: 'latest',
      valueDeserializer: 'string',
    })
    const got: string[] = []
    for await (const m of reader) {
      got.push(`${m.topic}/${m.value}`)
      m.ack()
    }
    expect(got.sort()).to.deep.equal(topics.flatMap((t) => Array.from({ length: 6 }, (_, i) => `${t}/v${i}`)).sort())
    for (const topic of topics) expect([...(await committed(cluster, groupId, topic)).values()]).to.deep.equal([3, 3])
  })

  it('commits what an ackingSink finished, through pipeline()', async () => {
    const topic = await topicWith(2, 100)
    const groupId = uniqueName('group')
    const reader = new KafkaReadable<string>({ ...clientOf(cluster), groupId, topics: topic, fromBeginning: true, until: 'latest', valueDeserializer: 'string' })
    const done: string[] = []
    await pipeline(
      reader,
      ackingSink(async (m: ConsumedMessage<string>) => {
        await new Promise((resolve) => setImmediate(resolve))
        done.push(m.value)
      }),
    )
    expect(done).to.have.length(100)
    expect(Object.fromEntries(await committed(cluster, groupId, topic))).to.deep.equal({ 0: 50, 1: 50 })
  })
})
