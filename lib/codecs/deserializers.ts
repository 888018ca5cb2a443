/**
 * Key and value deserializers: what turns the bytes of a consumed message back into its `key` and `value`.
 * A deserializer is a plain function; the built-ins are picked by name. A deserializer that throws makes the
 * reader raise `DeserializationError` with the message's topic, partition and offset.
 */
import type { IHeaders } from '../kafka/kafkajs'
import { InvalidOptionError, type MessagePosition } from '../errors'

/** Where the bytes come from, for deserializers that depend on the topic or on a header (schema id, encoding). */
export interface DeserializeMeta extends MessagePosition {
  headers: IHeaders
}

/** Gets the stored bytes, or null when the message has no key or is a tombstone; returns the decoded form. */
export type Deserializer = (data: Buffer | null, meta: DeserializeMeta) => unknown

export type DeserializerName = 'buffer' | 'string' | 'json'

/**
 * Keys and values come out as the stored bytes unless asked otherwise, as in kafka-go and kafkajs: bytes are
 * right for every topic, whatever it holds, and a key copied into another topic keeps its exact bytes, so the
 * hash partitioners put it in the same partition as the original producer did.
 */
export const defaultKeyDeserializer: DeserializerName = 'buffer'
export const defaultValueDeserializer: DeserializerName = 'buffer'

const builtIns: Record<DeserializerName, Deserializer> = {
  buffer: (data) => data,
  string: (data) => (data === null ? null : data.toString('utf8')),
  /** null stays null (a tombstone has no JSON); anything else must be UTF-8 JSON text, else it throws. */
  json: (data) => (data === null ? null : JSON.parse(data.toString('utf8'))),
}

export const deserializerNames = Object.keys(builtIns) as DeserializerName[]

/** Turns a deserializer option (a built-in's name or a function) into a deserializer; `undefined` selects `fallback`. */
export function resolveDeserializer(option: unknown, optionName: string, fallback: DeserializerName = 'buffer'): Deserializer {
  const chosen = option === undefined ? fallback : option
  if (typeof chosen === 'string' && Object.hasOwn(builtIns, chosen)) return builtIns[chosen as DeserializerName]
  if (typeof chosen === 'function') return chosen as Deserializer
  throw new InvalidOptionError(
    optionName,
    option,
    `one of ${deserializerNames.map((name) => `'${name}'`).join(', ')} or a function (data: Buffer | null, meta) => unknown`,
  )
}
