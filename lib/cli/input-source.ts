import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'

const FILE_CHUNK = 1024 * 1024

/** Where input comes from: stdin, or the files named on the command line, one after the other. */
export interface InputSource {
  /** The file name, or undefined for stdin (error messages then say just "line N"). */
  name: string | undefined
  open(): Readable
}

export function inputSources(files: string[], stdin: Readable): InputSource[] {
  if (files.length === 0 || (files.length === 1 && files[0] === '-')) return [{ name: undefined, open: () => stdin }]
  // 1 MiB reads: a file is read in 16 times fewer chunks than with the default 64 KiB, each one await of the reading.
  return files.map((file) => (file === '-' ? { name: 'stdin', open: () => stdin } : { name: file, open: () => createReadStream(file, { highWaterMark: FILE_CHUNK }) }))
}

/** "line 12" for stdin, "orders.ndjson:12" for a file. */
export function position(source: InputSource, unit: 'line' | 'document', n: number): string {
  return source.name === undefined ? `${unit} ${n}` : `${source.name}:${unit === 'line' ? '' : `${unit} `}${n}`
}
