import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { Kafka, logLevel } from 'kafkajs'
import { KafkaWritable } from '../../../lib'
import { startKafka, type KafkaCluster } from '../../../lib/testing'
import { createTopics, uniqueName } from '../cluster'
import { engineOptions, forEachEngine } from '../engines'
import { readWithKcat } from '../kcat'

forEachEngine((engine) => {
  describe(`KafkaWritable when a broker dies (integration, 3 nodes, ${engine} engine)`, function () {
    this.timeout(240_000)
    let cluster: KafkaCluster

    before(async function () {
      cluster = await startKafka({ ...(await engineOptions(engine)), brokers: 3, useEnvironment: false })
    })

    after(async () => cluster?.stop())

    it('retries through the leader change and loses nothing', async () => {
      const topic = uniqueName('failover')
      const kafka = new Kafka({ clientId: 'failover', brokers: cluster.brokers, logLevel: logLevel.NOTHING })
      const admin = kafka.admin()
      await admin.connect()
      await createTopics(cluster, [{ topic, numPartitions: 3, replicationFactor: 3 }])
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
      const victim = topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader
      await admin.disconnect()

      const total = 20_000
      const source = Readable.from(
        (async function* () {
          for (let i = 0; i < total; i++) {
            // Kill the leader of partition 0 a quarter of the way in, while writes are flowing.
            if (i === total / 4) await cluster.node(victim).kill()
            yield { key: `k${i}`, value: String(i) }
          }
        })(),
      )
      // The controller notices the dead broker after broker.session.timeout.ms (9 s): retry for longer than that.
      const writer = new KafkaWritable({
        kafka,
        topic,
        highWaterMark: 1000,
        maxAttempts: 20,
        backoff: 300,
        maxBackoff: 2000,
      })
      await pipeline(source, writer)

      const stored = new Set((await readWithKcat(cluster, topic)).map((r) => Number(r.value)))
      const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !stored.has(i))
      expect(missing, 'messages acknowledged but not stored').to.deep.equal([])
      await cluster.node(victim).start()
      await cluster.waitForBrokers(3)
    })
  })
})
