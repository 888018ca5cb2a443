import { CRC32Balancer, Hash, KafkaWritable, type Message } from 'kafka-pipe'

// Same partitions as a librdkafka producer with partitioner=consistent_random:
export const likeLibrdkafka = new KafkaWritable({ brokers: ['localhost:9092'], topic: 'events', balancer: new CRC32Balancer() })

// Same partitions as sarama's NewHashPartitioner:
export const likeSarama = new KafkaWritable({ brokers: ['localhost:9092'], topic: 'events', balancer: new Hash() })

// Any function works too; it must return one of the partitions it is given.
export const byTenant = new KafkaWritable({
  brokers: ['localhost:9092'],
  topic: 'events',
  balancer: (msg: Message, partitions: readonly number[]) => partitions[String(msg.key).length % partitions.length]!,
})
