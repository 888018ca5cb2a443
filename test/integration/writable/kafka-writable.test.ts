import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { KafkaWritable, Murmur2Balancer, type DeliveryReport, type Message } from '../../../lib'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, deleteTopics, uniqueName, useSharedCluster, withAdmin } from '../cluster'
import { readWithKcat } from '../kcat'

async function storedCount(cluster: KafkaCluster, topic: string): Promise<number> {
  const offsets = await withAdmin(cluster, (admin) => admin.fetchTopicOffsets(topic))
  return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)
}

/** storedCount, or -1 while the broker is still taking up leadership of a new topic's partitions (a retriable answer). */
async function storedCountSoFar(cluster: KafkaCluster, topic: string): Promise<number> {
  return storedCount(cluster, topic).catch((err: { retriable?: boolean }) => {
    if (err.retriable) return -1
    throw err
  })
}

describe('KafkaWritable (integration)', function () {
  this.timeout(180_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))
  const topicWith = (partitions: number) => suite.topic({ partitions, prefix: 'writable' })

  it('writes 100,000 keyed messages through pipeline() onto the partitions Murmur2 names, in order, exactly once', async () => {
    const topic = await topicWith(6)
    const count = 100_000
    const writer = new KafkaWritable({ ...clientOf(cluster), topic })
    const reports: DeliveryReport[] = []
    writer.on('delivery', (r: DeliveryReport) => reports.push(r))
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < count; i++) yield { key: `user-${i % 5000}`, value: { seq: i } }
        })(),
      ),
      writer,
    )
    expect(reports.reduce((n, r) => n + r.count, 0)).to.equal(count)

    const records = await readWithKcat(cluster, topic)
    expect(records).to.have.length(count)
    const balancer = new Murmur2Balancer()
    const partitions = [0, 1, 2, 3, 4, 5]
    const seen = new Set<number>()
    const lastSeq = new Map<number, number>()
    for (const r of records) {
      const { seq } = JSON.parse(r.value) as { seq: number }
      expect(seen.has(seq), `seq ${seq} twice`).to.equal(false)
      seen.add(seq)
      expect(r.partition).to.equal(balancer.balance({ key: r.key, value: null }, partitions))
      expect(seq).to.be.greaterThan(lastSeq.get(r.partition) ?? -1)
      lastSeq.set(r.partition, seq)
    }
    expect(seen.size).to.equal(count)
  })

  it('writes to several topics named on the messages', async () => {
    const [a, b] = [await topicWith(2), await topicWith(3)]
    const messages: Message[] = Array.from({ length: 200 }, (_, i) => ({ topic: i % 2 ? a : b, key: `k${i}`, value: `v${i}` }))
    await pipeline(Readable.from(messages), new KafkaWritable({ ...clientOf(cluster) }))
    expect((await readWithKcat(cluster, a)).map((r) => r.value).sort()).to.deep.equal(messages.filter((m) => m.topic === a).map((m) => m.value).sort())
    expect(await readWithKcat(cluster, b)).to.have.length(100)
  })

  it('does not create a missing topic unless allowAutoTopicCreation is set, and says so', async () => {
    const topic = uniqueName('missing')
    const err = await pipeline(Readable.from([{ key: 'k', value: 'v' }]), new KafkaWritable({ ...clientOf(cluster), topic })).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    )
    expect(err?.code).to.equal('ERR_KAFKA_PIPE_TOPIC')
    expect(err?.message).to.contain(`topic "${topic}" does not exist`).and.contain('allowAutoTopicCreation: true')
    const topics = await withAdmin(cluster, (admin) => admin.listTopics())
    expect(topics).not.to.include(topic)

    await pipeline(Readable.from([{ key: 'k', value: 'v' }]), new KafkaWritable({ ...clientOf(cluster), topic, allowAutoTopicCreation: true }))
    suite.defer(() => deleteTopics(cluster, [topic]))
    expect(await readWithKcat(cluster, topic)).to.deep.equal([{ partition: 0, offset: 0, key: 'k', value: 'v' }])
  })

  for (const requiredAcks of ['all', 'leader', 'none'] as const) {
    it(`delivers with requiredAcks: '${requiredAcks}'`, async () => {
      const topic = await topicWith(3)
      // A broker silently drops acks-0 writes to a partition whose leadership it is still taking up: one acknowledged
      // message per partition first makes sure the partitions are ready, so the test measures the writer, not that race.
      const warmUp = [0, 1, 2].map((partition) => ({ partition, value: 'warm-up' }))
      await pipeline(Readable.from(warmUp), new KafkaWritable({ ...clientOf(cluster), topic }))
      const writer = new KafkaWritable({ ...clientOf(cluster), topic, requiredAcks })
      const reports: DeliveryReport[] = []
      writer.on('delivery', (r: DeliveryReport) => reports.push(r))
      await pipeline(Readable.from(Array.from({ length: 1000 }, (_, i) => ({ key: `${i}`, value: `${i}` }))), writer)
      expect(reports.reduce((n, r) => n + r.count, 0)).to.equal(1000)
      if (requiredAcks === 'none') {
        expect(reports.every((r) => r.baseOffset === null)).to.equal(true)
        // Nobody tells a requiredAcks 'none' writer when the data is stored: read until it is there.
        while ((await storedCountSoFar(cluster, topic)) < 1003) await new Promise((r) => setImmediate(r))
      } else {
        expect(reports.every((r) => typeof r.baseOffset === 'string')).to.equal(true)
      }
      expect(await storedCount(cluster, topic)).to.equal(1003)
    })
  }

  it('finishes with metadataMaxAge 0, refreshing metadata in the background instead of waiting for it', async () => {
    const topic = await topicWith(2)
    await pipeline(
      Readable.from(Array.from({ length: 2000 }, (_, i) => ({ key: `${i}`, value: `${i}` }))),
      new KafkaWritable({ ...clientOf(cluster), topic, metadataMaxAge: 0, highWaterMark: 100 }),
    )
    expect(await storedCount(cluster, topic)).to.equal(2000)
  })

  it('writes with the idempotent producer', async () => {
    const topic = await topicWith(3)
    await pipeline(
      Readable.from(Array.from({ length: 3000 }, (_, i) => ({ key: `${i}`, value: `${i}` }))),
      new KafkaWritable({ ...clientOf(cluster), topic, idempotent: true }),
    )
    const values = (await readWithKcat(cluster, topic)).map((r) => Number(r.value)).sort((a, b) => a - b)
    expect(values).to.deep.equal(Array.from({ length: 3000 }, (_, i) => i))
  })

  it('in async mode calls back on enqueue and still stores everything by finish', async () => {
    const topic = await topicWith(4)
    await pipeline(
      Readable.from(Array.from({ length: 20_000 }, (_, i) => ({ key: `${i}`, value: `${i}` }))),
      new KafkaWritable({ ...clientOf(cluster), topic, async: true, maxBufferedMessages: 2000 }),
    )
    expect(await storedCount(cluster, topic)).to.equal(20_000)
  })

  it("calls a message's ack() only after the broker stored it", async () => {
    const topic = await topicWith(1)
    const acked: number[] = []
    const writer = new KafkaWritable({ ...clientOf(cluster), topic })
    let stored = 0
    writer.on('delivery', (r: DeliveryReport) => (stored += r.count))
    await pipeline(
      Readable.from(
        Array.from({ length: 50 }, (_, i) => ({
          value: `${i}`,
          ack: () => {
            expect(stored, 'acked before the delivery report').to.be.greaterThan(i)
            acked.push(i)
          },
        })),
      ),
      writer,
    )
    expect(acked).to.deep.equal(Array.from({ length: 50 }, (_, i) => i))
  })

  describe('bad input', () => {
    async function failure(messages: unknown[], options: Record<string, unknown> = {}): Promise<Error & { code?: string }> {
      const writer = new KafkaWritable<unknown>({ ...clientOf(cluster), ...options })
      return pipeline(Readable.from(messages), writer).then(
        () => {
          throw new Error('the pipeline should have failed')
        },
        (e: Error) => e,
      )
    }

    it('delivers the messages written before a bad one, then fails with a clear error', async () => {
      const topic = await topicWith(2)
      const circular: Record<string, unknown> = {}
      circular.self = circular
      const good = Array.from({ length: 10 }, (_, i) => ({ key: `${i}`, value: `${i}` }))
      const err = await failure([...good, { key: 'bad', value: circular }, { key: 'after', value: 'x' }], { topic })
      expect(err.code).to.equal('ERR_KAFKA_PIPE_SERIALIZE')
      expect(err.message).to.match(/circular/i)
      const stored = await readWithKcat(cluster, topic)
      expect(stored.map((r) => r.key).sort()).to.deep.equal(good.map((m) => m.key).sort())
    })

    it('rejects BigInt values, oversized messages and topics given twice or not at all', async () => {
      const topic = await topicWith(1)
      expect((await failure([{ value: 10n }], { topic })).code).to.equal('ERR_KAFKA_PIPE_SERIALIZE')
      const big = await failure([{ value: Buffer.alloc(2000) }], { topic, batchBytes: 1000 })
      expect(big.code).to.equal('ERR_KAFKA_PIPE_MESSAGE_TOO_LARGE')
      expect(big.message).to.contain('batchBytes')
      expect((await failure([{ topic, value: 'x' }], { topic })).message).to.contain('set the topic in one place only')
      expect((await failure([{ value: 'x' }])).message).to.contain('set the "topic" option or message.topic')
      expect(await readWithKcat(cluster, topic)).to.deep.equal([])
    })

    it('rejects a message larger than the broker accepts with the broker error, naming the batch', async () => {
      const topic = await suite.topic({ prefix: 'small', configEntries: [{ name: 'max.message.bytes', value: '2000' }] })
      const err = await failure([{ value: Buffer.alloc(5000, 1) }], { topic, maxAttempts: 1 })
      expect(err.code).to.equal('ERR_KAFKA_PIPE_DELIVERY')
      expect(err.message).to.contain(`${topic}[0] (1)`)
    })

    it('rejects a balancer that returns something that is not a partition', async () => {
      const topic = await topicWith(3)
      const err = await failure([{ value: 'x' }], { topic, balancer: () => 7 })
      expect(err.code).to.equal('ERR_KAFKA_PIPE_INVALID_MESSAGE')
      expect(err.message).to.contain('returned 7').and.contain('0, 1, 2')
    })
  })
})
