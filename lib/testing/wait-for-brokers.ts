import { Kafka, logLevel } from '../kafka/kafkajs'
import { TestingError } from '../errors'
import type { KafkaCluster } from './kafka-cluster'

/** Resolves once `count` brokers are registered and answer metadata requests; fails early if a running node exits. */
export async function waitForBrokers(cluster: KafkaCluster, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  const nodeExit = Promise.race(
    cluster.nodes.filter((n) => n.running).map(async (n) => {
      const code = await n.exited()
      return `broker ${n.nodeId} exited with code ${code} while starting`
    }),
  )
  let exitMessage: string | undefined
  void nodeExit.then((message) => (exitMessage = message))
  while (Date.now() < deadline) {
    if (exitMessage) throw new TestingError(exitMessage)
    const admin = new Kafka({
      clientId: 'kafka-pipe-testing',
      brokers: cluster.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      retry: { retries: 0 },
    }).admin()
    try {
      await admin.connect()
      const { brokers } = await admin.describeCluster()
      if (brokers.length >= count) return
      lastError = new Error(`${brokers.length} of ${count} brokers registered`)
    } catch (err) {
      lastError = err
    } finally {
      await admin.disconnect().catch(() => {})
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new TestingError(
    `the cluster did not answer metadata requests with ${count} broker(s) within ${timeoutMs} ms` +
      (lastError instanceof Error ? ` (last error: ${lastError.message})` : ''),
    lastError,
  )
}
