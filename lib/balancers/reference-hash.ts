import { type Balancer, type Message, checkPartitions, keyBytes, randomPartition } from './balancer'
import { fnv1a32 } from './hash'

/**
 * Same partition as sarama's `NewReferenceHashPartitioner` and kafka-go's `ReferenceHash` for keyed
 * messages: `(int32(fnv1a(key)) & 0x7fffffff) % n`, the positive value taken the way the Java client does.
 * An empty key is hashed. Messages with no key go to a random partition, as in both.
 * Unlike kafka-go, which returns the position in the list, this returns the partition id at that position:
 * the same thing when the list is 0..n-1.
 */
export class ReferenceHash implements Balancer {
  balance(msg: Message, partitions: readonly number[]): number {
    checkPartitions(msg, partitions)
    const key = keyBytes(msg.key)
    if (key === null) return randomPartition(partitions)
    return partitions[(fnv1a32(key) & 0x7fffffff) % partitions.length]
  }
}
