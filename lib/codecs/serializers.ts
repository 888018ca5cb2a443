/**
 * Key and value serializers: what turns the `key` and `value` of a written message into the bytes Kafka
 * stores. A serializer is a plain function; the built-ins are picked by name.
 */
import { InvalidOptionError, SerializationError, reason, show } from '../errors'

/** Returns the bytes to store (a string is written as UTF-8), or null for no bytes: a null key or a tombstone. */
export type Serializer = (value: unknown) => Buffer | string | null

export type SerializerName = 'json' | 'string' | 'buffer'

/** Used when neither key nor value serializer is given. Buffers, strings and null pass through `json` as they are. */
export const defaultKeySerializer: SerializerName = 'json'
export const defaultValueSerializer: SerializerName = 'json'

const builtIns: Record<SerializerName, Serializer> = {
  /** Buffers, strings and null as they are; anything else as its JSON text. */
  json(value) {
    const raw = passThrough(value)
    if (raw !== undefined) return raw
    if (value === undefined) throw new Error('undefined has no JSON form; use null for a tombstone')
    const text = JSON.stringify(value)
    if (text === undefined) throw new Error(`a ${typeof value} has no JSON form`)
    return text
  },

  /** Buffers, strings and null as they are; numbers, booleans and bigints as `String(value)`. */
  string(value) {
    const raw = passThrough(value)
    if (raw !== undefined) return raw
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
    throw new Error(`'string' takes strings, numbers, booleans, bigints, Buffers and null, not ${kind(value)}; use 'json' for objects`)
  },

  /** Buffers, strings and null only: for producers that already hold bytes and want a mistake to be loud. */
  buffer(value) {
    const raw = passThrough(value)
    if (raw !== undefined) return raw
    throw new Error(`'buffer' takes Buffers, strings and null, not ${kind(value)}`)
  },
}

export const serializerNames = Object.keys(builtIns) as SerializerName[]

/**
 * Turns a serializer option (a built-in's name or a function) into a serializer that throws only
 * `SerializationError`, naming the option, the value and the way out. `undefined` selects `fallback`.
 */
export function resolveSerializer(option: unknown, optionName: string, fallback: SerializerName = 'json'): Serializer {
  const chosen = option === undefined ? fallback : option
  if (typeof chosen === 'string' && Object.hasOwn(builtIns, chosen)) {
    return guard(builtIns[chosen as SerializerName], `option "${optionName}" ('${chosen}')`, `pass a function as "${optionName}" to serialize such values`)
  }
  if (typeof chosen === 'function') {
    return guard(chosen as Serializer, `the "${optionName}" function`, `fix the function or catch the error in it`)
  }
  throw new InvalidOptionError(optionName, option, `one of ${serializerNames.map((name) => `'${name}'`).join(', ')} or a function (value) => Buffer | string | null`)
}

function guard(serialize: Serializer, who: string, hint: string): Serializer {
  return (value) => {
    let out: unknown
    try {
      out = serialize(value)
    } catch (err) {
      throw new SerializationError(`${who} could not serialize ${describe(value)}: ${reason(err)}; ${hint}`, err)
    }
    const bytes = passThrough(out)
    if (bytes === undefined) {
      throw new SerializationError(`${who} returned ${kind(out)} for ${describe(value)}; it must return a Buffer, a string or null`)
    }
    return bytes
  }
}

/** Buffer, string and null as they are, other byte views as a Buffer over the same memory; else undefined. */
function passThrough(value: unknown): Buffer | string | null | undefined {
  if (value === null || typeof value === 'string' || Buffer.isBuffer(value)) return value
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  return undefined
}

function kind(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'null prototype'})`
  return `a ${typeof value}`
}

/** The value, shown short: a message must stay readable when the value is a 10 MB object. */
function describe(value: unknown): string {
  const text = show(value)
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

