import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { KafkaWritable, type Message } from '../../../lib'
import { KafkaReadable, type ConsumedMessage } from '../../../lib/readable'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, uniqueName, useSharedCluster } from '../cluster'
import { readWithKcat } from '../kcat'
import { committed, numberedTopic } from './helpers'

describe('KafkaReadable -> KafkaWritable (integration)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))

  const topicWith = (partitions: number, count: number) => numberedTopic(suite, partitions, count, 'readable-etl')

  /** Upper-cases each value; the derived message carries an ack that records the delivery, then acks the source. */
  function upperCase(delivered: Map<number, Set<number>>) {
    return new Transform({
      objectMode: true,
      transform(m: ConsumedMessage<string, string>, _encoding, callback) {
        const derived: Message = {
          key: m.key,
          value: m.value.toUpperCase(),
          ack: () => {
            let offsets = delivered.get(m.partition)
            if (!offsets) delivered.set(m.partition, (offsets = new Set()))
            offsets.add(Number(m.offset))
            m.ack()
          },
        }
        callback(null, derived)
      },
    })
  }

  it('commits a source offset only after the derived message was stored', async () => {
    const source = await topicWith(3, 600)
    const target = await topicWith(2, 0)
    const groupId = uniqueName('etl')
    const reader = new KafkaReadable<string, string>({
      ...clientOf(cluster),
      groupId,
      topics: source,
      fromBeginning: true,
      until: 'latest',
      highWaterMark: 50,
      commitInterval: 0,
      keyDeserializer: 'string',
      valueDeserializer: 'string',
    })
    const delivered = new Map<number, Set<number>>()
    const commits: Array<{ partition: number; offset: number; deliveredPrefix: number }> = []
    reader.on('commit', (offsets: Array<{ partition: number; offset: string }>) => {
      for (const { partition, offset } of offsets) {
        let prefix = 0
        while (delivered.get(partition)?.has(prefix)) prefix++
        commits.push({ partition, offset: Number(offset), deliveredPrefix: prefix })
      }
    })
    await pipeline(reader, upperCase(delivered), new KafkaWritable({ ...clientOf(cluster), topic: target, batchSize: 100 }))

    expect(commits.length).to.be.greaterThan(0)
    for (const c of commits) expect(c.offset, `partition ${c.partition}`).to.be.at.most(c.deliveredPrefix)
    expect(Object.fromEntries(await committed(cluster, groupId, source))).to.deep.equal({ 0: 200, 1: 200, 2: 200 })
    const stored = await readWithKcat(cluster, target)
    expect(stored.map((r) => r.value).sort()).to.deep.equal(Array.from({ length: 600 }, (_, i) => `V${i}`).sort())
  })

  it('commits nothing of the source when the derived messages could not be stored', async () => {
    const source = await topicWith(1, 50)
    const groupId = uniqueName('etl')
    const reader = new KafkaReadable<string, string>({
      ...clientOf(cluster),
      groupId,
      topics: source,
      fromBeginning: true,
      commitInterval: 0,
      keyDeserializer: 'string',
      valueDeserializer: 'string',
    })
    const writer = new KafkaWritable({ ...clientOf(cluster), topic: uniqueName('missing') })
    const error = await pipeline(reader, upperCase(new Map()), writer).then(
      () => undefined,
      (err: Error & { code?: string }) => err,
    )
    expect(error?.code).to.equal('ERR_KAFKA_PIPE_TOPIC')
    expect((await committed(cluster, groupId, source)).get(0)).to.equal(-1)
  })
})
