export { KafkaReadable } from './kafka-readable'
export { ackingSink } from './acking-sink'
export {
  defaultReadableOptions,
  type DecodeErrorHandler,
  type KafkaReadableOptions,
  type RawMessage,
  type StartOffset,
} from './options'
export type { ConsumedMessage } from './message'
export type { ReaderStats } from './stats'
export type { Assignment } from './progress'
