import { Readable } from 'node:stream'
import { withParser as arrayParser } from 'stream-json/streamers/StreamArray'
import { withParser as valuesParser } from 'stream-json/streamers/StreamValues'
import { BadInputError } from './exit-codes'
import { position, type InputSource } from './input-source'
import type { InputItem } from './record'

/**
 * `--format json`: a top-level JSON array (each element is a record) or JSON values one after the other (each value
 * is a record), told apart by the first character. stream-json parses as the bytes come, so only one document at a
 * time is in memory whatever the input's size. A parse error stops (a stream parser cannot find the next value after
 * it) with the number of the document it was in.
 */
export async function* jsonItems(source: InputSource, stream: Readable): AsyncGenerator<InputItem[]> {
  const { first, rest } = await peekFirstCharacter(stream)
  if (first === undefined) return
  const parsed = rest.pipe(first === '[' ? arrayParser() : valuesParser())
  rest.on('error', (err) => parsed.destroy(err))
  let n = 0
  try {
    for await (const { value } of parsed as AsyncIterable<{ key: number; value: unknown }>) {
      n++
      yield [{ value, document: value, where: position(source, 'document', n) }]
    }
  } catch (err) {
    if ((err as { code?: string }).code !== undefined) throw err // an I/O error, not the parser's
    throw new BadInputError(`${position(source, 'document', n + 1)}: not JSON (${(err as Error).message})`, { cause: err })
  }
}

/** The first non-blank character of `stream`, and a stream of all its bytes (the ones read to find it included). */
async function peekFirstCharacter(stream: Readable): Promise<{ first: string | undefined; rest: Readable }> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>
  const head: Buffer[] = []
  let first: string | undefined
  while (first === undefined) {
    const next = await chunks.next()
    if (next.done) break
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value
    head.push(chunk)
    first = /\S/.exec(chunk.toString('latin1'))?.[0]
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield* head
    for (;;) {
      const next = await chunks.next()
      if (next.done) return
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value
    }
  }
  return { first, rest: Readable.from(all(), { objectMode: false }) }
}
