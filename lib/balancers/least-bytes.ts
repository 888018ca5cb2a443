import { type Balancer, type Message, checkPartitions } from './balancer'

// Strings count as their UTF-8 bytes. A KafkaWritable hands balancers the serialized message, so keys and values
// are bytes or strings there; called directly with anything else (an object, null), a field counts as 0.
function byteLength(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data, 'utf8')
  if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer) return data.byteLength
  return 0
}

/**
 * Sends each message to the partition that has received the fewest key + value bytes from this balancer,
 * ties going to the lowest partition id: kafka-go's `LeastBytes`. In a KafkaWritable it counts the key and
 * value bytes as serialized (an object value counts as its JSON); called directly, Buffer lengths and UTF-8
 * lengths of strings count and other values count as 0.
 *
 * When the partition list changes, this keeps the counts of the partitions that remain, starts new ones
 * at 0 and forgets removed ones (kafka-go instead resets every count when the number of partitions
 * changes). So after a topic grows, its new partitions take the traffic until they have caught up.
 */
export class LeastBytes implements Balancer {
  #partitions: readonly number[] = []
  #bytes = new Map<number, number>()

  balance(msg: Message, partitions: readonly number[]): number {
    checkPartitions(msg, partitions)
    this.#follow(partitions)
    let best = partitions[0]
    let fewest = this.#bytes.get(best)!
    for (let i = 1; i < partitions.length; i++) {
      const partition = partitions[i]
      const bytes = this.#bytes.get(partition)!
      if (bytes < fewest || (bytes === fewest && partition < best)) {
        best = partition
        fewest = bytes
      }
    }
    this.#bytes.set(best, fewest + byteLength(msg.key) + byteLength(msg.value))
    return best
  }

  #follow(partitions: readonly number[]): void {
    const known = this.#partitions
    if (partitions.length === known.length && partitions.every((p, i) => p === known[i])) return
    const bytes = new Map<number, number>()
    for (const partition of partitions) bytes.set(partition, this.#bytes.get(partition) ?? 0)
    this.#bytes = bytes
    this.#partitions = [...partitions]
  }
}
