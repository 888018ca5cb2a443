/**
 * The broker's error codes that our requests and kafkajs' (metadata, groups, commits, SASL) can carry, with the names and the
 * retriable flag of the Java client's `org.apache.kafka.common.protocol.Errors`. A code missing here is
 * treated as not retriable and named by its number.
 */
export interface KafkaErrorCode {
  name: string
  retriable: boolean
  /** What the user can do about it, where there is something. */
  hint?: string
}

const table: Record<number, KafkaErrorCode> = {
  [-1]: { name: 'UNKNOWN_SERVER_ERROR', retriable: false },
  1: { name: 'OFFSET_OUT_OF_RANGE', retriable: false },
  2: { name: 'CORRUPT_MESSAGE', retriable: true },
  3: { name: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true },
  5: { name: 'LEADER_NOT_AVAILABLE', retriable: true },
  6: { name: 'NOT_LEADER_OR_FOLLOWER', retriable: true },
  7: { name: 'REQUEST_TIMED_OUT', retriable: true },
  8: { name: 'BROKER_NOT_AVAILABLE', retriable: false },
  9: { name: 'REPLICA_NOT_AVAILABLE', retriable: true },
  10: { name: 'MESSAGE_TOO_LARGE', retriable: false, hint: "raise the topic's max.message.bytes (and the broker's message.max.bytes), or lower batchBytes so batches stay under it" },
  13: { name: 'NETWORK_EXCEPTION', retriable: true },
  14: { name: 'COORDINATOR_LOAD_IN_PROGRESS', retriable: true },
  15: { name: 'COORDINATOR_NOT_AVAILABLE', retriable: true },
  16: { name: 'NOT_COORDINATOR', retriable: true },
  17: { name: 'INVALID_TOPIC_EXCEPTION', retriable: false, hint: "topic names are 1-249 characters of ASCII letters, digits, '.', '_' and '-'" },
  18: { name: 'RECORD_LIST_TOO_LARGE', retriable: false, hint: "lower batchBytes so that a batch fits the topic's max.message.bytes" },
  19: { name: 'NOT_ENOUGH_REPLICAS', retriable: true },
  20: { name: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', retriable: true },
  21: { name: 'INVALID_REQUIRED_ACKS', retriable: false, hint: "use requiredAcks 'all', 'leader' or 'none'" },
  22: { name: 'ILLEGAL_GENERATION', retriable: false },
  24: { name: 'INVALID_GROUP_ID', retriable: false, hint: 'give a non-empty groupId' },
  25: { name: 'UNKNOWN_MEMBER_ID', retriable: false },
  26: { name: 'INVALID_SESSION_TIMEOUT', retriable: false, hint: "sessionTimeout must lie within the broker's group.min.session.timeout.ms and group.max.session.timeout.ms" },
  27: { name: 'REBALANCE_IN_PROGRESS', retriable: false },
  29: { name: 'TOPIC_AUTHORIZATION_FAILED', retriable: false, hint: 'grant this user WRITE (to produce) or READ (to consume) on the topic with kafka-acls, or use a topic it is allowed' },
  30: { name: 'GROUP_AUTHORIZATION_FAILED', retriable: false, hint: 'grant this user READ on the group (kafka-acls --group), or use a group it may join' },
  31: { name: 'CLUSTER_AUTHORIZATION_FAILED', retriable: false, hint: 'the idempotent producer needs IDEMPOTENT_WRITE on the cluster: grant it, or pass idempotent: false' },
  32: { name: 'INVALID_TIMESTAMP', retriable: false, hint: "the topic's message.timestamp.*.ms settings reject this create time: fix the message timestamps or the topic config" },
  33: { name: 'UNSUPPORTED_SASL_MECHANISM', retriable: false, hint: "the broker does not enable this SASL mechanism: use one in its sasl.enabled.mechanisms" },
  34: { name: 'ILLEGAL_SASL_STATE', retriable: false },
  35: { name: 'UNSUPPORTED_VERSION', retriable: false },
  42: { name: 'INVALID_REQUEST', retriable: false },
  43: { name: 'UNSUPPORTED_FOR_MESSAGE_FORMAT', retriable: false },
  44: { name: 'POLICY_VIOLATION', retriable: false, hint: "the broker's policy refused the write" },
  45: { name: 'OUT_OF_ORDER_SEQUENCE_NUMBER', retriable: false },
  46: { name: 'DUPLICATE_SEQUENCE_NUMBER', retriable: false },
  47: { name: 'INVALID_PRODUCER_EPOCH', retriable: false },
  48: { name: 'INVALID_TXN_STATE', retriable: false },
  49: { name: 'INVALID_PRODUCER_ID_MAPPING', retriable: false },
  51: { name: 'CONCURRENT_TRANSACTIONS', retriable: true },
  53: { name: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', retriable: false },
  56: { name: 'KAFKA_STORAGE_ERROR', retriable: true },
  58: { name: 'SASL_AUTHENTICATION_FAILED', retriable: false, hint: 'check the sasl username, password and mechanism' },
  59: { name: 'UNKNOWN_PRODUCER_ID', retriable: false },
  74: { name: 'FENCED_LEADER_EPOCH', retriable: true },
  75: { name: 'UNKNOWN_LEADER_EPOCH', retriable: true },
  76: { name: 'UNSUPPORTED_COMPRESSION_TYPE', retriable: false, hint: "this broker or topic does not take that compression: choose another 'compression'" },
  87: { name: 'INVALID_RECORD', retriable: false, hint: "the broker's validation refused a record (a compacted topic needs a key on every message, for one)" },
  90: { name: 'PRODUCER_FENCED', retriable: false },
  103: { name: 'THROTTLING_QUOTA_EXCEEDED', retriable: true },
}

export const ErrorCodes = {
  NONE: 0,
  NOT_LEADER_OR_FOLLOWER: 6,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  DUPLICATE_SEQUENCE_NUMBER: 46,
  INVALID_PRODUCER_EPOCH: 47,
  CONCURRENT_TRANSACTIONS: 51,
  UNKNOWN_PRODUCER_ID: 59,
  PRODUCER_FENCED: 90,
} as const

/** The name and retriability of a broker error code. */
export function kafkaErrorCode(code: number): KafkaErrorCode {
  return table[code] ?? { name: `KAFKA_ERROR_${code}`, retriable: false }
}
