/** `kafka-pipe/testing`: a real Apache Kafka cluster for tests, benchmarks and demos, without Docker. */
export { startKafka, type KafkaCluster } from './cluster'
export { BrokerNode } from './broker-node'
export { DEFAULT_KAFKA_VERSION, brokersFromEnvironment, type StartKafkaOptions } from './options'
export { defaultSecurityOptions, type SecurityOptions } from './security-options'
export type { AclOperation, AclResource, ClientSettings, ClusterSecurity, SaslMechanism, SaslSettings, TlsSettings } from './cluster-security'
export { kafkaJars, defaultCacheDir } from './jars'
