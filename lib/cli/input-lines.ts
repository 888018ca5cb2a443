import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { lineBatches } from './byte-lines'
import type { FieldPath } from './field-path'
import { isJson } from './json-check'
import { FieldFinder } from './json-fields'
import { BadInputError } from './exit-codes'
import { position, type InputSource } from './input-source'
import type { FieldValues, InputItem } from './record'

/** A line that is not JSON, as it was in the input. */
export interface BadLine {
  /** The line's bytes, without its end of line. */
  bytes: Buffer
  /** "line 12" on stdin, "orders.ndjson:12" in a file. */
  where: string
  /** Why it is not a record, e.g. "not JSON (Unexpected token 'x')". */
  problem: string
}

/** Called for each line that is not JSON; the reading waits for what it returns. */
export type BadLineHandler = (error: BadInputError, bad: BadLine) => void | Promise<void>

/** The fields of each document that the records need. */
export interface WantedFields {
  key?: FieldPath
  timestamp?: FieldPath
}

/**
 * NDJSON / JSON Lines: one JSON value per line, blank lines ignored. The value sent is the line's bytes (a view of
 * the chunk read: no decoding, no copy, no encoding again in the writer), so the record holds exactly what the input
 * held. Each line is checked to be JSON on its bytes (isJson), and the `wanted` fields are found the same way
 * (FieldFinder) and given as `fields`: no line is parsed whole. A line the check refuses is given to JSON.parse,
 * which confirms the refusal and says why, or takes it (a BOM, nesting deeper than the check goes): then the value
 * is its text and `document` the parsed line when fields are wanted. A line that is not JSON is a BadInputError
 * with its line number and an excerpt, thrown, or given to `onBadLine` (skip).
 */
export async function* ndjsonItems(source: InputSource, stream: Readable, onBadLine?: BadLineHandler, wanted: WantedFields = {}): AsyncGenerator<InputItem[]> {
  const paths = [wanted.key, wanted.timestamp].filter((p): p is FieldPath => p !== undefined)
  const finder = paths.length === 0 ? undefined : new FieldFinder(paths)
  const timestampAt = wanted.key === undefined ? 0 : 1
  let n = 0
  for await (const { buffer, starts, ends } of lineBatches(stream)) {
    let batch: InputItem[] = []
    for (let i = 0; i < starts.length; i++) {
      n++
      const [start, end] = trimmed(buffer, starts[i]!, ends[i]!)
      if (start === end) continue
      if (finder === undefined) {
        if (isJson(buffer, start, end)) {
          batch.push(new LineItem(buffer.subarray(start, end), undefined, undefined, source, n))
          continue
        }
      } else if (finder.find(buffer, start, end)) {
        const fields: FieldValues = {
          key: wanted.key && finder.field(0),
          timestamp: wanted.timestamp && finder.field(timestampAt),
        }
        batch.push(new LineItem(buffer.subarray(start, end), undefined, fields, source, n))
        continue
      }
      const text = buffer.toString('utf8', starts[i], ends[i]).trim()
      if (text === '') continue
      let document: unknown
      try {
        // Confirms the check's refusal and says why, or takes the line (then the document serves the fields).
        document = JSON.parse(text)
        if (paths.length === 0) document = undefined
      } catch (err) {
        const problem = parseProblem(err)
        const error = new BadInputError(`${position(source, 'line', n)}: not JSON (${problem}): ${excerpt(text)}`)
        // The lines before it go first: they are stored even when this one stops the run.
        if (batch.length > 0) yield batch
        batch = []
        if (onBadLine === undefined) throw error
        const bytes = Buffer.from(buffer.subarray(starts[i], ends[i])) // a copy: the chunk is not kept for one line
        await onBadLine(error, { bytes, where: position(source, 'line', n), problem: `not JSON (${problem})` })
        continue
      }
      batch.push(new LineItem(text, document, undefined, source, n))
    }
    if (batch.length > 0) yield batch
  }
}

/** The bounds of buffer[start, end) without the JSON whitespace (space, tab, CR, LF) at either end. */
function trimmed(buffer: Buffer, start: number, end: number): [number, number] {
  while (start < end && isSpace(buffer[start]!)) start++
  while (end > start && isSpace(buffer[end - 1]!)) end--
  return [start, end]
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a
}

/**
 * An NDJSON line's item. Its `where` ("line 12", "orders.ndjson:12") is made only when an error asks for it: a run
 * of a million lines would otherwise format a million strings for nothing.
 */
class LineItem implements InputItem {
  constructor(
    readonly value: unknown,
    readonly document: unknown,
    readonly fields: FieldValues | undefined,
    readonly source: InputSource,
    readonly line: number,
  ) {}

  get where(): string {
    return position(this.source, 'line', this.line)
  }
}

/** Raw lines: each line (without its end of line) is a record's value as it is. */
export async function* lineItems(source: InputSource, stream: Readable): AsyncGenerator<InputItem[]> {
  let n = 0
  for await (const line of linesOf(stream)) {
    n++
    yield [{ value: line, document: undefined, where: position(source, 'line', n) }]
  }
}

/** The start of a line, short enough for one line of an error message. */
export function excerpt(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text)
}

/** The lines of `stream` (\n or \r\n); they end when the stream ends or is destroyed (readline waits for 'end' only). */
function linesOf(stream: Readable): AsyncIterable<string> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity })
  stream.once('close', () => lines.close())
  return lines
}

/** JSON.parse's reason without the copy of the input Node 20+ appends (the excerpt shows it). */
function parseProblem(err: unknown): string {
  return (err as Error).message.replace(/, (\.\.\.)?".*$/s, '')
}
