import type { ConsumedMessage } from '../readable'

type Consumed = ConsumedMessage<Buffer | null, Buffer | null>

/**
 * One NDJSON line (without its newline) for a consumed message: `{ topic, partition, offset, timestamp, key, value,
 * headers }`. A value that is JSON is embedded as JSON (its own text when it is on one line, so big numbers keep every
 * digit), any other value as a string; keys and headers are strings; the timestamp is ISO 8601.
 */
export function messageLine(message: Consumed): string {
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue
    headers[name] = Array.isArray(value) ? value.map(String) : String(value)
  }
  return (
    `{"topic":${JSON.stringify(message.topic)},"partition":${message.partition},"offset":${message.offset},` +
    `"timestamp":${JSON.stringify(message.timestamp.toISOString())},"key":${message.key === null ? 'null' : JSON.stringify(message.key.toString())},` +
    `"value":${jsonValue(message.value)},"headers":${JSON.stringify(headers)}}`
  )
}

/** `--value-only`: the value's own text (an empty line for a null value). */
export function valueLine(message: Consumed): string {
  return message.value === null ? '' : message.value.toString()
}

function jsonValue(value: Buffer | null): string {
  if (value === null) return 'null'
  const text = value.toString()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return JSON.stringify(text)
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
