// stream-json ships no types (and @types/stream-json is not a dependency): what lib/cli/input-json.ts uses of it.
declare module 'stream-json/streamers/StreamArray' {
  import type { Duplex } from 'node:stream'
  /** A parser plus streamer: JSON text in, `{ key: index, value }` for each element of a top-level array out. */
  export function withParser(options?: object): Duplex
}
declare module 'stream-json/streamers/StreamValues' {
  import type { Duplex } from 'node:stream'
  /** A parser plus streamer: JSON text of concatenated values in, `{ key: index, value }` for each value out. */
  export function withParser(options?: object): Duplex
}
