import type { Message as KafkajsMessage, IHeaders } from 'kafkajs'
import type { Serializer } from '../codecs/serializers'
import { InvalidMessageError, TopicError, show } from '../errors'
import type { Message } from '../message'

/** Bytes a record adds beyond its key, value and headers in a v2 record batch (length, attributes, deltas, varints). */
export const RECORD_OVERHEAD = 20

/** A message as it will be sent: its destination, its kafkajs form, and its size in the batch. */
export interface OutgoingRecord {
  topic: string
  partition: number
  message: KafkajsMessage
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

/** Serializes key and value and measures the record; throws SerializationError/TopicError for bad input. */
export function encodeMessage(
  message: Message,
  serializeKey: Serializer,
  serializeValue: Serializer,
): { message: KafkajsMessage; bytes: number } {
  if (typeof message !== 'object' || message === null) {
    throw new InvalidMessageError(`a KafkaWritable takes message objects ({ key, value, ... }), not ${show(message)}; use "toMessage" to map other chunks`)
  }
  const key = message.key === undefined ? null : serializeKey(message.key)
  const value = serializeValue(message.value)
  let bytes = RECORD_OVERHEAD + byteLength(key) + byteLength(value)
  const out: KafkajsMessage = { key, value }
  if (message.headers !== undefined) {
    const headers: IHeaders = {}
    for (const [name, header] of Object.entries(message.headers)) {
      headers[name] = header
      bytes += Buffer.byteLength(name) + byteLength(header) + 4
    }
    out.headers = headers
  }
  if (message.timestamp !== undefined) {
    const ms = message.timestamp instanceof Date ? message.timestamp.getTime() : message.timestamp
    if (!Number.isFinite(ms)) throw new InvalidMessageError(`message timestamp must be a Date or epoch milliseconds, not ${show(message.timestamp)}`)
    out.timestamp = String(ms)
  }
  return { message: out, bytes }
}
