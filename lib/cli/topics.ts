import type { Admin } from 'kafkajs'
import { kafkaClient } from '../kafka/client-options'
import { clientOptions } from './brokers'
import { CliError, ExitCode, type ExitCodeValue } from './exit-codes'
import type { CliIO } from './io'
import { topicsCreateOptions, topicsDescribeOptions, topicsListOptions } from './topics-options'

/** `kafka-pipe topics list`: every topic name of the cluster, sorted, one per line. */
export async function topicsList(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  const o = topicsListOptions(argv, io.env)
  const names = await withAdmin(o.brokers, o.debug, (admin) => admin.listTopics())
  io.stdout.write(names.sort().map((name) => `${name}\n`).join(''))
  return ExitCode.ok
}

/** `kafka-pipe topics create`: creates a topic and waits until its partitions have leaders. */
export async function topicsCreate(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  const o = topicsCreateOptions(argv, io.env)
  const created = await withAdmin(o.brokers, o.debug, (admin) =>
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
 * earliest, latest }` (offsets as numbers).
 */
export async function topicsDescribe(argv: string[], io: CliIO): Promise<ExitCodeValue> {
  const o = topicsDescribeOptions(argv, io.env)
  const lines = await withAdmin(o.brokers, o.debug, async (admin) => {
    const names = await admin.listTopics()
    if (!names.includes(o.topic)) throw new CliError(ExitCode.failure, `topics describe: no topic ${JSON.stringify(o.topic)} on the cluster`)
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [o.topic] })).topics
    const offsets = new Map((await admin.fetchTopicOffsets(o.topic)).map((p) => [p.partition, p]))
    return metadata!.partitions
      .sort((a, b) => a.partitionId - b.partitionId)
      .map((p) => {
        const at = offsets.get(p.partitionId)
        return `{"topic":${JSON.stringify(o.topic)},"partition":${p.partitionId},"leader":${p.leader},"replicas":${JSON.stringify(p.replicas)},` +
          `"isr":${JSON.stringify(p.isr)},"earliest":${at?.low ?? 'null'},"latest":${at?.high ?? 'null'}}\n`
      })
  })
  io.stdout.write(lines.join(''))
  return ExitCode.ok
}

async function withAdmin<T>(brokers: string[], debug: boolean, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafkaClient(clientOptions(brokers, debug)).admin()
  await admin.connect()
  try {
    return await work(admin)
  } finally {
    await admin.disconnect()
  }
}
