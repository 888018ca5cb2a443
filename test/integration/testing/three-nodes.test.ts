import { expect } from 'chai'
import { Kafka, logLevel } from 'kafkajs'
import { startKafka, type KafkaCluster } from '../../../lib/testing'
import { createTopics, uniqueName } from '../cluster'
import { engineOptions, forEachEngine } from '../engines'

forEachEngine((engine) => {
  describe(`startKafka({ brokers: 3 }) (integration, ${engine} engine)`, function () {
    this.timeout(240_000)
    let cluster: KafkaCluster

    before(async function () {
      cluster = await startKafka({ ...(await engineOptions(engine)), brokers: 3, useEnvironment: false })
    })

    after(async () => cluster?.stop())

    it('runs three brokers that accept a topic with replication factor 3', async () => {
      expect(cluster.brokers).to.have.length(3)
      const kafka = new Kafka({ clientId: 'three-nodes', brokers: cluster.brokers, logLevel: logLevel.NOTHING })
      const admin = kafka.admin()
      await admin.connect()
      try {
        const topic = uniqueName('replicated')
        await createTopics(cluster, [{ topic, numPartitions: 3, replicationFactor: 3 }])
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
        for (const partition of topics[0]!.partitions) {
          expect(partition.replicas).to.have.members([1, 2, 3])
        }
      } finally {
        await admin.disconnect()
      }
    })

    it('keeps serving a replicated topic while one broker is down, and takes the broker back', async () => {
      // The controller notices the dead broker only after broker.session.timeout.ms (9 s): retry for longer than that.
      const retry = { initialRetryTime: 300, retries: 12, maxRetryTime: 2000 }
      const kafka = new Kafka({ clientId: 'three-nodes', brokers: cluster.brokers, logLevel: logLevel.NOTHING, retry })
      const admin = kafka.admin()
      const producer = kafka.producer()
      await admin.connect()
      await producer.connect()
      try {
        const topic = uniqueName('failover')
        await createTopics(cluster, [{ topic, numPartitions: 3, replicationFactor: 3 }])

        await cluster.node(2).kill()
        expect(cluster.node(2).running).to.equal(false)
        const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }))
        await producer.send({ topic, messages, acks: -1 })

        await cluster.node(2).start()
        await cluster.waitForBrokers(3)
        const offsets = await admin.fetchTopicOffsets(topic)
        expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).to.equal(30)
      } finally {
        await producer.disconnect()
        await admin.disconnect()
      }
    })
  })
})
