/**
 * LZ4 in the standard frame format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md), which is
 * what Kafka >= 0.10 uses for message format v1 and v2 (KIP-57).
 *
 * We write what the Java client's Lz4BlockOutputStream writes: 64 KiB independent blocks (FLG 0x60, BD 0x40),
 * no checksums, and the header checksum over the frame descriptor only. lz4js' own `compress` cannot be used:
 * it leaves the block-independence flag unset, which the Java client and the broker refuse ("Dependent block
 * stream is unsupported"), and lets matches reach back into the previous block. We use its block compressor
 * with a fresh hash table per block instead.
 *
 * The reader takes any frame a Kafka client writes: the Java client (optionally with block checksums),
 * librdkafka (lz4's LZ4F API: content size and content checksum may be set), and frames whose header checksum
 * also covers the magic number, as Kafka < 0.10 wrote them into magic v0 messages.
 */
import * as lz4js from 'lz4js'
import { hash as xxh32 } from 'lz4js/xxh32.js'
import { CompressionError } from '../errors'
import type { KafkaCodec } from './codec'

const MAGIC = 0x184d2204
const SKIPPABLE_MAGIC_MASK = 0xfffffff0
const SKIPPABLE_MAGIC = 0x184d2a50

const FLG_VERSION_MASK = 0xc0
const FLG_VERSION = 0x40
const FLG_BLOCK_INDEPENDENCE = 0x20
const FLG_BLOCK_CHECKSUM = 0x10
const FLG_CONTENT_SIZE = 0x08
const FLG_CONTENT_CHECKSUM = 0x04
const FLG_RESERVED = 0x02
const FLG_DICTIONARY_ID = 0x01

/** Block maximum sizes by the BD byte's bits 4-6. */
const BLOCK_SIZES: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 }
const BLOCK_SIZE_ID = 4
const BLOCK_SIZE = 64 * 1024
const UNCOMPRESSED_BLOCK = 0x80000000

const MIN_MATCH = 4
/** The LZ4 block format starts no match in the last 12 bytes of a block... */
const MATCH_FREE_TAIL = 12
/** ...but lz4js' block compressor starts one as late as 10 bytes before the end. */
const LZ4JS_LATEST_MATCH = 10

export function lz4Compress(data: Buffer): Buffer {
  const blockCount = Math.ceil(data.length / BLOCK_SIZE)
  const out = Buffer.allocUnsafe(7 + blockCount * (4 + BLOCK_SIZE) + 4)
  out.writeUInt32LE(MAGIC, 0)
  out[4] = FLG_VERSION | FLG_BLOCK_INDEPENDENCE
  out[5] = BLOCK_SIZE_ID << 4
  out[6] = headerChecksum(out, 4, 6)
  let pos = 7

  const hashTable = new Uint32Array(1 << 16)
  const scratch = new Uint8Array(lz4js.compressBound(BLOCK_SIZE))
  for (let start = 0; start < data.length; start += BLOCK_SIZE) {
    const block = data.subarray(start, start + BLOCK_SIZE)
    hashTable.fill(0)
    const size = block.length > MATCH_FREE_TAIL ? compressBlock(block, scratch, hashTable) : 0
    if (size > 0 && size < block.length) {
      out.writeUInt32LE(size, pos)
      out.set(scratch.subarray(0, size), pos + 4)
      pos += 4 + size
    } else {
      out.writeUInt32LE((UNCOMPRESSED_BLOCK | block.length) >>> 0, pos)
      block.copy(out, pos + 4)
      pos += 4 + block.length
    }
  }
  out.writeUInt32LE(0, pos)
  return out.subarray(0, pos + 4)
}

/**
 * lz4js' block compressor may start a match closer to the end of the block than the format allows, and lz4's
 * reference decoder (lz4-java in the Java client too) then rejects a block that fills its buffer. Compressing
 * all but the last 2 bytes keeps every match far enough from the end; those 2 bytes join the final literal run.
 */
function compressBlock(block: Buffer, scratch: Uint8Array, hashTable: Uint32Array): number {
  const held = MATCH_FREE_TAIL - LZ4JS_LATEST_MATCH
  const size = lz4js.compressBlock(block, scratch, 0, block.length - held, hashTable)
  if (size === 0) return 0
  return appendToLastLiterals(scratch, size, block.subarray(block.length - held))
}

/** Rewrites the block's last sequence (literals only) so that it also carries `extra`; returns the new size. */
function appendToLastLiterals(scratch: Uint8Array, size: number, extra: Uint8Array): number {
  // Walk the sequences to find where the last one starts.
  let pos = 0
  let lastStart = 0
  let lastLiterals = 0
  while (pos < size) {
    lastStart = pos
    const token = scratch[pos++] as number
    let literals = token >>> 4
    if (literals === 15) {
      let byte: number
      do {
        byte = scratch[pos++] as number
        literals += byte
      } while (byte === 255)
    }
    pos += literals
    lastLiterals = literals
    if (pos >= size) break
    pos += 2
    if ((token & 15) === 15) while (scratch[pos++] === 255);
  }
  const literalStart = pos - lastLiterals
  const literals = scratch.slice(literalStart, pos)
  const total = lastLiterals + extra.length
  let out = lastStart
  if (total >= 15) {
    scratch[out++] = 15 << 4
    let rest = total - 15
    for (; rest >= 255; rest -= 255) scratch[out++] = 255
    scratch[out++] = rest
  } else {
    scratch[out++] = total << 4
  }
  if (out + total > scratch.length) return 0
  scratch.set(literals, out)
  scratch.set(extra, out + literals.length)
  return out + total
}

export function lz4Decompress(data: Buffer): Buffer {
  const output = new Output(data.length * 4)
  let pos = 0
  let frames = 0
  while (pos < data.length) {
    if (pos + 4 > data.length) throw corrupt(`${data.length - pos} stray bytes after the last frame`)
    const magic = data.readUInt32LE(pos)
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      pos = skipFrame(data, pos)
      continue
    }
    if (magic !== MAGIC) {
      throw corrupt(`expected an LZ4 frame (magic 0x184d2204) at byte ${pos}, found 0x${magic.toString(16).padStart(8, '0')}`)
    }
    pos = readFrame(data, pos, output)
    frames++
  }
  if (frames === 0) throw corrupt('no LZ4 frame in the input')
  return output.result()
}

function readFrame(data: Buffer, frameStart: number, output: Output): number {
  let pos = frameStart + 4
  need(data, pos, 2, 'frame descriptor')
  const flg = data[pos] as number
  const bd = data[pos + 1] as number
  if ((flg & FLG_VERSION_MASK) !== FLG_VERSION) throw corrupt(`unsupported frame version ${(flg & FLG_VERSION_MASK) >> 6}`)
  if (flg & FLG_RESERVED || bd & 0x8f) throw corrupt('reserved bits set in the frame descriptor')
  if (flg & FLG_DICTIONARY_ID) throw corrupt('frames that need a dictionary are not supported (no Kafka client writes them)')
  const blockMax = BLOCK_SIZES[(bd >> 4) & 7]
  if (blockMax === undefined) throw corrupt(`invalid block maximum size id ${(bd >> 4) & 7}`)
  const descriptorEnd = pos + 2 + (flg & FLG_CONTENT_SIZE ? 8 : 0)
  need(data, pos, descriptorEnd + 1 - pos, 'frame descriptor')
  const checksum = data[descriptorEnd]
  if (checksum !== headerChecksum(data, pos, descriptorEnd) && checksum !== headerChecksum(data, frameStart, descriptorEnd)) {
    throw corrupt('frame descriptor checksum mismatch')
  }
  const contentSize = flg & FLG_CONTENT_SIZE ? Number(data.readBigUInt64LE(pos + 2)) : undefined
  pos = descriptorEnd + 1

  const contentStart = output.length
  const independent = (flg & FLG_BLOCK_INDEPENDENCE) !== 0
  for (;;) {
    need(data, pos, 4, 'block size')
    const word = data.readUInt32LE(pos)
    pos += 4
    if (word === 0) break
    const size = (word & ~UNCOMPRESSED_BLOCK) >>> 0
    if (size > blockMax) throw corrupt(`block of ${size} bytes at byte ${pos - 4} exceeds the frame's ${blockMax}-byte maximum`)
    need(data, pos, size + (flg & FLG_BLOCK_CHECKSUM ? 4 : 0), 'block')
    if (flg & FLG_BLOCK_CHECKSUM && xxh32(0, data, pos, size) !== data.readUInt32LE(pos + size)) {
      throw corrupt(`block checksum mismatch at byte ${pos - 4}`)
    }
    if (word & UNCOMPRESSED_BLOCK) {
      output.append(data, pos, size)
    } else {
      output.reserve(blockMax)
      output.length = decodeBlock(data, pos, pos + size, output, blockMax, independent ? output.length : contentStart)
    }
    pos += size + (flg & FLG_BLOCK_CHECKSUM ? 4 : 0)
  }
  if (flg & FLG_CONTENT_CHECKSUM) {
    need(data, pos, 4, 'content checksum')
    if (xxh32(0, output.bytes, contentStart, output.length - contentStart) !== data.readUInt32LE(pos)) {
      throw corrupt('content checksum mismatch')
    }
    pos += 4
  }
  if (contentSize !== undefined && contentSize !== output.length - contentStart) {
    throw corrupt(`frame declares ${contentSize} bytes of content but holds ${output.length - contentStart}`)
  }
  return pos
}

/**
 * Decodes one LZ4 block into `output` at its current length, checking every length and offset against both
 * buffers (lz4js' decoder does not, so corrupt input would come out as silently wrong bytes).
 */
function decodeBlock(src: Buffer, pos: number, end: number, output: Output, blockMax: number, windowStart: number): number {
  const dst = output.bytes
  let out = output.length
  const limit = out + blockMax
  for (;;) {
    if (pos >= end) throw corrupt('block ends inside a sequence')
    const token = src[pos++] as number
    let literals = token >>> 4
    if (literals === 15) {
      let byte: number
      do {
        if (pos >= end) throw corrupt('block ends inside a literal length')
        byte = src[pos++] as number
        literals += byte
      } while (byte === 255)
    }
    if (pos + literals > end || out + literals > limit) throw corrupt("literal run past the end of the block or its maximum size")
    if (literals < 16) for (let i = 0; i < literals; i++) dst[out++] = src[pos++] as number
    else {
      src.copy(dst, out, pos, pos + literals)
      out += literals
      pos += literals
    }
    if (pos === end) return out
    if (pos + 2 > end) throw corrupt('block ends inside a match offset')
    const offset = (src[pos] as number) | ((src[pos + 1] as number) << 8)
    pos += 2
    if (offset === 0 || offset > out - windowStart) throw corrupt(`match offset ${offset} points before the start of the data`)
    let length = token & 15
    if (length === 15) {
      let byte: number
      do {
        if (pos >= end) throw corrupt('block ends inside a match length')
        byte = src[pos++] as number
        length += byte
      } while (byte === 255)
    }
    length += MIN_MATCH
    if (out + length > limit) throw corrupt("match past the end of the block's maximum size")
    if (offset >= length && length >= 16) {
      dst.copyWithin(out, out - offset, out - offset + length)
      out += length
    } else {
      for (let from = out - offset, stop = out + length; out < stop; ) dst[out++] = dst[from++] as number
    }
  }
}

function skipFrame(data: Buffer, pos: number): number {
  need(data, pos + 4, 4, 'skippable frame size')
  const next = pos + 8 + data.readUInt32LE(pos + 4)
  if (next > data.length) throw corrupt('truncated skippable frame')
  return next
}

/** The frame header checksum: the second byte of xxHash32 over the bytes in [from, to). */
function headerChecksum(bytes: Uint8Array, from: number, to: number): number {
  return (xxh32(0, bytes, from, to - from) >>> 8) & 0xff
}

function need(data: Buffer, pos: number, count: number, what: string): void {
  if (pos + count > data.length) throw corrupt(`truncated ${what} at byte ${pos} of ${data.length}`)
}

function corrupt(message: string): CompressionError {
  return new CompressionError('lz4', message)
}

/** A growable byte buffer: decoding needs earlier output in the same array for back references. */
class Output {
  bytes: Buffer
  length = 0

  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(Math.max(capacity, 1024))
  }

  reserve(count: number): void {
    if (this.length + count <= this.bytes.length) return
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + count))
    this.bytes.copy(grown, 0, 0, this.length)
    this.bytes = grown
  }

  append(src: Buffer, pos: number, count: number): void {
    this.reserve(count)
    src.copy(this.bytes, this.length, pos, pos + count)
    this.length += count
  }

  result(): Buffer {
    return this.bytes.subarray(0, this.length)
  }
}

export const lz4Codec: KafkaCodec = {
  async compress(encoder) {
    return lz4Compress(encoder.buffer)
  },
  async decompress(buffer) {
    return lz4Decompress(buffer)
  },
}
