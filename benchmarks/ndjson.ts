/** The NDJSON documents of the CLI benchmark: ~200 bytes each, keyed by `id`; the same for every subject. */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'

export const NDJSON_LINE_BYTES = 200

/** Document i as one line of JSON (no newline), padded to NDJSON_LINE_BYTES with its `text` field. */
export function ndjsonLine(i: number): string {
  const head = `{"id":"key-${i % 10_000}","n":${i},"at":"2024-05-01T00:00:00.000Z","tags":["cli","bench"],"text":"`
  return `${head}${'x'.repeat(Math.max(0, NDJSON_LINE_BYTES - head.length - 2))}"}`
}

/** Writes `count` documents, one per line, to `file`. */
export async function writeNdjson(file: string, count: number): Promise<void> {
  const out = createWriteStream(file)
  for (let i = 0; i < count; i++) if (!out.write(`${ndjsonLine(i)}\n`)) await once(out, 'drain')
  out.end()
  await once(out, 'finish')
}
