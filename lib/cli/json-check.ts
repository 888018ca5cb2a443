/**
 * Whether `buffer[start, end)` is one JSON value (RFC 8259), with whitespace around it allowed: what JSON.parse
 * accepts, checked on the bytes without building the value, so that `produce` without --key/--timestamp, which never
 * needs the document, refuses what is not JSON at a fraction of JSON.parse's cost (no strings, objects or garbage).
 * Bytes of 0x80 and above inside strings are taken as they are, as JSON.parse takes what decoding made of them.
 */
// A false answer may be wrong only for nesting deeper than the stack; callers confirm a false with JSON.parse.
export function isJson(buffer: Uint8Array, start = 0, end = buffer.length): boolean {
  const checker = new Checker(buffer, end)
  try {
    let i = checker.value(checker.space(start))
    if (i < 0) return false
    i = checker.space(i)
    return i === end
  } catch (err) {
    if (err instanceof RangeError) return false // nested deeper than the stack: the caller asks JSON.parse
    throw err
  }
}

export const QUOTE = 0x22
export const BACKSLASH = 0x5c
const ZERO = 0x30
const NINE = 0x39

/** A JSON validator over bytes; `value(i)` returns the index after the value at i, or -1. */
export class Checker {
  constructor(
    public b: Uint8Array,
    public end: number,
  ) {}

  /** The byte at i, or undefined past the end (the buffer may go on: a chunk holds more lines). */
  at(i: number): number | undefined {
    return i < this.end ? this.b[i] : undefined
  }

  space(i: number): number {
    const { b, end } = this
    while (i < end) {
      const c = b[i]
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break
      i++
    }
    return i
  }

  /** The index after the value starting at i, or -1. */
  value(i: number): number {
    const c = this.at(i)
    if (c === undefined) return -1
    if (c === QUOTE) return this.string(i)
    if (c === 0x7b) return this.object(i)
    if (c === 0x5b) return this.array(i)
    if (c === 0x2d || (c >= ZERO && c <= NINE)) return this.number(i)
    if (c === 0x74) return this.literal(i, 'true')
    if (c === 0x66) return this.literal(i, 'false')
    if (c === 0x6e) return this.literal(i, 'null')
    return -1
  }

  object(i: number): number {
    i = this.space(i + 1)
    if (i < this.end && this.at(i) === 0x7d) return i + 1
    for (;;) {
      if (i >= this.end || this.at(i) !== QUOTE) return -1
      i = this.string(i)
      if (i < 0) return -1
      i = this.space(i)
      if (i >= this.end || this.at(i) !== 0x3a) return -1
      i = this.value(this.space(i + 1))
      if (i < 0) return -1
      i = this.space(i)
      if (i >= this.end) return -1
      if (this.at(i) === 0x7d) return i + 1
      if (this.at(i) !== 0x2c) return -1
      i = this.space(i + 1)
    }
  }

  array(i: number): number {
    i = this.space(i + 1)
    if (i < this.end && this.at(i) === 0x5d) return i + 1
    for (;;) {
      i = this.value(i)
      if (i < 0) return -1
      i = this.space(i)
      if (i >= this.end) return -1
      if (this.at(i) === 0x5d) return i + 1
      if (this.at(i) !== 0x2c) return -1
      i = this.space(i + 1)
    }
  }

  string(i: number): number {
    // The hot loop (most bytes of a document are in strings): plain indexing within [i, end).
    const { b, end } = this
    for (i++; i < end; i++) {
      const c = b[i]!
      if (c === QUOTE) return i + 1
      if (c < 0x20) return -1
      if (c === BACKSLASH) {
        const e = this.at(++i)
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) if (!isHex(this.at(++i))) return -1
        } else if (e !== QUOTE && e !== BACKSLASH && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) {
          return -1
        }
      }
    }
    return -1
  }

  number(i: number): number {
    if (this.at(i) === 0x2d) i++
    if (this.at(i) === ZERO) i++
    else if (isDigit(this.at(i))) while (isDigit(this.at(i))) i++
    else return -1
    if (this.at(i) === 0x2e) {
      if (!isDigit(this.at(++i))) return -1
      while (isDigit(this.at(i))) i++
    }
    if (this.at(i) === 0x65 || this.at(i) === 0x45) {
      i++
      if (this.at(i) === 0x2b || this.at(i) === 0x2d) i++
      if (!isDigit(this.at(i))) return -1
      while (isDigit(this.at(i))) i++
    }
    return i
  }

  literal(i: number, word: string): number {
    if (i + word.length > this.end) return -1
    for (let k = 0; k < word.length; k++) if (this.at(i + k) !== word.charCodeAt(k)) return -1
    return i + word.length
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= ZERO && c <= NINE) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46))
}
