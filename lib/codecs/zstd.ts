/**
 * Zstandard (Kafka >= 2.1, KIP-110) through @bokuweb/zstd-wasm: the reference C library compiled to
 * WebAssembly and shipped inside the npm package, so installing needs no download and no compiler. (Native
 * bindings such as @mongodb-js/zstd fetch a prebuilt binary from GitHub at install time or build from source.)
 *
 * We write one frame at level 3, the Java client's and librdkafka's default. The Java client and librdkafka
 * compress in streaming mode and write frames that do not declare their content size; the library's one-shot
 * decoder needs an output size, so we work out an upper bound from the frame's block headers, as zstd's own
 * ZSTD_decompressBound does.
 */
import * as zstdWasm from '@bokuweb/zstd-wasm'
import { CompressionError } from '../errors'
import type { KafkaCodec } from './codec'

export const ZSTD_LEVEL = 3

const FRAME_MAGIC = 0xfd2fb528
const SKIPPABLE_MAGIC_MASK = 0xfffffff0
const SKIPPABLE_MAGIC = 0x184d2a50
const MAX_BLOCK_SIZE = 128 * 1024
const BLOCK_RAW = 0
const BLOCK_RLE = 1
const BLOCK_RESERVED = 3

let ready: Promise<void> | undefined

/** Loads the WebAssembly module once per process. */
export function loadZstd(): Promise<void> {
  ready ??= zstdWasm.init().catch((err: unknown) => {
    ready = undefined
    throw new CompressionError('zstd', `could not load the WebAssembly zstd module: ${(err as Error).message}`, err)
  })
  return ready
}

export async function zstdCompress(data: Buffer): Promise<Buffer> {
  await loadZstd()
  const out = zstdWasm.compress(data, ZSTD_LEVEL)
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength)
}

/** Decompresses every frame in `data` (one for every Kafka client, but zstd allows several) and joins them. */
export async function zstdDecompress(data: Buffer): Promise<Buffer> {
  await loadZstd()
  const parts: Buffer[] = []
  for (const frame of zstdFrames(data)) {
    if (frame.skippable) continue
    let out: Uint8Array
    try {
      // The bound is used only when the frame does not declare its size; +1 because malloc(0) may return null.
      out = zstdWasm.decompress(data.subarray(frame.start, frame.end), { defaultHeapSize: frame.maxSize + 1 })
    } catch (err) {
      throw new CompressionError('zstd', `could not decompress the frame at byte ${frame.start}: ${(err as Error).message}`, err)
    }
    parts.push(Buffer.from(out.buffer, out.byteOffset, out.byteLength))
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)
}

export interface ZstdFrame {
  start: number
  end: number
  skippable: boolean
  /** Upper bound of the decompressed size: the declared content size, else the sum of block bounds. */
  maxSize: number
}

/** Splits `data` into frames by reading only frame and block headers (zstd format, RFC 8878 section 3). */
export function zstdFrames(data: Buffer): ZstdFrame[] {
  const frames: ZstdFrame[] = []
  let pos = 0
  if (data.length === 0) throw corrupt('empty input')
  while (pos < data.length) {
    need(data, pos, 4, 'frame magic')
    const magic = data.readUInt32LE(pos)
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      need(data, pos + 4, 4, 'skippable frame size')
      const end = pos + 8 + data.readUInt32LE(pos + 4)
      if (end > data.length) throw corrupt(`truncated skippable frame at byte ${pos}`)
      frames.push({ start: pos, end, skippable: true, maxSize: 0 })
      pos = end
      continue
    }
    if (magic !== FRAME_MAGIC) {
      throw corrupt(`expected a zstd frame (magic 0xfd2fb528) at byte ${pos}, found 0x${magic.toString(16).padStart(8, '0')}`)
    }
    const frame = readFrame(data, pos)
    frames.push(frame)
    pos = frame.end
  }
  return frames
}

function readFrame(data: Buffer, start: number): ZstdFrame {
  let pos = start + 4
  need(data, pos, 1, 'frame header')
  const descriptor = data[pos++] as number
  const sizeFlag = descriptor >> 6
  const singleSegment = (descriptor & 0x20) !== 0
  const hasChecksum = (descriptor & 0x04) !== 0
  if (descriptor & 0x08) throw corrupt(`reserved bit set in the frame header at byte ${start}`)
  const dictionaryIdSize = [0, 1, 2, 4][descriptor & 3] as number
  const contentSizeSize = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag] as number
  const headerRest = (singleSegment ? 0 : 1) + dictionaryIdSize + contentSizeSize
  need(data, pos, headerRest, 'frame header')
  pos += (singleSegment ? 0 : 1) + dictionaryIdSize
  let contentSize: number | undefined
  if (contentSizeSize === 1) contentSize = data[pos] as number
  else if (contentSizeSize === 2) contentSize = data.readUInt16LE(pos) + 256
  else if (contentSizeSize === 4) contentSize = data.readUInt32LE(pos)
  else if (contentSizeSize === 8) contentSize = Number(data.readBigUInt64LE(pos))
  pos += contentSizeSize

  let blockBound = 0
  for (let last = false; !last; ) {
    need(data, pos, 3, 'block header')
    const header = (data[pos] as number) | ((data[pos + 1] as number) << 8) | ((data[pos + 2] as number) << 16)
    pos += 3
    last = (header & 1) === 1
    const type = (header >> 1) & 3
    const size = header >>> 3
    if (type === BLOCK_RESERVED) throw corrupt(`reserved block type at byte ${pos - 3}`)
    const stored = type === BLOCK_RLE ? 1 : size
    need(data, pos, stored, 'block')
    pos += stored
    blockBound += type === BLOCK_RAW || type === BLOCK_RLE ? size : MAX_BLOCK_SIZE
  }
  if (hasChecksum) {
    need(data, pos, 4, 'content checksum')
    pos += 4
  }
  // Checked here because the library would allocate whatever a corrupt header declares.
  if (contentSize !== undefined && contentSize > blockBound) {
    throw corrupt(`the frame at byte ${start} declares ${contentSize} bytes but its blocks hold at most ${blockBound}`)
  }
  return { start, end: pos, skippable: false, maxSize: contentSize ?? blockBound }
}

function need(data: Buffer, pos: number, count: number, what: string): void {
  if (pos + count > data.length) throw corrupt(`truncated ${what} at byte ${pos} of ${data.length}`)
}

function corrupt(message: string): CompressionError {
  return new CompressionError('zstd', message)
}

export const zstdCodec: KafkaCodec = {
  compress(encoder) {
    return zstdCompress(encoder.buffer)
  },
  decompress(buffer) {
    return zstdDecompress(buffer)
  },
}
