import type { Serializer } from '../codecs/serializers'
import { InvalidMessageError, TopicError, show } from '../errors'
import type { Message } from '../message'
import type { RecordHeader, RecordInput } from '../protocol/record-batch'

/** Bytes a record adds beyond its key, value and headers in a v2 record batch (length, attributes, deltas, varints). */
export const RECORD_OVERHEAD = 20

/** A message as it will be sent: its destination, its record fields, its size in the batch, and the message written. */
export interface OutgoingRecord extends RecordInput {
  topic: string
  partition: number
  /** Its size in the batch (before compression), for batchBytes and the byte counters. */
  bytes: number
  source: Message
}

function byteLength(data: Buffer | string | null): number {
  if (data === null) return 0
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length
}

/** The topic of a message: the writer's or the message's, exactly one of them (as kafka-go insists). */
export function topicOf(message: Message, writerTopic: string | undefined): string {
  const own = message.topic
  if (writerTopic !== undefined) {
    if (own !== undefined) {
      throw new TopicError(
        `the message names topic ${show(own)} and the writer has topic "${writerTopic}": set the topic in one place only ` +
          '(drop it from the message, or leave out the writer\'s "topic" option)',
        own,
      )
    }
    return writerTopic
  }
  if (typeof own !== 'string' || own === '') {
    throw new TopicError(`the message has no topic (got ${show(own)}) and the writer has none: set the "topic" option or message.topic`)
  }
  return own
}

/**
 * Serializes key and value, checks headers and timestamp, and measures the record; throws typed errors for bad
 * input. The caller fills in `topic` and `partition` (one object per message, of one shape, on the hot path).
 */
export function encodeMessage(message: Message, serializeKey: Serializer, serializeValue: Serializer, now: number): OutgoingRecord {
  if (typeof message !== 'object' || message === null) {
    throw new InvalidMessageError(`a KafkaWritable takes message objects ({ key, value, ... }), not ${show(message)}; use "toMessage" to map other chunks`)
  }
  const key = message.key === undefined ? null : serializeKey(message.key)
  const value = serializeValue(message.value)
  const keySize = byteLength(key)
  const valueSize = byteLength(value)
  let bytes = RECORD_OVERHEAD + keySize + valueSize
  let headers: RecordHeader[] | null = null
  if (message.headers !== undefined && message.headers !== null) {
    if (typeof message.headers !== 'object' || Array.isArray(message.headers)) {
      throw new InvalidMessageError(`message.headers must be an object of { name: Buffer | string }, not ${show(message.headers)}`)
    }
    headers = []
    for (const name of Object.keys(message.headers)) {
      const header = (message.headers as Record<string, unknown>)[name]
      if (header !== null && typeof header !== 'string' && !Buffer.isBuffer(header)) {
        throw new InvalidMessageError(`header "${name}" must be a Buffer, a string or null, not ${show(header)}; convert it first (String(x), Buffer.from(...))`)
      }
      headers.push({ key: name, value: header })
      bytes += Buffer.byteLength(name) + byteLength(header) + 4
    }
  }
  let timestamp = now
  if (message.timestamp !== undefined) {
    timestamp = message.timestamp instanceof Date ? message.timestamp.getTime() : message.timestamp
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw new InvalidMessageError(`message.timestamp must be a Date or whole epoch milliseconds >= 0, not ${show(message.timestamp)}`)
    }
  }
  return { topic: '', partition: -1, key, value, keySize, valueSize, headers, timestamp, bytes, source: message }
}
