import { InvalidOptionError } from '../errors'
import { type Balancer, type Message, checkPartitions, optionsObject } from './balancer'

export interface RoundRobinOptions {
  /** How many consecutive messages go to one partition before moving to the next. Default 1. */
  chunkSize?: number
}

export const defaultRoundRobinOptions = { chunkSize: 1 } satisfies Required<RoundRobinOptions>

/**
 * Spreads messages evenly over the partitions, `chunkSize` consecutive messages to each (larger batches
 * for chunkSize > 1). Same sequence as kafka-go's `RoundRobin{ChunkSize}`: message number i (from 0) goes to
 * `partitions[floor(i / chunkSize) % partitions.length]`, so a partition list that grows or shrinks is
 * simply walked from there, always returning one of its elements.
 */
export class RoundRobin implements Balancer {
  readonly #chunkSize: number
  // An unsigned 32-bit counter, like kafka-go's, so that it wraps where kafka-go's does.
  #counter = 0

  constructor(options?: RoundRobinOptions) {
    const { chunkSize = defaultRoundRobinOptions.chunkSize } = optionsObject(options, 'RoundRobin')
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
      throw new InvalidOptionError('chunkSize', chunkSize, 'a positive integer (messages per partition in a row)')
    }
    this.#chunkSize = chunkSize
  }

  balance(msg: Message, partitions: readonly number[]): number {
    checkPartitions(msg, partitions)
    const chunk = Math.floor(this.#counter / this.#chunkSize)
    this.#counter = (this.#counter + 1) >>> 0
    return partitions[chunk % partitions.length]
  }
}
