/** The fetch settings both sources give their kafkajs consumer, within the reader's byte budget. */
import type { ConsumerConfig } from '../kafka/kafkajs'
import type { ResolvedReadableOptions } from './options'

/** Fetch sizes stay within the byte budget (Kafka still returns one record batch larger than the limit). */
const MAX_PARTITION_FETCH = 1024 * 1024
/** How long the broker holds a fetch without data (the Java client's fetch.max.wait.ms); also kafkajs' idle sleep. */
const MAX_WAIT = 500

export function fetchSettings(o: ResolvedReadableOptions): Omit<ConsumerConfig, 'groupId'> {
  return {
    maxBytes: o.maxBufferedBytes,
    maxBytesPerPartition: Math.min(MAX_PARTITION_FETCH, o.maxBufferedBytes),
    maxWaitTimeInMs: MAX_WAIT,
    allowAutoTopicCreation: false,
    readUncommitted: o.isolationLevel === 'read_uncommitted',
  }
}
