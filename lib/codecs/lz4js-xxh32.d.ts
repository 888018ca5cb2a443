// lz4js ships its xxHash32 as a separate file that @types/lz4js does not describe.
declare module 'lz4js/xxh32.js' {
  /** xxHash32 of `src[index, index + length)` with `seed`, as an unsigned 32-bit integer. */
  export function hash(seed: number, src: Uint8Array, index: number, length: number): number
}
