/** Offsets a reader asks the cluster for: where to start, where `until` ends, where a group resumes. */
import type { Admin } from '../kafka/kafkajs'
import { TopicError } from '../errors'
import { fromKafkajs } from '../kafka/kafkajs-error'
import type { PartitionMode } from './options'
import type { Assignment } from './progress'

/** Offsets of one topic's partitions. */
export type PartitionOffsets = Map<number, bigint>

/**
 * Low and high watermarks of every partition of `topic`; a TopicError when the topic does not exist. The metadata
 * comes first: kafkajs answers a missing topic there at once, while its offsets lookup retries one for seconds.
 */
async function watermarks(admin: Admin, topic: string): Promise<Map<number, { low: bigint; high: bigint }>> {
  try {
    await admin.fetchTopicMetadata({ topics: [topic] })
    const offsets = await admin.fetchTopicOffsets(topic)
    return new Map(offsets.map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }]))
  } catch (err) {
    const typed = fromKafkajs(err, `reading the offsets of topic "${topic}"`)
    if ((typed as { kafkaError?: string }).kafkaError !== 'UNKNOWN_TOPIC_OR_PARTITION') throw typed
    throw new TopicError(`topic "${topic}" does not exist: create it first (a KafkaReadable creates none)`, topic, { cause: err })
  }
}

/** The first offset at or after `time` per partition, or the high watermark where no message is that recent. */
async function offsetsAt(admin: Admin, topic: string, time: Date): Promise<PartitionOffsets> {
  const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, time.getTime()).catch((err: unknown) => {
    throw fromKafkajs(err, `reading the offsets of topic "${topic}" at ${time.toISOString()}`)
  })
  return new Map(offsets.map((p) => [p.partition, BigInt(p.offset)]))
}

/** Where a partition reader starts. */
export async function partitionStart(admin: Admin, mode: PartitionMode): Promise<bigint> {
  const { topic, partition, offset } = mode
  const marks = (await watermarks(admin, topic)).get(partition)
  if (marks === undefined) {
    throw new TopicError(`topic "${topic}" has no partition ${partition}; check the "partition" option`, topic)
  }
  if (offset === 'earliest') return marks.low
  if (offset === 'latest') return marks.high
  if (offset instanceof Date) return (await offsetsAt(admin, topic, offset)).get(partition) ?? marks.high
  return offset
}

/** The offsets at which `until` ends each partition of `topic`. */
export async function endOffsets(admin: Admin, topic: string, until: 'latest' | Date): Promise<PartitionOffsets> {
  if (until === 'latest') {
    const marks = await watermarks(admin, topic)
    return new Map([...marks].map(([partition, { high }]) => [partition, high]))
  }
  return offsetsAt(admin, topic, until)
}

/** Where a group resumes each assigned partition: its committed offset, else earliest or latest. */
export async function groupStarts(
  admin: Admin,
  groupId: string,
  assignment: readonly Assignment[],
  fromBeginning: boolean,
): Promise<Map<string, PartitionOffsets>> {
  const result = new Map<string, PartitionOffsets>()
  if (assignment.length === 0) return result
  // Watermarks first: they load the cluster metadata into the admin client, without which its first group
  // coordinator lookup (in fetchOffsets) finds no broker and retries after kafkajs' backoff of about 300 ms.
  const marksByTopic = new Map(await Promise.all(assignment.map(async ({ topic }) => [topic, await watermarks(admin, topic)] as const)))
  const committed = await admin.fetchOffsets({ groupId, topics: assignment.map((a) => a.topic) }).catch((err: unknown) => {
    throw fromKafkajs(err, `reading the committed offsets of group "${groupId}"`)
  })
  for (const { topic, partitions } of committed) {
    const marks = marksByTopic.get(topic)
    const starts: PartitionOffsets = new Map()
    for (const { partition, offset } of partitions) {
      const mark = marks?.get(partition)
      const reset = fromBeginning ? mark?.low : mark?.high
      const value = BigInt(offset)
      if (value >= 0n) starts.set(partition, value)
      else if (reset !== undefined) starts.set(partition, reset)
    }
    result.set(topic, starts)
  }
  return result
}
