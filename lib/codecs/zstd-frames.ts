/**
 * The zstd frame format read by headers only (RFC 8878 section 3): where each frame starts and ends, which are
 * skippable, and how large each one's content can be. Both zstd implementations (zstd-node.ts, zstd-wasm.ts)
 * decode frame by frame through this, so they accept and reject the same inputs with the same errors.
 */
import { CompressionError } from '../errors'

const FRAME_MAGIC = 0xfd2fb528
const SKIPPABLE_MAGIC_MASK = 0xfffffff0
const SKIPPABLE_MAGIC = 0x184d2a50
const MAX_BLOCK_SIZE = 128 * 1024
const BLOCK_RAW = 0
const BLOCK_RLE = 1
const BLOCK_RESERVED = 3

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
