/**
 * The part of kafkajs' public API that the rest of kafka-pipe uses, re-exported: lib/kafka is the one folder that
 * depends on kafkajs (DESIGN.md), so what an upgrade of kafkajs could break is listed here and in
 * kafkajs-internals.ts, and nowhere else.
 */
export {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  AssignerProtocol,
  CompressionCodecs,
  CompressionTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs'
export type {
  AclEntry,
  Admin,
  Consumer,
  ConsumerConfig,
  EachBatchPayload,
  IHeaders,
  IMemberAssignment,
  KafkaMessage,
  logCreator,
  PartitionAssigner,
} from 'kafkajs'
