import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'

/** Where input comes from: stdin, or the files named on the command line, one after the other. */
export interface InputSource {
  /** The file name, or undefined for stdin (error messages then say just "line N"). */
  name: string | undefined
  open(): Readable
}

export function inputSources(files: string[], stdin: Readable): InputSource[] {
  if (files.length === 0 || (files.length === 1 && files[0] === '-')) return [{ name: undefined, open: () => stdin }]
  return files.map((file) => (file === '-' ? { name: 'stdin', open: () => stdin } : { name: file, open: () => createReadStream(file) }))
}

/** "line 12" for stdin, "orders.ndjson:12" for a file. */
export function position(source: InputSource, unit: 'line' | 'document', n: number): string {
  return source.name === undefined ? `${unit} ${n}` : `${source.name}:${unit === 'line' ? '' : `${unit} `}${n}`
}
