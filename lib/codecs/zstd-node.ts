/**
 * Zstandard through node:zlib (Node 22.15 and later): the zstd C library built into Node, run on libuv's thread
 * pool like gzip, so a large batch does not hold up the event loop. Found by feature detection (hasZlibZstd),
 * never by the version number, so a Node built without it falls back to WebAssembly.
 */
import type { ZstdImplementation } from './zstd'

type BufferCallback = (err: Error | null, result: Buffer) => void

/** The part of node:zlib's zstd API we use; @types/node 20 does not declare it. */
export interface ZlibZstd {
  zstdCompress(data: Buffer, options: { params: Record<number, number>; pledgedSrcSize: number }, callback: BufferCallback): void
  zstdDecompress(data: Buffer, options: { maxOutputLength: number }, callback: BufferCallback): void
  constants: { ZSTD_c_compressionLevel: number }
}

/** Whether `zlib` (node:zlib, or a stand-in in tests) has the zstd functions this module calls. */
export function hasZlibZstd(zlib: object): zlib is ZlibZstd {
  const z = zlib as Partial<ZlibZstd>
  return (
    typeof z.zstdCompress === 'function' &&
    typeof z.zstdDecompress === 'function' &&
    typeof z.constants?.ZSTD_c_compressionLevel === 'number'
  )
}

/** The node:zlib implementation, writing frames at `level`. */
export function nodeZstd(zlib: ZlibZstd, level: number): ZstdImplementation {
  const params = { [zlib.constants.ZSTD_c_compressionLevel]: level }
  return {
    name: 'node:zlib',
    compress(data) {
      return new Promise((resolve, reject) => {
        // The size pledged, the frame declares it, as one-shot compression (WebAssembly's) does; Nodes older than
        // 22.19 ignore the option and write a frame without it, which every decoder reads all the same.
        zlib.zstdCompress(data, { params, pledgedSrcSize: data.length }, (err, out) => (err ? reject(err) : resolve(out)))
      })
    },
    decompressFrame(frame, maxSize) {
      return new Promise((resolve, reject) => {
        // A bound checked by zlib, so that a corrupt frame cannot make it allocate more than its blocks can hold.
        zlib.zstdDecompress(frame, { maxOutputLength: maxSize + 1 }, (err, out) => (err ? reject(err) : resolve(out)))
      })
    },
  }
}
