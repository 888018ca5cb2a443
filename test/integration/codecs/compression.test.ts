import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { expect } from 'chai'
import { KafkaWritable, registerCodecs, type CompressionName } from '../../../lib'
import type { KafkaCluster } from '../../../lib/testing'
import { clientOf, consumeWithKafkajs, useSharedCluster } from '../cluster'
import { produceWithKcat, readWithKcat } from '../kcat'

const COUNT = 500
const codecs: CompressionName[] = ['gzip', 'snappy', 'lz4', 'zstd']

/** Reads `count` messages of `topic` with a raw kafkajs consumer (codecs registered as a kafka-pipe process has them). */
async function readWithKafkajs(cluster: KafkaCluster, topic: string, count: number): Promise<Array<{ key: string; value: string }>> {
  registerCodecs()
  const seen = await consumeWithKafkajs(cluster, topic, count)
  return seen.map(({ message }) => ({ key: String(message.key), value: String(message.value) }))
}

describe('compression codecs against librdkafka (kcat) (integration)', function () {
  this.timeout(120_000)
  const suite = useSharedCluster()
  let cluster: KafkaCluster
  before(() => (cluster = suite.cluster))
  // Repetitive values, so that every codec really compresses.
  const values = Array.from({ length: COUNT }, (_, i) => `value-${i}-${'abcdefgh'.repeat(20)}`)

  for (const codec of codecs) {
    it(`${codec}: kcat reads what KafkaWritable wrote`, async () => {
      const topic = await suite.topic({ partitions: 2, prefix: `to-kcat-${codec}` })
      await pipeline(
        Readable.from(values.map((value, i) => ({ key: `k${i}`, value }))),
        new KafkaWritable({ ...clientOf(cluster), topic, compression: codec }),
      )
      const records = await readWithKcat(cluster, topic)
      expect(records.map((r) => r.value).sort()).to.deep.equal([...values].sort())
    })

    it(`${codec}: kafkajs with our codecs reads what kcat wrote`, async () => {
      const topic = await suite.topic({ prefix: `from-kcat-${codec}` })
      await produceWithKcat(cluster, topic, values.map((v, i) => `k${i}\t${v}`), codec)
      const seen = await readWithKafkajs(cluster, topic, COUNT)
      expect(seen.map((m) => m.value)).to.deep.equal(values)
      expect(seen.map((m) => m.key)).to.deep.equal(values.map((_, i) => `k${i}`))
    })
  }
})
