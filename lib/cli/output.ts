import { isUtf8 } from 'node:buffer'
import type { ConsumedMessage } from '../readable'

type Consumed = ConsumedMessage<Buffer | null, Buffer | null>

export const ENCODINGS = ['utf8', 'base64'] as const
/**
 * How bytes that are not JSON are written. `utf8`: as UTF-8 text (bytes that are not UTF-8 become U+FFFD, so this
 * loses them). `base64`: keys, header values and values that are not UTF-8 JSON as base64, losing nothing.
 */
export type Encoding = (typeof ENCODINGS)[number]

/**
 * One NDJSON line (without its newline) for a consumed message: `{ topic, partition, offset, timestamp, key, value,
 * headers }`. A value that is JSON is embedded as JSON (its own text when it is on one line, so big numbers keep every
 * digit), any other value as a string; keys and headers are strings; the timestamp is ISO 8601. With `base64`, keys
 * and header values are base64, and so is a value that is not UTF-8 JSON, marked by `"valueEncoding":"base64"`
 * (a JSON string value stays JSON, so the mark tells the two apart).
 */
export function messageLine(message: Consumed, encoding: Encoding = 'utf8'): string {
  const headers: Record<string, string | string[]> = {}
  const text = (bytes: Buffer | string): string => (encoding === 'base64' ? Buffer.from(bytes).toString('base64') : String(bytes))
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue
    headers[name] = Array.isArray(value) ? value.map(text) : text(value)
  }
  const json = encoding === 'base64' && message.value !== null && !isUtf8(message.value) ? undefined : jsonValue(message.value, encoding)
  const value = json ?? `${JSON.stringify(message.value!.toString('base64'))},"valueEncoding":"base64"`
  return (
    `{"topic":${JSON.stringify(message.topic)},"partition":${message.partition},"offset":${message.offset},` +
    `"timestamp":${JSON.stringify(message.timestamp.toISOString())},"key":${message.key === null ? 'null' : JSON.stringify(text(message.key))},` +
    `"value":${value},"headers":${JSON.stringify(headers)}}`
  )
}

/** `--value-only`: the value's own text, or with `base64` its bytes in base64 (an empty line for a null value). */
export function valueLine(message: Consumed, encoding: Encoding = 'utf8'): string {
  return message.value === null ? '' : message.value.toString(encoding)
}

/** The value embedded as JSON, or as a JSON string of its text, or (base64) undefined when it is not JSON. */
function jsonValue(value: Buffer | null, encoding: Encoding = 'utf8'): string | undefined {
  if (value === null) return 'null'
  const text = value.toString()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return encoding === 'base64' ? undefined : JSON.stringify(text)
  }
  return /[\r\n\u2028\u2029]/.test(text) ? JSON.stringify(parsed) : text.trim()
}

/** The value of a JSON text, or the text itself when it is not JSON. */
export function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}
