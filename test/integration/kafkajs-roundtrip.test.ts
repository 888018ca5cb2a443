import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect } from 'chai'
import type { KafkaCluster } from '../../lib/testing'
import { consumeWithKafkajs, createTopics, kafkaFor, sharedCluster, uniqueName } from './cluster'
import { forEachEngine } from './engines'

const run = promisify(execFile)
const COUNT = 1000
const PARTITIONS = 6

interface Seen {
  partition: number
  offset: string
  key: string
  value: string
}

forEachEngine((engine) => {
  describe(`the test broker (integration, ${engine} engine)`, function () {
    this.timeout(180_000)
    let cluster: KafkaCluster
    let topic: string
    let cleanup: () => Promise<void>
    let produced: Map<string, number>

    before(async function () {
      cluster = await sharedCluster(engine)
      topic = uniqueName('roundtrip')
      cleanup = await createTopics(cluster, [{ topic, numPartitions: PARTITIONS }])

      // Idempotent: a retry on a cold broker must not add copies (kafkajs retries a whole request after a partition error).
      const producer = kafkaFor(cluster).producer({ idempotent: true, maxInFlightRequests: 1 })
      await producer.connect()
      const messages = Array.from({ length: COUNT }, (_, i) => ({ key: `key-${i}`, value: `value-${i}` }))
      const results = await producer.send({ topic, messages, acks: -1 })
      await producer.disconnect()
      produced = new Map(messages.map((m) => [m.key, -1]))
      expect(results.map((r) => r.partition).sort()).to.have.length.greaterThan(1)
    })

    after(async () => cleanup?.())

    it('kafkajs reads back 1,000 keyed messages from a 6-partition topic', async () => {
      const seen: Seen[] = (await consumeWithKafkajs(cluster, topic, COUNT)).map(({ partition, message }) => ({
        partition,
        offset: message.offset,
        key: String(message.key),
        value: String(message.value),
      }))
      expect(seen).to.have.length(COUNT)
      expect(new Set(seen.map((s) => s.key)).size).to.equal(COUNT)
      for (const s of seen) {
        expect(s.value).to.equal(s.key.replace('key', 'value'))
        produced.set(s.key, s.partition)
      }
      expect(new Set(seen.map((s) => s.partition)).size).to.equal(PARTITIONS)
    })

    it('kcat, a librdkafka client, reads the same messages on the same partitions', async () => {
      const { stdout } = await run(
        'kcat',
        ['-b', cluster.brokers.join(','), '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p\t%k\t%s\n'],
        { maxBuffer: 16 * 1024 * 1024 },
      )
      const lines = stdout.trim().split('\n')
      expect(lines).to.have.length(COUNT)
      for (const line of lines) {
        const [partition, key, value] = line.split('\t')
        expect(value).to.equal(key!.replace('key', 'value'))
        expect(Number(partition)).to.equal(produced.get(key!))
      }
    })
  })
})
