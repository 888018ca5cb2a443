/*
 * Watching a cluster's partitions while brokers go down and come back: wait on what the metadata says (leaders,
 * in-sync replicas), polled, never for a fixed time.
 */
import { Kafka, logLevel, type Admin, type PartitionMetadata } from 'kafkajs'
import type { KafkaCluster } from '../../../lib/testing'

/** An admin client that gives up quickly on a broker that is down: the polls below retry by themselves. */
export async function watchAdmin(cluster: KafkaCluster): Promise<Admin> {
  const admin = new Kafka({
    clientId: 'replica-watch',
    brokers: cluster.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  }).admin()
  await admin.connect()
  return admin
}

/** Polls `topic`'s partitions every 250 ms until `done` holds for all of them, or fails after `timeoutMs`. */
export async function waitForPartitions(
  admin: Admin,
  topic: string,
  what: string,
  done: (partition: PartitionMetadata) => boolean,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'no metadata yet'
  while (Date.now() < deadline) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] })
      const partitions = topics[0]?.partitions ?? []
      if (partitions.length > 0 && partitions.every(done)) return
      last = JSON.stringify(partitions.map((p) => ({ p: p.partitionId, leader: p.leader, isr: p.isr })))
    } catch (err) {
      // A broker going down or coming back: ask again.
      last = err instanceof Error ? err.message : String(err)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${topic}: ${what} did not happen within ${timeoutMs} ms; last seen: ${last}`)
}

/** Until no partition of `topic` is led by `nodeId` (after it stopped, its leaderships have moved). */
export function waitForLeadersOff(admin: Admin, topic: string, nodeId: number): Promise<void> {
  return waitForPartitions(admin, topic, `leadership moving off broker ${nodeId}`, (p) => p.leader !== nodeId && p.leader >= 0)
}

/** Until every partition of `topic` has all `replicas` replicas in sync again. */
export function waitForInSync(admin: Admin, topic: string, replicas: number): Promise<void> {
  return waitForPartitions(admin, topic, `all ${replicas} replicas back in sync`, (p) => p.isr.length === replicas && p.leader >= 0)
}
