import { TestingError } from '../errors'
import { startContainerCluster } from './container-cluster'
import { startJvmCluster } from './jvm-cluster'
import type { KafkaCluster } from './kafka-cluster'
import { brokersFromEnvironment, resolveStartKafkaOptions, type StartKafkaOptions } from './options'
import { waitForBrokers } from './wait-for-brokers'

export type { KafkaCluster } from './kafka-cluster'

/**
 * Starts a real Apache Kafka cluster in KRaft mode and resolves once it answers metadata requests: local JVMs
 * (engine 'jvm', the default) or containers (engine 'container'). With KAFKA_BROKERS set, resolves with that
 * cluster instead.
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaCluster> {
  const o = resolveStartKafkaOptions(options)
  const fromEnvironment = o.useEnvironment ? brokersFromEnvironment() : undefined
  if (fromEnvironment && o.security) {
    throw new TestingError(
      'startKafka({ security }) makes its own listeners, certificates and users, which KAFKA_BROKERS cannot describe: ' +
        'pass useEnvironment: false to start a secured broker even where KAFKA_BROKERS is set',
    )
  }
  if (fromEnvironment) return externalCluster(fromEnvironment)
  return o.engine === 'container' ? startContainerCluster(o) : startJvmCluster(o)
}

function externalCluster(brokers: string[]): KafkaCluster {
  const cluster: KafkaCluster = {
    brokers,
    external: true,
    nodes: [],
    dataDir: undefined,
    security: undefined,
    stop: async () => {},
    node() {
      throw new TestingError('the cluster comes from KAFKA_BROKERS: its nodes cannot be stopped or restarted from here')
    },
    waitForBrokers: (count, timeoutMs = 60_000) => waitForBrokers(cluster, count, timeoutMs),
  }
  return cluster
}
