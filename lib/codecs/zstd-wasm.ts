/**
 * Zstandard through @bokuweb/zstd-wasm: the reference C library compiled to WebAssembly and shipped inside the
 * npm package, so installing needs no download and no compiler. (Native bindings such as @mongodb-js/zstd fetch
 * a prebuilt binary from GitHub at install time or build from source.) The fallback for Nodes without zstd in
 * node:zlib (before 22.15). It runs on the main thread.
 *
 * Its one-shot decoder needs an output size, which frames written in streaming mode (the Java client's and
 * librdkafka's) do not declare: the caller passes the bound zstdFrames worked out from the block headers, as
 * zstd's own ZSTD_decompressBound does.
 */
import * as zstdWasm from '@bokuweb/zstd-wasm'
import { CompressionError } from '../errors'
import type { ZstdImplementation } from './zstd'

let ready: Promise<void> | undefined

/** Loads the WebAssembly module once per process. */
export function loadZstd(): Promise<void> {
  ready ??= zstdWasm.init().catch((err: unknown) => {
    ready = undefined
    throw new CompressionError('zstd', `could not load the WebAssembly zstd module: ${(err as Error).message}`, err)
  })
  return ready
}

function asBuffer(out: Uint8Array): Buffer {
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength)
}

/** The WebAssembly implementation, writing frames at `level`. */
export function wasmZstd(level: number): ZstdImplementation {
  return {
    name: '@bokuweb/zstd-wasm',
    async compress(data) {
      await loadZstd()
      return asBuffer(zstdWasm.compress(data, level))
    },
    async decompressFrame(frame, maxSize) {
      await loadZstd()
      // The bound is used only when the frame does not declare its size; +1 because malloc(0) may return null.
      return asBuffer(zstdWasm.decompress(frame, { defaultHeapSize: maxSize + 1 }))
    },
  }
}
