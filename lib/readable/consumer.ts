/** The kafkajs consumer behind a KafkaReadable, configured for the reader's mode and byte budget. */
import { randomUUID } from 'node:crypto'
import type { Consumer, Kafka } from 'kafkajs'
import type { ResolvedReadableOptions } from './options'
import { singlePartitionAssigner } from './partition-assigner'

/** Fetch sizes stay within the byte budget (Kafka still returns one record batch larger than the limit). */
const MAX_PARTITION_FETCH = 1024 * 1024
/** How long the broker holds a fetch without data (the Java client's fetch.max.wait.ms); also kafkajs' idle sleep. */
const MAX_WAIT = 500

export function createConsumer(kafka: Kafka, o: ResolvedReadableOptions): Consumer {
  const mode = o.mode
  return kafka.consumer({
    // A partition reader's group is its own and commits nothing (see partition-assigner.ts).
    groupId: mode.kind === 'group' ? mode.groupId : `kafka-pipe-partition-reader-${randomUUID()}`,
    ...(mode.kind === 'group'
      ? { sessionTimeout: mode.sessionTimeout, heartbeatInterval: mode.heartbeatInterval }
      : { partitionAssigners: [singlePartitionAssigner(mode.topic, mode.partition)] }),
    maxBytes: o.maxBufferedBytes,
    maxBytesPerPartition: Math.min(MAX_PARTITION_FETCH, o.maxBufferedBytes),
    maxWaitTimeInMs: MAX_WAIT,
    allowAutoTopicCreation: false,
  })
}
