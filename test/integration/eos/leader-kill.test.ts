import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { Kafka, logLevel } from 'kafkajs'
import { KafkaReadable, KafkaWritable, type ConsumedMessage, type KafkaPipeError, type Message } from '../../../lib'
import { startKafka, type KafkaCluster } from '../../../lib/testing'
import { createTopics, uniqueName } from '../cluster'
import { produce, numbered } from '../readable/helpers'

const TOTAL = 20_000
const PARTITIONS = 3

/** A source of `count` numbered messages and a target, both replicated on every node; returns the node that leads target partition 0. */
async function topicsWithVictim(cluster: KafkaCluster, kafka: Kafka, source: string, target: string, count: number): Promise<number> {
  await createTopics(cluster, [
    { topic: source, numPartitions: PARTITIONS, replicationFactor: 3 },
    { topic: target, numPartitions: PARTITIONS, replicationFactor: 3 },
  ])
  await produce(cluster, source, numbered(count, PARTITIONS))
  const admin = kafka.admin()
  await admin.connect()
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [target] })
    return topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader
  } finally {
    await admin.disconnect()
  }
}

/** The target, read with read_committed, holds the copy ("partition:offset") of each of the `count` source messages once. */
async function expectExactlyOnce(kafka: Kafka, target: string, count: number): Promise<void> {
  const check = new KafkaReadable<string>({ kafka, groupId: uniqueName('check'), topics: target, fromBeginning: true, until: 'latest', valueDeserializer: 'string' })
  const counts = new Map<string, number>()
  for await (const m of check) {
    counts.set(m.value, (counts.get(m.value) ?? 0) + 1)
    m.ack()
  }
  const expected = numbered(count, PARTITIONS).map((_, i) => `${i % PARTITIONS}:${Math.floor(i / PARTITIONS)}`)
  expect(expected.filter((v) => !counts.has(v)), 'missing').to.deep.equal([])
  expect([...counts].filter(([, n]) => n > 1), 'duplicated').to.deep.equal([])
  expect(counts.size).to.equal(count)
}

describe('exactly-once copy when a leader dies mid-transaction (integration, 3 nodes)', function () {
  this.timeout(300_000)
  let cluster: KafkaCluster

  before(async function () {
    cluster = await startKafka({ brokers: 3, useEnvironment: false })
  })

  after(async () => cluster?.stop())

  it('copies every message exactly once through the leader change', async () => {
    const source = uniqueName('eos-kill-source')
    const target = uniqueName('eos-kill-target')
    const kafka = new Kafka({ clientId: 'eos-kill', brokers: cluster.brokers, logLevel: logLevel.NOTHING })
    const victim = await topicsWithVictim(cluster, kafka, source, target, TOTAL)

    const id = uniqueName('eos-kill')
    const groupId = uniqueName('eos-kill')
    let seen = 0
    let killed = false
    const aborted: string[] = []
    // What a supervisor does: a run that failed with a retriable error (an aborted transaction) starts again, from
    // the last committed source offsets.
    for (let run = 0; ; run++) {
      expect(run, `runs (aborted: ${aborted.join('; ')})`).to.be.lessThan(5)
      const reader = new KafkaReadable<string, string>({
        kafka,
        groupId,
        topics: source,
        fromBeginning: true,
        until: 'latest',
        transactionalId: id,
        keyDeserializer: 'string',
        valueDeserializer: 'string',
      })
      const map = new Transform({
        objectMode: true,
        transform(m: ConsumedMessage<string, string>, _encoding, callback) {
          // Kill the leader of target partition 0 a quarter of the way in, with a transaction open.
          if (++seen === TOTAL / 4 && !killed) {
            killed = true
            void cluster.node(victim).kill()
          }
          callback(null, { key: m.key, value: `${m.partition}:${m.offset}`, ack: m.ack } satisfies Message)
        },
      })
      const writer = new KafkaWritable({ kafka, topic: target, transactionalId: id, backoff: 300, maxBackoff: 2000 })
      try {
        await pipeline(reader, map, writer)
        break
      } catch (err) {
        if ((err as KafkaPipeError).retriable !== true) throw err
        aborted.push((err as Error).message)
      }
    }
    expect(killed).to.equal(true)
    if (aborted.length > 0) console.log(`      runs aborted and started again: ${aborted.length} (${aborted[0]})`)

    await expectExactlyOnce(kafka, target, TOTAL)
    cluster.node(victim).start()
    await cluster.waitForBrokers(3)
  })
})
