import type { Message } from '../message'
import { BadInputError } from './exit-codes'
import { valueAt, type FieldPath } from './field-path'

/** One input item: what will be sent as the value, the parsed document (for `--key`/`--timestamp`), and where it was. */
export interface InputItem {
  /** The value to send: the line's own text for ndjson and lines (sent byte for byte), the parsed value for json. */
  value: unknown
  /** The parsed document (`--format json`), or undefined where `fields` holds what was needed or nothing is. */
  document: unknown
  /** The `--key` and `--timestamp` values found in an ndjson line's bytes without parsing it (findFields). */
  fields?: FieldValues | undefined
  /** "line 12" / "document 3" (with the file name when reading files), for error messages. */
  readonly where: string
}

/** The values at the `--key` and `--timestamp` paths (undefined: not there, or not asked for). */
export interface FieldValues {
  key: unknown
  timestamp: unknown
}

export interface RecordShape {
  key?: FieldPath
  timestamp?: FieldPath
  headers: Record<string, string>
}

/** The message for one input item; a key or timestamp that cannot be used is a BadInputError naming the item. */
export function toMessage(item: InputItem, shape: RecordShape): Message {
  const message: Message = { value: item.value, headers: shape.headers }
  if (shape.key) message.key = keyOf(item.fields ? item.fields.key : valueAt(item.document, shape.key))
  if (shape.timestamp) {
    const timestamp = timestampOf(item.fields ? item.fields.timestamp : valueAt(item.document, shape.timestamp))
    if (timestamp === undefined) {
      throw new BadInputError(`${item.where}: --timestamp ${shape.timestamp.join('.')} is not epoch milliseconds or an ISO 8601 time`)
    }
    message.timestamp = timestamp
  }
  return message
}

/** Strings are the key's bytes as they are (as the Java client's StringSerializer); other values their JSON; missing is no key. */
function keyOf(value: unknown): string | null {
  if (value === undefined || value === null) return null
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function timestampOf(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return new Date(value)
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\d/.test(value)) {
    const date = new Date(value)
    if (!Number.isNaN(date.getTime())) return date
  }
  return undefined
}
