/*
 * An option value the schema accepts must work: the edges of the reader's ranges on the real broker.
 * test/options/probe.test.ts lists which probe values each option accepts.
 */
import { expect } from 'chai'
import { KafkaReadable, type ConsumedMessage } from '../../../lib/readable'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, useSharedCluster } from '../cluster'
import { committed, numberedTopic } from './helpers'

const INT32_MAX = 2 ** 31 - 1

describe('KafkaReadable at the edges of its options (integration)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))

  async function readAll(reader: KafkaReadable<string>): Promise<string[]> {
    const values: string[] = []
    for await (const m of reader as AsyncIterable<ConsumedMessage<string>>) {
      values.push(m.value)
      m.ack()
    }
    return values.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
  }

  const expected = (count: number) => Array.from({ length: count }, (_, i) => `v${i}`)

  it('a group with the largest buffers and timeouts and commits at once: reads all, commits all', async () => {
    const topic = await numberedTopic(suite, 3, 300, 'edges')
    const groupId = `edges-${topic}`
    const reader = new KafkaReadable<string>({
      ...clientOf(cluster),
      groupId,
      topics: topic,
      fromBeginning: true,
      until: 'latest',
      valueDeserializer: 'string',
      highWaterMark: Number.MAX_SAFE_INTEGER,
      maxBufferedBytes: INT32_MAX,
      commitInterval: 0,
      closeTimeout: INT32_MAX,
      requestTimeout: INT32_MAX,
      connectionTimeout: INT32_MAX,
    })
    expect(await readAll(reader)).to.deep.equal(expected(300))
    expect([...(await committed(cluster, groupId, topic)).values()].reduce((a, b) => a + b, 0)).to.equal(300)
  })

  it('the smallest buffers (one message, one byte) and closeTimeout 0 still read everything', async () => {
    const topic = await numberedTopic(suite, 2, 100, 'edges')
    const reader = new KafkaReadable<string>({
      ...clientOf(cluster),
      groupId: `edges-${topic}`,
      topics: [topic],
      fromBeginning: true,
      until: 'latest',
      valueDeserializer: 'string',
      highWaterMark: 1,
      maxBufferedBytes: 1,
      closeTimeout: 0,
    })
    expect(await readAll(reader)).to.deep.equal(expected(100))
  })

  it('a partition reader from offset 0 with one-byte buffers', async () => {
    const topic = await numberedTopic(suite, 1, 20, 'edges')
    const reader = new KafkaReadable<string>({ ...clientOf(cluster), topic, partition: 0, offset: 0, until: 'latest', valueDeserializer: 'string', maxBufferedBytes: 1 })
    expect(await readAll(reader)).to.deep.equal(expected(20))
  })
})
