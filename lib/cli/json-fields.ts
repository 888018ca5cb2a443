import type { FieldPath } from './field-path'
import { BACKSLASH, Checker, hasByte, QUOTE } from './json-check'

/** Where a value is in the buffer: [start, end). */
export type Span = readonly [start: number, end: number]

/**
 * Checks that `buffer[start, end)` is one JSON value, as isJson does, and finds where the value at each of `paths`
 * is, without building the document: `produce --key user.id` needs one field of each line, and JSON.parse of the
 * whole line cost more than sending it. The answer is the one valueAt(JSON.parse(text), path) gives: a repeated key
 * takes its last value (an object repeated on the way replaces what the earlier one held), a part matches an
 * object's key (escapes decoded) or an array's index. Returns one span per path (undefined: no such value), or null
 * when the bytes are not JSON or are nested deeper than the stack (callers confirm a null with JSON.parse).
 */
export function findFields(buffer: Uint8Array, paths: readonly FieldPath[], start = 0, end = buffer.length): Array<Span | undefined> | null {
  if (paths.length > 31) throw new RangeError('findFields tracks at most 31 paths')
  const checker = new Checker(buffer, end, paths)
  try {
    let i = checker.value(checker.space(start), (1 << paths.length) - 1, 0)
    if (i < 0) return null
    i = checker.space(i)
    return i === end ? checker.spans : null
  } catch (err) {
    if (err instanceof RangeError) return null
    throw err
  }
}

/**
 * The value in a span: a string without escapes is decoded from its bytes (the common key); anything else goes
 * through JSON.parse of the span alone.
 */
export function spanValue(buffer: Buffer, span: Span | undefined): unknown {
  if (span === undefined) return undefined
  const [start, end] = span
  if (buffer[start] === QUOTE && !hasByte(buffer, BACKSLASH, start, end)) return buffer.toString('utf8', start + 1, end - 1)
  return JSON.parse(buffer.toString('utf8', start, end))
}

