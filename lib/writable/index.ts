export { KafkaWritable } from './kafka-writable'
export { defaultWritableOptions, type KafkaWritableOptions, type RequiredAcks } from './options'
export type { DeliveryReport } from './dispatcher'
export type { WriterStats, Summary } from './stats'
