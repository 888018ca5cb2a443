import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Message } from '../message'
import type { ConsumedMessage } from '../readable'
import { UsageError } from './exit-codes'
import { jsonOrText } from './output'

/** What a `--map` function sees: the message as `consume` prints it (value parsed when it is JSON), time as a Date. */
export interface MapInput {
  topic: string
  partition: number
  offset: string
  timestamp: Date
  key: string | null
  value: unknown
  headers: Record<string, string>
}

/** What it returns: a message for the target topic (value serialized as JSON unless a string or Buffer), several, or none. */
export type MapResult = Pick<Message, 'key' | 'value' | 'headers' | 'timestamp' | 'partition'> | Array<Pick<Message, 'key' | 'value' | 'headers' | 'timestamp' | 'partition'>> | null | undefined

export type MapFunction = (message: MapInput) => MapResult | Promise<MapResult>

/** Loads the default export (or module.exports) of a CommonJS or ES module, which must be a function. */
export async function loadMap(file: string): Promise<MapFunction> {
  let loaded: { default?: unknown }
  try {
    loaded = (await import(pathToFileURL(resolve(file)).href)) as { default?: unknown }
  } catch (err) {
    throw new UsageError(`copy: --map ${JSON.stringify(file)} did not load: ${(err as Error).message.split('\n', 1)[0]}`)
  }
  // import() of a CommonJS module puts module.exports on default; of an ES module, its default export.
  const candidate = typeof loaded.default === 'object' && loaded.default !== null ? (loaded.default as { default?: unknown }).default : loaded.default
  if (typeof candidate !== 'function') {
    throw new UsageError(`copy: --map ${JSON.stringify(file)} must export a function (message) => message | message[] | null as its default export`)
  }
  return candidate as MapFunction
}

export function mapInput(message: ConsumedMessage<Buffer | null, Buffer | null>): MapInput {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(message.headers)) if (value !== undefined) headers[name] = String(Array.isArray(value) ? value[value.length - 1] : value)
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key === null ? null : message.key.toString(),
    value: message.value === null ? null : jsonOrText(message.value.toString()),
    headers,
  }
}
