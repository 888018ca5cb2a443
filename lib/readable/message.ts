import type { KafkaMessage } from '../kafka/kafkajs'
import { resolveDeserializer, type DeserializeMeta, type Deserializer } from '../codecs/deserializers'
import { DeserializationError } from '../errors'
import type { DecodeErrorHandler, RawMessage } from './options'

/** A message a KafkaReadable emits. */
export interface ConsumedMessage<V = unknown, K = unknown> {
  topic: string
  partition: number
  /** The int64 offset as a decimal string. */
  offset: string
  /** The key as the key deserializer made it (a Buffer by default); null when the message has none. */
  key: K
  /** The value as the value deserializer made it (a Buffer by default); null for a tombstone. */
  value: V
  headers: RawMessage['headers']
  /** The record's timestamp (create or log-append time, as the topic is configured). */
  timestamp: Date
  /**
   * Marks the message processed. Its offset is committed once it and every earlier message of its partition were
   * acked. Calling it again, or after the partition was reassigned, does nothing. Pass it on as `ack` of a message
   * written to a KafkaWritable to have it called once that message is stored. A reader with `transactionalId`:
   * only to pass on to the KafkaWritable with that id, whose transaction commits the offset; calling it throws.
   */
  ack(): void
}

/** The raw form of a kafkajs message, as `onDecodeError` handlers get it. */
export function rawMessage(topic: string, partition: number, message: KafkaMessage): RawMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ?? null,
    value: message.value ?? null,
    headers: message.headers ?? {},
    timestamp: timestampOf(message.timestamp),
  }
}

/** Bytes a message holds in the stream's buffer, as counted against `maxBufferedBytes`. */
export function messageBytes(message: KafkaMessage): number {
  return (message.key?.length ?? 0) + (message.value?.length ?? 0)
}

/** The built-in 'buffer' deserializer: the stored bytes as they are, so there is nothing to call. */
const passThrough = resolveDeserializer('buffer', 'valueDeserializer')

/** Decodes a kafkajs message into what the stream emits; throws a DeserializationError naming the message. */
export function decodeMessage(
  topic: string,
  partition: number,
  message: KafkaMessage,
  decodeKey: Deserializer,
  decodeValue: Deserializer,
  ack: () => void,
): ConsumedMessage {
  const { offset } = message
  const headers = message.headers ?? {}
  let key: unknown = message.key ?? null
  let value: unknown = message.value ?? null
  if (decodeKey !== passThrough || decodeValue !== passThrough) {
    const meta = { topic, partition, offset, headers: headers as DeserializeMeta['headers'] }
    try {
      key = decodeKey(key as Buffer | null, meta)
    } catch (err) {
      throw new DeserializationError({ topic, partition, offset }, 'key', err)
    }
    try {
      value = decodeValue(value as Buffer | null, meta)
    } catch (err) {
      throw new DeserializationError({ topic, partition, offset }, 'value', err)
    }
  }
  return { topic, partition, offset, key, value, headers, timestamp: timestampOf(message.timestamp), ack }
}

let lastText = ''
let lastMillis = 0

/**
 * The Date of a kafkajs timestamp (decimal milliseconds). Number() of 13 digits costs about 100 ns, as much as the
 * rest of a message's decoding: the digits are read directly, and the last text is remembered, since the messages
 * of one producer batch usually share their timestamp. Each message still gets its own Date.
 */
export function timestampOf(text: string): Date {
  if (text !== lastText) {
    lastMillis = parseMillis(text)
    lastText = text
  }
  return new Date(lastMillis)
}

function parseMillis(text: string): number {
  // Up to 15 digits the sum below is exact; anything else (a sign, more digits) goes to Number().
  if (text.length > 15) return Number(text)
  let millis = 0
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return Number(text)
    millis = millis * 10 + digit
  }
  return millis
}

/** Applies `onDecodeError` to a message that did not decode; returns the error to destroy the stream with, if any. */
export function handleDecodeError(handler: DecodeErrorHandler, raw: RawMessage, error: Error): Error | undefined {
  if (handler === 'error') return error
  if (handler === 'skip') return undefined
  try {
    handler(raw, error)
  } catch (handlerError) {
    return handlerError instanceof Error ? handlerError : new Error(String(handlerError))
  }
  return undefined
}
