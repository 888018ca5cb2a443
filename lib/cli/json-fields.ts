import { indexOf, type FieldPath } from './field-path'
import { BACKSLASH, Checker, QUOTE } from './json-check'

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
  const finder = new FieldFinder(buffer, end, paths)
  try {
    let i = finder.find(finder.space(start), (1 << paths.length) - 1, 0)
    if (i < 0) return null
    i = finder.space(i)
    return i === end ? finder.spans : null
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

function hasByte(buffer: Uint8Array, byte: number, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buffer[i] === byte) return true
  return false
}

const TEXT = new TextEncoder()

/**
 * The checker, walking with a bit mask of the paths whose parts so far matched the way to the current value
 * (every such path is at the same depth, `level`). Values off every path are only checked.
 */
class FieldFinder extends Checker {
  readonly spans: Array<Span | undefined>
  readonly #paths: readonly FieldPath[]
  readonly #keys: Uint8Array[][]
  readonly #indexes: number[][]

  constructor(buffer: Uint8Array, end: number, paths: readonly FieldPath[]) {
    super(buffer, end)
    this.#paths = paths
    this.spans = paths.map(() => undefined)
    this.#keys = paths.map((path) => path.map((part) => TEXT.encode(part)))
    this.#indexes = paths.map((path) => path.map(indexOf))
  }

  find(i: number, mask: number, level: number): number {
    if (mask !== 0) {
      const c = this.at(i)
      if (c === 0x7b) return this.#object(i, mask, level)
      if (c === 0x5b) return this.#array(i, mask, level)
    }
    return this.value(i)
  }

  #object(i: number, mask: number, level: number): number {
    i = this.space(i + 1)
    if (i < this.end && this.at(i) === 0x7d) return i + 1
    for (;;) {
      if (i >= this.end || this.at(i) !== QUOTE) return -1
      const keyStart = i
      i = this.string(i)
      if (i < 0) return -1
      const next = this.#keyMatches(mask, level, keyStart, i)
      i = this.space(i)
      if (i >= this.end || this.at(i) !== 0x3a) return -1
      i = this.#member(this.space(i + 1), next, level)
      if (i < 0) return -1
      i = this.space(i)
      if (i >= this.end) return -1
      if (this.at(i) === 0x7d) return i + 1
      if (this.at(i) !== 0x2c) return -1
      i = this.space(i + 1)
    }
  }

  #array(i: number, mask: number, level: number): number {
    i = this.space(i + 1)
    if (i < this.end && this.at(i) === 0x5d) return i + 1
    for (let index = 0; ; index++) {
      let next = 0
      for (let p = 0; p < this.#paths.length; p++) if (mask & (1 << p) && this.#indexes[p]![level] === index) next |= 1 << p
      i = this.#member(i, next, level)
      if (i < 0) return -1
      i = this.space(i)
      if (i >= this.end) return -1
      if (this.at(i) === 0x5d) return i + 1
      if (this.at(i) !== 0x2c) return -1
      i = this.space(i + 1)
    }
  }

  /** Walks a member's value; `next` holds the paths whose part at `level` named this member. */
  #member(i: number, next: number, level: number): number {
    if (next === 0) return this.value(i)
    let deeper = 0
    for (let p = 0; p < this.#paths.length; p++) {
      if (next & (1 << p) && this.#paths[p]!.length > level + 1) {
        deeper |= 1 << p
        this.spans[p] = undefined // this member replaces an earlier one of the same key, and whatever it held
      }
    }
    const end = this.find(i, deeper, level + 1)
    if (end < 0) return end
    const found = next & ~deeper
    for (let p = 0; p < this.#paths.length; p++) if (found & (1 << p)) this.spans[p] = [i, end]
    return end
  }

  /** The paths of `mask` whose part at `level` is the key in the string at [start, end). */
  #keyMatches(mask: number, level: number, start: number, end: number): number {
    let next = 0
    let decoded: string | undefined
    for (let p = 0; p < this.#paths.length; p++) {
      if (!(mask & (1 << p))) continue
      const key = this.#keys[p]![level]!
      if (hasByte(this.b, BACKSLASH, start + 1, end - 1)) {
        decoded ??= JSON.parse(Buffer.from(this.b.buffer, this.b.byteOffset + start, end - start).toString('utf8')) as string
        if (decoded === this.#paths[p]![level]) next |= 1 << p
      } else if (this.#equals(start + 1, end - 1, key)) {
        next |= 1 << p
      }
    }
    return next
  }

  #equals(start: number, end: number, key: Uint8Array): boolean {
    if (end - start !== key.length) return false
    for (let k = 0; k < key.length; k++) if (this.b[start + k] !== key[k]) return false
    return true
  }
}
