import type { Readable } from 'node:stream'

const NEWLINE = 0x0a
const CR = 0x0d

/**
 * The lines of `stream` as bytes, without their `\n` or `\r\n`: exactly what the input held, valid UTF-8 or not
 * (readline decodes, and so replaces bytes that are not UTF-8). A last line without a newline counts. A line split
 * across chunks is joined; a line within one chunk is a view of it, not a copy.
 */
export async function* byteLines(stream: Readable): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    if (carry !== undefined) {
      buffer = Buffer.concat([carry, buffer])
      carry = undefined
    }
    let start = 0
    for (let end = buffer.indexOf(NEWLINE); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      yield withoutCr(buffer.subarray(start, end))
      start = end + 1
    }
    if (start < buffer.length) carry = buffer.subarray(start)
  }
  if (carry !== undefined) yield withoutCr(carry)
}

function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line
}
