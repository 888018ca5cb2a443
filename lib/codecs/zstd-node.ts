/**
 * Zstandard through node:zlib (Node 22.15 and later): the zstd C library built into Node. Found by feature
 * detection (hasZlibZstd), never by the version number, so a Node built without it falls back to WebAssembly.
 *
 * Synchronous on purpose, as the WebAssembly path is: measured on Node 24 (benchmarks/node-paths.ts), the thread
 * pool round trip of zlib's callback API made decompressing 16 KiB batches 4 times slower than WebAssembly, while
 * the synchronous calls beat it at every size.
 */
import type { ZstdImplementation } from './zstd'

/** Output chunks up to this size are allocated at once; bigger outputs grow chunk by chunk. */
const MAX_CHUNK = 4 * 1024 * 1024
/** zlib's smallest chunk size. */
const MIN_CHUNK = 64

/** The part of node:zlib's zstd API we use; @types/node 20 does not declare it. */
export interface ZlibZstd {
  zstdCompressSync(data: Buffer, options: { params: Record<number, number>; pledgedSrcSize: number }): Buffer
  zstdDecompressSync(data: Buffer, options: { maxOutputLength: number; chunkSize: number }): Buffer
  constants: { ZSTD_c_compressionLevel: number }
}

/** Whether `zlib` (node:zlib, or a stand-in in tests) has the zstd functions this module calls. */
export function hasZlibZstd(zlib: object): zlib is ZlibZstd {
  const z = zlib as Partial<ZlibZstd>
  return (
    typeof z.zstdCompressSync === 'function' &&
    typeof z.zstdDecompressSync === 'function' &&
    typeof z.constants?.ZSTD_c_compressionLevel === 'number'
  )
}

/** The node:zlib implementation, writing frames at `level`. */
export function nodeZstd(zlib: ZlibZstd, level: number): ZstdImplementation {
  const params = { [zlib.constants.ZSTD_c_compressionLevel]: level }
  return {
    name: 'node:zlib',
    async compress(data) {
      // The size pledged, the frame declares it, as one-shot compression (WebAssembly's) does; Nodes older than
      // 22.19 ignore the option and write a frame without it, which every decoder reads all the same.
      return zlib.zstdCompressSync(data, { params, pledgedSrcSize: data.length })
    },
    async decompressFrame(frame, maxSize) {
      // maxOutputLength: a corrupt frame cannot make zlib allocate more than its blocks can hold. chunkSize: the
      // whole output in one chunk, not zlib's 16 KiB ones joined at the end (1.6 times faster on 1 MiB batches).
      const chunkSize = Math.min(Math.max(maxSize + 1, MIN_CHUNK), MAX_CHUNK)
      return zlib.zstdDecompressSync(frame, { maxOutputLength: maxSize + 1, chunkSize })
    },
  }
}
