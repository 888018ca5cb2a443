import type { Readable } from 'node:stream'
import { lineItems, ndjsonItems, type BadLineHandler, type WantedFields } from './input-lines'
import { jsonItems } from './input-json'
import type { InputSource } from './input-source'
import type { InputItem } from './record'

export const INPUT_FORMATS = ['ndjson', 'json', 'lines'] as const
export type InputFormat = (typeof INPUT_FORMATS)[number]

export interface Input {
  /** The items in batches (ndjson: the lines of one chunk read), so that the reading costs one await per batch. */
  items: AsyncGenerator<InputItem[]>
  /** Stops reading: destroys the stream being read, so a pending read ends. */
  close(): void
}

/**
 * The input items of every source in order, parsed as `format`, one source open at a time. `onBadLine` makes
 * ndjson skip lines that are not JSON instead of stopping; `wanted` names the fields ndjson finds in each line.
 */
export function openInput(sources: InputSource[], format: InputFormat, onBadLine?: BadLineHandler, wanted: WantedFields = {}): Input {
  let current: Readable | undefined
  let closed = false
  async function* items(): AsyncGenerator<InputItem[]> {
    for (const source of sources) {
      if (closed) return
      current = source.open()
      if (format === 'ndjson') yield* ndjsonItems(source, current, onBadLine, wanted)
      else if (format === 'lines') yield* lineItems(source, current)
      else yield* jsonItems(source, current)
    }
  }
  return {
    items: items(),
    close() {
      closed = true
      current?.destroy()
    },
  }
}
