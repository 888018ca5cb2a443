import { indexOf, type FieldPath } from './field-path'
import { BACKSLASH, Checker, QUOTE } from './json-check'

const TEXT = new TextEncoder()

/**
 * Finds the values at some field paths in JSON documents given as bytes, checking the whole document as isJson does,
 * without building it: `produce --key user.id` needs one field of each line, and JSON.parse of the whole line cost
 * as much as sending it. The answer is the one valueAt(JSON.parse(text), path) gives: a repeated key takes its last
 * value (an object repeated on the way replaces what the earlier one held), a part matches an object's key (escapes
 * decoded) or an array's index. One finder serves every line (the paths are encoded once); after find(), field(p)
 * is the value at path p.
 *
 * The walk keeps a bit mask of the paths whose parts so far matched the way to the current value (all at the same
 * depth, `level`). Its object and array loops repeat the checker's, with the key matching added: values off every
 * path go to the checker's own loops, which stay as lean as the plain check needs them (it is the hot path of
 * produce without --key).
 */
export class FieldFinder extends Checker {
  readonly #paths: readonly FieldPath[]
  readonly #keys: Uint8Array[][]
  readonly #indexes: number[][]
  /** Per path, where its value starts and ends in the buffer (-1: none). */
  readonly #starts: Int32Array
  readonly #ends: Int32Array
  /** The buffer of the latest find(), as a Buffer for decoding (the checker's `b`, typed). */
  #buffer: Buffer = Buffer.alloc(0)

  constructor(paths: readonly FieldPath[]) {
    super(new Uint8Array(0), 0)
    if (paths.length === 0 || paths.length > 31) throw new RangeError('a FieldFinder looks for 1 to 31 paths')
    this.#paths = paths
    this.#keys = paths.map((path) => path.map((part) => TEXT.encode(part)))
    this.#indexes = paths.map((path) => path.map(indexOf))
    this.#starts = new Int32Array(paths.length)
    this.#ends = new Int32Array(paths.length)
  }

  /**
   * Checks that `buffer[start, end)` is one JSON value and finds the paths' values in it. False when it is not JSON
   * or is nested deeper than the stack (callers confirm a false with JSON.parse).
   */
  find(buffer: Buffer, start = 0, end = buffer.length): boolean {
    this.b = buffer
    this.#buffer = buffer
    this.end = end
    this.#starts.fill(-1)
    try {
      let i = this.#walk(this.space(start), (1 << this.#paths.length) - 1, 0)
      if (i < 0) return false
      i = this.space(i)
      return i === end
    } catch (err) {
      if (err instanceof RangeError) return false
      throw err
    }
  }

  /**
   * The value at path `p` after a find() that returned true (undefined: none): a string without escapes is decoded
   * from its bytes (the common key); anything else goes through JSON.parse of that value alone.
   */
  field(p: number): unknown {
    const start = this.#starts[p]!
    if (start < 0) return undefined
    const end = this.#ends[p]!
    const b = this.#buffer
    if (b[start] === QUOTE && !hasByte(b, BACKSLASH, start, end)) return b.toString('utf8', start + 1, end - 1)
    return JSON.parse(b.toString('utf8', start, end))
  }

  #walk(i: number, mask: number, level: number): number {
    const c = this.at(i)
    if (c === 0x7b) return this.#object(i, mask, level)
    if (c === 0x5b) return this.#array(i, mask, level)
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
        this.#starts[p] = -1 // this member replaces an earlier one of the same key, and whatever it held
      }
    }
    const end = deeper === 0 ? this.value(i) : this.#walk(i, deeper, level + 1)
    if (end < 0) return end
    const found = next & ~deeper
    for (let p = 0; p < this.#paths.length; p++) {
      if (found & (1 << p)) {
        this.#starts[p] = i
        this.#ends[p] = end
      }
    }
    return end
  }

  /** The paths of `mask` whose part at `level` is the key in the string at [start, end). */
  #keyMatches(mask: number, level: number, start: number, end: number): number {
    let next = 0
    let decoded: string | undefined
    for (let p = 0; p < this.#paths.length; p++) {
      if (!(mask & (1 << p))) continue
      if (hasByte(this.b, BACKSLASH, start + 1, end - 1)) {
        decoded ??= JSON.parse(this.#buffer.toString('utf8', start, end)) as string
        if (decoded === this.#paths[p]![level]) next |= 1 << p
      } else if (equals(this.b, start + 1, end - 1, this.#keys[p]![level]!)) {
        next |= 1 << p
      }
    }
    return next
  }
}

function hasByte(buffer: Uint8Array, byte: number, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buffer[i] === byte) return true
  return false
}

function equals(buffer: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  if (end - start !== bytes.length) return false
  for (let k = 0; k < bytes.length; k++) if (buffer[start + k] !== bytes[k]) return false
  return true
}
