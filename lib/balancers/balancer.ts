/**
 * What a balancer is: the one-method interface that picks a message's partition, and the plain-function
 * form that works wherever a Balancer does.
 */
import { InvalidOptionError, SerializationError, TopicError, show } from '../errors'

export type { Message } from '../message'
import type { Message } from '../message'

/** Chooses the partition of each message (kafka-go's Balancer). */
export interface Balancer {
  /**
   * Returns the partition of `msg`: always one of the elements of `partitions`, the ids of the topic's
   * partitions (not necessarily 0..n-1). Hashing balancers index into the list in the order given. A KafkaWritable
   * passes the message as it is sent: `key` and `value` as the serializers made them (Buffer, string or null).
   */
  balance(msg: Message, partitions: readonly number[]): number
}

/** A balancer written as a plain function. */
export type BalancerFunction = (msg: Message, partitions: readonly number[]) => number

export type BalancerLike = Balancer | BalancerFunction

/** Accepts a Balancer or a plain function, and rejects anything else with an InvalidOptionError. */
export function toBalancer(balancer: BalancerLike): Balancer {
  if (typeof balancer === 'function') return { balance: (msg, partitions) => balancer(msg, partitions) }
  if (typeof balancer === 'object' && balancer !== null && typeof balancer.balance === 'function') return balancer
  throw new InvalidOptionError(
    'balancer',
    balancer,
    'a Balancer (an object with balance(msg, partitions)) or a function (msg, partitions) => partition',
  )
}

/** The bytes a key hashes as (a string as UTF-8), or null for "no key". @internal */
export function keyBytes(key: unknown): Uint8Array | null {
  if (key === null || key === undefined) return null
  if (typeof key === 'string') return Buffer.from(key, 'utf8')
  if (key instanceof Uint8Array) return key
  throw new SerializationError(`a message key must be a Buffer, a string, null or undefined, not ${show(key)}`)
}

/** The empty key, which "consistent" modes hash for messages without a key. @internal */
export const emptyKey: Uint8Array = new Uint8Array(0)

/** An empty partition list leaves nothing to choose: say so instead of returning undefined. @internal */
export function checkPartitions(msg: Message, partitions: readonly number[]): void {
  if (partitions.length === 0) {
    throw new TopicError(
      `no partitions to choose from${msg.topic === undefined ? '' : ` for topic "${msg.topic}"`}`,
      msg.topic,
    )
  }
}

/** A uniformly random element of `partitions`. @internal */
export function randomPartition(partitions: readonly number[]): number {
  return partitions[Math.floor(Math.random() * partitions.length)]
}

/** Reads an optional boolean option, checking its type. @internal */
export function booleanOption(options: object, name: string, fallback: boolean): boolean {
  const value: unknown = (options as Record<string, unknown>)[name]
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw new InvalidOptionError(name, value, 'true or false')
  return value
}

/** Checks that a balancer's options argument is an object (or absent). @internal */
export function optionsObject<T extends object>(options: T | undefined, balancer: string): T {
  if (options === undefined) return {} as T
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(`${balancer} options`, options, 'an object')
  }
  return options
}
