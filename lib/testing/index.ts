/** `kafka-pipe/testing`: a real Apache Kafka cluster for tests, benchmarks and demos, as local JVMs (no Docker needed) or containers. */
export { startKafka, type KafkaCluster } from './cluster'
export { BrokerNode } from './broker-node'
export type { KafkaNode } from './kafka-node'
export { DEFAULT_KAFKA_VERSION, brokersFromEnvironment, type KafkaEngine, type StartKafkaOptions } from './options'
export { defaultSecurityOptions, type SecurityOptions } from './security-options'
export type { AclOperation, AclResource, ClientSettings, ClusterSecurity, SaslMechanism, SaslSettings, TlsSettings } from './cluster-security'
export { kafkaJars, defaultCacheDir } from './jars'
