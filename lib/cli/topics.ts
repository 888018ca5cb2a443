import type { Admin } from '../kafka/kafkajs'
import { kafkaClient } from '../kafka/client-options'
import { fromKafkajs } from '../kafka/kafkajs-error'
import { clientOptions } from './brokers'
import { CliError, ExitCode, type ExitCodeValue } from './exit-codes'
import type { CliIO } from './io'
import { topicsCreateOptions, topicsDescribeOptions, topicsListOptions, type TopicsListOptions } from './topics-options'

/** `kafka-pipe topics list`: every topic name of the cluster, sorted, one per line. */
export async function topicsList(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  const o = topicsListOptions(argv, io.env)
  const names = await withAdmin(o, (admin) => admin.listTopics())
  io.stdout.write(names.sort().map((name) => `${name}\n`).join(''))
  return ExitCode.ok
}

/** `kafka-pipe topics create`: creates a topic and waits until its partitions have leaders. */
export async function topicsCreate(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  const o = topicsCreateOptions(argv, io.env)
  const created = await withAdmin(o, (admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: o.topic,
          ...(o.partitions === undefined ? {} : { numPartitions: o.partitions }),
          ...(o.replicationFactor === undefined ? {} : { replicationFactor: o.replicationFactor }),
          configEntries: o.configEntries,
        },
      ],
    }),
  )
  if (!created) throw new CliError(ExitCode.failure, `topics create: topic ${JSON.stringify(o.topic)} already exists`)
  return ExitCode.ok
}

/**
 * `kafka-pipe topics describe`: one NDJSON line per partition: `{ topic, partition, leader, replicas, isr,
 * earliest, latest }` (offsets as numbers); with `--group`, also `group`, its `committed` offset and `lag`
 * (latest - committed), both null where the group committed nothing.
 */
export async function topicsDescribe(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  const o = topicsDescribeOptions(argv, io.env)
  const lines = await withAdmin(o, async (admin) => {
    const names = await admin.listTopics()
    if (!names.includes(o.topic)) throw new CliError(ExitCode.failure, `topics describe: no topic ${JSON.stringify(o.topic)} on the cluster`)
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [o.topic] })).topics
    const offsets = new Map((await admin.fetchTopicOffsets(o.topic)).map((p) => [p.partition, p]))
    const committed = o.group === undefined ? undefined : await committedOffsets(admin, o.group, o.topic)
    return metadata!.partitions
      .sort((a, b) => a.partitionId - b.partitionId)
      .map((p) => {
        const at = offsets.get(p.partitionId)
        const line =
          `{"topic":${JSON.stringify(o.topic)},"partition":${p.partitionId},"leader":${p.leader},"replicas":${JSON.stringify(p.replicas)},` +
          `"isr":${JSON.stringify(p.isr)},"earliest":${at?.low ?? 'null'},"latest":${at?.high ?? 'null'}`
        if (committed === undefined) return `${line}}\n`
        const offset = committed.get(p.partitionId)
        const lag = offset === undefined || at === undefined ? 'null' : String(BigInt(at.high) - offset)
        return `${line},"group":${JSON.stringify(o.group)},"committed":${offset ?? 'null'},"lag":${lag}}\n`
      })
  })
  io.stdout.write(lines.join(''))
  return ExitCode.ok
}

/** The group's committed offset of each partition of `topic` that has one (Kafka says -1 for none). */
async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, bigint>> {
  const [topicOffsets] = await admin.fetchOffsets({ groupId, topics: [topic] })
  const committed = new Map<number, bigint>()
  for (const { partition, offset } of topicOffsets?.partitions ?? []) if (BigInt(offset) >= 0n) committed.set(partition, BigInt(offset))
  return committed
}

async function withAdmin<T>(o: TopicsListOptions, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafkaClient(clientOptions(o.brokers, o.security, o.debug)).admin()
  try {
    await admin.connect()
    return await work(admin)
  } catch (err) {
    // kafkajs' own errors say what failed, not which setting to check; the typed ones do.
    throw err instanceof CliError ? err : fromKafkajs(err, `talking to Kafka at ${o.brokers.join(',')}`)
  } finally {
    await admin.disconnect()
  }
}
