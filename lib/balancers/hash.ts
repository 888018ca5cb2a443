import { type Balancer, type Message, checkPartitions, keyBytes } from './balancer'
import { RoundRobin } from './round-robin'

/** 32-bit FNV-1a (Go's hash/fnv New32a, which sarama and kafka-go use), as an unsigned 32-bit integer. */
export function fnv1a32(data: Uint8Array): number {
  let h = 0x811c9dc5
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i], 0x01000193)
  return h >>> 0
}

/**
 * Same partition as sarama's `NewHashPartitioner` and kafka-go's `Hash` for keyed messages: the FNV-1a hash
 * of the key read as a signed 32-bit integer, modulo the partition count, negated if negative (sarama
 * takes the remainder first, so the most negative hash cannot overflow). An empty key is hashed.
 *
 * Messages with no key go round robin, as kafka-go's `Hash` does (sarama picks a random partition).
 * Unlike kafka-go, which returns the position in the list, this returns the partition id at that position:
 * the same thing when the list is 0..n-1.
 */
export class Hash implements Balancer {
  readonly #keyless = new RoundRobin()

  balance(msg: Message, partitions: readonly number[]): number {
    checkPartitions(msg, partitions)
    const key = keyBytes(msg.key)
    if (key === null) return this.#keyless.balance(msg, partitions)
    return partitions[Math.abs((fnv1a32(key) | 0) % partitions.length)]
  }
}
