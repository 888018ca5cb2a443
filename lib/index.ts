/** kafka-pipe: Kafka as native Node.js streams. */
export type { Message } from './message'
export * from './writable'
export * from './readable'
export {
  CRC32Balancer,
  Hash,
  LeastBytes,
  Murmur2Balancer,
  ReferenceHash,
  RoundRobin,
  toBalancer,
  type Balancer,
  type BalancerFunction,
  type BalancerLike,
} from './balancers'
export { registerCodecs, type CompressionName } from './codecs/compression'
export type { Serializer } from './codecs/serializers'
export type { Deserializer } from './codecs/deserializers'
export type { ClientOptions } from './kafka/client-options'
export * from './errors'
