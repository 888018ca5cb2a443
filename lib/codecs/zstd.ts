/**
 * Zstandard (Kafka >= 2.1, KIP-110): one frame at level 3, the Java client's and librdkafka's default.
 *
 * Two implementations of the same zstd C library: node:zlib's where Node has it (22.15 and later; 1.2 to 3.5 times
 * faster, benchmarks/node-paths.ts) and WebAssembly otherwise. Their frames differ in no way a decoder can tell,
 * and each reads the other's (test/codecs/zstd.test.ts). Both decode frame by frame after zstdFrames has read the headers, so that
 * corrupt input fails the same way on every Node.
 */
import * as zlib from 'node:zlib'
import { CompressionError } from '../errors'
import type { KafkaCodec } from './codec'
import { zstdFrames } from './zstd-frames'
import { hasZlibZstd, nodeZstd } from './zstd-node'
import { wasmZstd } from './zstd-wasm'

export { zstdFrames, type ZstdFrame } from './zstd-frames'

export const ZSTD_LEVEL = 3

/** One way to run zstd. */
export interface ZstdImplementation {
  readonly name: 'node:zlib' | '@bokuweb/zstd-wasm'
  compress(data: Buffer): Promise<Buffer>
  /** Decompresses one (non-skippable) frame whose content is at most `maxSize` bytes. */
  decompressFrame(frame: Buffer, maxSize: number): Promise<Buffer>
}

/** node:zlib's zstd when `zlib` has it, else WebAssembly. `zlib` is a seam for tests. */
export function chooseZstd(zlibModule: object = zlib): ZstdImplementation {
  return hasZlibZstd(zlibModule) ? nodeZstd(zlibModule, ZSTD_LEVEL) : wasmZstd(ZSTD_LEVEL)
}

/** The implementation this process uses. */
export const zstd: ZstdImplementation = chooseZstd()

export async function zstdCompress(data: Buffer, implementation = zstd): Promise<Buffer> {
  try {
    return await implementation.compress(data)
  } catch (err) {
    if (err instanceof CompressionError) throw err
    throw new CompressionError('zstd', `could not compress ${data.length} bytes: ${(err as Error).message}`, err)
  }
}

/** Decompresses every frame in `data` (one for every Kafka client, but zstd allows several) and joins them. */
export async function zstdDecompress(data: Buffer, implementation = zstd): Promise<Buffer> {
  const parts: Buffer[] = []
  for (const frame of zstdFrames(data)) {
    if (frame.skippable) continue
    try {
      parts.push(await implementation.decompressFrame(data.subarray(frame.start, frame.end), frame.maxSize))
    } catch (err) {
      if (err instanceof CompressionError) throw err
      throw new CompressionError('zstd', `could not decompress the frame at byte ${frame.start}: ${(err as Error).message}`, err)
    }
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)
}

export const zstdCodec: KafkaCodec = {
  compress(encoder) {
    return zstdCompress(encoder.buffer)
  },
  decompress(buffer) {
    return zstdDecompress(buffer)
  },
}
