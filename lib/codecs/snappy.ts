/**
 * Snappy as Kafka clients write it. The Java client wraps the batch in snappy-java's SnappyOutputStream: the
 * "xerial" framing, a 16-byte header (0x82 'SNAPPY' 0x00, version 1, compatible version 1) followed by
 * chunks of [int32 big-endian length][raw snappy block], each block covering at most 32 KiB of input.
 * librdkafka writes one raw snappy block without any framing; the Java client, librdkafka and this reader
 * accept both, so writing the Java layout keeps every reader working.
 */
import * as snappyjs from 'snappyjs'
import { CompressionError } from '../errors'
import type { KafkaCodec } from './codec'

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])
const XERIAL_VERSION = 1
const XERIAL_COMPATIBLE_VERSION = 1
const XERIAL_HEADER_SIZE = 16
/** SnappyOutputStream.DEFAULT_BLOCK_SIZE in snappy-java, the size the Java client compresses at. */
export const XERIAL_CHUNK_SIZE = 32 * 1024

/** Snappy emits at most 64 output bytes for 3 input bytes; a larger declared length is corrupt. */
const MAX_EXPANSION = 22

export function snappyCompress(data: Buffer): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_SIZE)
  XERIAL_MAGIC.copy(header, 0)
  header.writeInt32BE(XERIAL_VERSION, 8)
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12)
  const parts: Buffer[] = [header]
  for (let offset = 0; offset < data.length; offset += XERIAL_CHUNK_SIZE) {
    const block = snappyjs.compress(data.subarray(offset, offset + XERIAL_CHUNK_SIZE))
    const length = Buffer.alloc(4)
    length.writeInt32BE(block.length, 0)
    parts.push(length, block)
  }
  return Buffer.concat(parts)
}

/** Reads xerial-framed snappy (Java client) and raw snappy blocks (librdkafka, which writes no framing). */
export function snappyDecompress(data: Buffer): Buffer {
  if (!startsWithMagic(data, 0)) return uncompressBlock(data, 'the raw snappy block')
  const parts: Buffer[] = []
  let offset = 0
  while (offset < data.length) {
    // snappy-java also reads streams written one after the other, each with its own header; a chunk length
    // is a non-negative int32, so it never starts with the magic's 0x82.
    if (startsWithMagic(data, offset)) {
      offset = skipHeader(data, offset)
      continue
    }
    if (offset + 4 > data.length) {
      throw new CompressionError('snappy', `truncated xerial chunk length at byte ${offset} of ${data.length}`)
    }
    const length = data.readInt32BE(offset)
    if (length < 0 || offset + 4 + length > data.length) {
      throw new CompressionError(
        'snappy',
        `the xerial chunk at byte ${offset} claims ${length} bytes but ${data.length - offset - 4} remain`,
      )
    }
    parts.push(uncompressBlock(data.subarray(offset + 4, offset + 4 + length), `the xerial chunk at byte ${offset}`))
    offset += 4 + length
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)
}

function startsWithMagic(data: Buffer, offset: number): boolean {
  const end = offset + XERIAL_MAGIC.length
  return end <= data.length && data.compare(XERIAL_MAGIC, 0, XERIAL_MAGIC.length, offset, end) === 0
}

function skipHeader(data: Buffer, offset: number): number {
  if (offset + XERIAL_HEADER_SIZE > data.length) {
    throw new CompressionError('snappy', `truncated xerial header at byte ${offset} of ${data.length}`)
  }
  // Like snappy-java: refuse a stream that says readers of version 1 cannot decode it.
  const compatible = data.readInt32BE(offset + 12)
  if (compatible > XERIAL_VERSION) {
    throw new CompressionError('snappy', `xerial stream needs a reader of version ${compatible}; this one reads version ${XERIAL_VERSION}`)
  }
  return offset + XERIAL_HEADER_SIZE
}

function uncompressBlock(block: Buffer, what: string): Buffer {
  try {
    return snappyjs.uncompress(block, block.length * MAX_EXPANSION + 16)
  } catch (err) {
    throw new CompressionError('snappy', `could not decompress ${what} (${block.length} bytes): ${(err as Error).message}`, err)
  }
}

export const snappyCodec: KafkaCodec = {
  async compress(encoder) {
    return snappyCompress(encoder.buffer)
  },
  async decompress(buffer) {
    return snappyDecompress(buffer)
  },
}
