import {
  type Balancer,
  type Message,
  booleanOption,
  checkPartitions,
  emptyKey,
  keyBytes,
  optionsObject,
  randomPartition,
} from './balancer'

/**
 * Kafka's murmur2: the Java client's `Utils.murmur2`, returned as a signed 32-bit integer like Java's `int`.
 * (32-bit arithmetic throughout: `Math.imul` for products, `>>>` for Java's unsigned shifts.)
 */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995
  const length = data.length
  const blocks = length & ~3
  let h = 0x9747b28c ^ length
  for (let i = 0; i < blocks; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)
    k = Math.imul(k, m)
    k ^= k >>> 24
    k = Math.imul(k, m)
    h = Math.imul(h, m) ^ k
  }
  const rest = length & 3
  if (rest === 3) h ^= data[blocks + 2] << 16
  if (rest >= 2) h ^= data[blocks + 1] << 8
  if (rest >= 1) h = Math.imul(h ^ data[blocks], m)
  h ^= h >>> 13
  h = Math.imul(h, m)
  h ^= h >>> 15
  return h | 0
}

export interface Murmur2BalancerOptions {
  /**
   * Hash messages without a key as if their key were empty (librdkafka's `murmur2`, kafka-go's
   * `Murmur2Balancer{Consistent: true}`) instead of sending them to a random partition. Default `false`.
   */
  consistent?: boolean
}

export const defaultMurmur2BalancerOptions = { consistent: false } satisfies Required<Murmur2BalancerOptions>

/**
 * Same partition as the Java client's default partitioner for keyed records
 * (`Utils.toPositive(Utils.murmur2(key)) % n`, kafka-clients' BuiltInPartitioner), kafkajs v2's
 * DefaultPartitioner, librdkafka's `murmur2_random` partitioner (`murmur2` with `consistent: true`) and
 * kafka-go's `Murmur2Balancer`, which this follows exactly.
 *
 * An empty key is a key: it is hashed, as all of those clients do. A message with no key (null/undefined)
 * goes to a random partition, like kafka-go and librdkafka's `murmur2_random` (whose producer makes that
 * choice sticky for a while); the Java client and kafkajs spread keyless records their own ways (sticky
 * batches, round robin), so only keyed messages are guaranteed to meet theirs. With `consistent: true`
 * a keyless message is hashed as the empty key, like librdkafka's `murmur2` partitioner.
 */
export class Murmur2Balancer implements Balancer {
  readonly #consistent: boolean

  constructor(options?: Murmur2BalancerOptions) {
    const opts = optionsObject(options, 'Murmur2Balancer')
    this.#consistent = booleanOption(opts, 'consistent', defaultMurmur2BalancerOptions.consistent)
  }

  balance(msg: Message, partitions: readonly number[]): number {
    checkPartitions(msg, partitions)
    const key = keyBytes(msg.key)
    if (key === null && !this.#consistent) return randomPartition(partitions)
    return partitions[(murmur2(key ?? emptyKey) & 0x7fffffff) % partitions.length]
  }
}
