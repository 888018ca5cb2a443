import type { Readable } from 'node:stream'

const NEWLINE = 0x0a
const CR = 0x0d

/**
 * The lines of one chunk read: line i is `buffer[starts[i], ends[i])`, without its `\n` or `\r\n`. Lines are
 * positions, not Buffers, so a line costs no object until it is decoded (or, when bad, copied as it is).
 */
export interface LineBatch {
  buffer: Buffer
  starts: number[]
  ends: number[]
}

/**
 * The lines of `stream` as bytes: exactly what the input held, valid UTF-8 or not (readline decodes, and so replaces
 * bytes that are not UTF-8). A last line without a newline counts; a line split across chunks is joined. The lines
 * come one batch per chunk read: one await per chunk, not per line, which is what lets `produce` keep up with the
 * writer.
 */
export async function* lineBatches(stream: Readable): AsyncGenerator<LineBatch> {
  let carry: Buffer | undefined
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    if (carry !== undefined) {
      buffer = Buffer.concat([carry, buffer])
      carry = undefined
    }
    const batch: LineBatch = { buffer, starts: [], ends: [] }
    let start = 0
    for (let end = buffer.indexOf(NEWLINE); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      batch.starts.push(start)
      batch.ends.push(end > start && buffer[end - 1] === CR ? end - 1 : end)
      start = end + 1
    }
    if (start < buffer.length) carry = buffer.subarray(start)
    if (batch.starts.length > 0) yield batch
  }
  if (carry !== undefined) {
    const end = carry[carry.length - 1] === CR ? carry.length - 1 : carry.length
    yield { buffer: carry, starts: [0], ends: [end] }
  }
}
