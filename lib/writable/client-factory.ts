import type { Kafka } from '../kafka/kafkajs'
import { KafkaProduceClient, type KafkaProduceClientOptions, type ProduceClient } from './produce-client'

/**
 * How a KafkaWritable gets its ProduceClient. The unit tests replace `create` to put a hand-written client in
 * its place (test/writable/fake-produce-client.ts); not part of the public API.
 */
export const produceClientFactory = {
  create(kafka: Kafka, options: KafkaProduceClientOptions): ProduceClient {
    return new KafkaProduceClient(kafka, options)
  },
}
