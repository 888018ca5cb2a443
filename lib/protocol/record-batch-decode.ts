/**
 * Reading v2 record batches: checks each batch's bounds and CRC before trusting a byte of it, then every
 * record's lengths against the record's own declared size. Keys, values and header values are views into
 * `buf` (or into the decompressed records), not copies: keep a copy if the source buffer is reused.
 *
 * Not the hot path (the writer is), so it favours plain code; it is what the tests use to read the Java
 * client's batches and what a fetch path can use to read the broker's.
 */
import { decompress, type CompressionCode } from '../codecs/compression'
import { CorruptRecordError, UnsupportedCodecError } from '../errors'
import * as layout from './batch-layout'
import { crc32c, crcHex } from './crc32c'
import type { DecodedRecord, DecodedRecordBatch } from './record-batch'
import { readVarint, readVarlong, type ReadPosition } from './varint'

/**
 * Every batch in a buffer of concatenated batches (a produce payload, or a fetch response's records). Throws
 * a CorruptRecordError naming the batch's byte position on a bad CRC, a length past the end, a truncated
 * batch or record, or a magic other than 2; an UnsupportedCodecError for a codec id above 4.
 *
 * A fetch response may end with a partial batch (the broker cuts at the fetch size); this function refuses
 * it like any truncation, so a fetch path must cut the buffer at the last whole batch first.
 */
export async function decodeRecordBatches(buf: Buffer): Promise<DecodedRecordBatch[]> {
  const batches: DecodedRecordBatch[] = []
  for (let pos = 0; pos < buf.length; ) {
    const end = checkBatch(buf, pos)
    const attributes = buf.readInt16BE(pos + layout.ATTRIBUTES)
    const code = attributes & layout.COMPRESSION_MASK
    if (code > 4) {
      throw new UnsupportedCodecError(`the record batch at byte ${pos} uses compression id ${code}; Kafka defines 0 to 4`)
    }
    const baseOffset = buf.readBigInt64BE(pos + layout.BASE_OFFSET)
    const baseTimestamp = layout.readInt64(buf, pos + layout.BASE_TIMESTAMP)
    const maxTimestamp = layout.readInt64(buf, pos + layout.MAX_TIMESTAMP)
    const count = buf.readInt32BE(pos + layout.RECORDS_COUNT)
    if (count < 0) throw new CorruptRecordError(pos, `negative record count ${count}`)
    const section = await decompress(code as CompressionCode, buf.subarray(pos + layout.RECORDS, end))
    let records: DecodedRecord[]
    try {
      // LogAppendTime batches carry one timestamp for all their records, the broker's, in maxTimestamp.
      const logAppendTime = (attributes & layout.TIMESTAMP_TYPE_LOG_APPEND_TIME) !== 0
      records = readRecords(section, count, baseOffset, baseTimestamp, logAppendTime ? maxTimestamp : undefined)
    } catch (err) {
      if (!(err instanceof RangeError)) throw err
      throw new CorruptRecordError(pos, err.message, err)
    }
    batches.push({
      baseOffset,
      partitionLeaderEpoch: buf.readInt32BE(pos + layout.PARTITION_LEADER_EPOCH),
      attributes,
      compression: code as CompressionCode,
      transactional: (attributes & layout.TRANSACTIONAL_FLAG) !== 0,
      control: (attributes & layout.CONTROL_FLAG) !== 0,
      lastOffsetDelta: buf.readInt32BE(pos + layout.LAST_OFFSET_DELTA),
      baseTimestamp,
      maxTimestamp,
      producerId: buf.readBigInt64BE(pos + layout.PRODUCER_ID),
      producerEpoch: buf.readInt16BE(pos + layout.PRODUCER_EPOCH),
      baseSequence: buf.readInt32BE(pos + layout.BASE_SEQUENCE),
      records,
    })
    pos = end
  }
  return batches
}

/** Checks the length, magic and CRC of the batch at `pos`; returns where it ends. */
export function checkBatch(buf: Buffer, pos: number): number {
  const left = buf.length - pos
  if (left < layout.LOG_OVERHEAD) {
    throw new CorruptRecordError(pos, `truncated: ${left} bytes left, fewer than the 12 of baseOffset and batchLength`)
  }
  const length = buf.readInt32BE(pos + layout.BATCH_LENGTH)
  if (length < layout.RECORDS - layout.LOG_OVERHEAD) {
    throw new CorruptRecordError(pos, `batchLength ${length} is shorter than the 49 bytes of header after it`)
  }
  if (length > left - layout.LOG_OVERHEAD) {
    throw new CorruptRecordError(pos, `batchLength ${length} runs past the end of the buffer (${left - layout.LOG_OVERHEAD} bytes after it)`)
  }
  const magic = buf[pos + layout.MAGIC]
  if (magic !== layout.MAGIC_V2) throw new CorruptRecordError(pos, `magic ${magic}; only magic 2 (Kafka >= 0.11) batches are read`)
  const end = pos + layout.LOG_OVERHEAD + length
  const stored = buf.readUInt32BE(pos + layout.CRC)
  const computed = crc32c(buf, pos + layout.ATTRIBUTES, end)
  if (stored !== computed) {
    throw new CorruptRecordError(pos, `CRC is 0x${crcHex(stored)} but the bytes give 0x${crcHex(computed)}`)
  }
  return end
}

/** The records of one batch; RangeError on anything out of bounds (the caller names the batch). */
function readRecords(
  section: Buffer,
  count: number,
  baseOffset: bigint,
  baseTimestamp: number,
  logAppendTime: number | undefined,
): DecodedRecord[] {
  const records: DecodedRecord[] = []
  const at: ReadPosition = { offset: 0 }
  for (let i = 0; i < count; i++) {
    const start = at.offset
    const length = readVarint(section, at)
    const end = at.offset + length
    if (length < 0 || end > section.length) {
      throw new RangeError(`record ${i} at byte ${start} of the records claims ${length} bytes, ${section.length - at.offset} remain`)
    }
    at.offset++ // record attributes: unused
    const timestampDelta = readVarlong(section, at)
    const offsetDelta = readVarint(section, at)
    const key = readField(section, at, end, i, 'key')
    const value = readField(section, at, end, i, 'value')
    const headerCount = readVarint(section, at)
    if (headerCount < 0) throw new RangeError(`record ${i} has ${headerCount} headers`)
    const headers: DecodedRecord['headers'] = []
    for (let h = 0; h < headerCount; h++) {
      const headerKey = readField(section, at, end, i, 'header key')
      if (headerKey === null) throw new RangeError(`record ${i} has a null header key`)
      headers.push({ key: headerKey.toString('utf8'), value: readField(section, at, end, i, 'header value') })
    }
    if (at.offset !== end) {
      throw new RangeError(`record ${i} claims ${length} bytes but its fields take ${length + at.offset - end}`)
    }
    records.push({
      offset: baseOffset + BigInt(offsetDelta),
      timestamp: logAppendTime ?? baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    })
  }
  if (at.offset !== section.length) {
    throw new RangeError(`${section.length - at.offset} bytes follow the ${count} records the header counts`)
  }
  return records
}

/** A varint length (-1 for null) and that many bytes, all inside the record ending at `end`. */
function readField(section: Buffer, at: ReadPosition, end: number, index: number, what: string): Buffer | null {
  const size = readVarint(section, at)
  if (size === -1) return null
  if (size < -1 || at.offset + size > end) {
    throw new RangeError(`the ${what} of record ${index} claims ${size} bytes, ${end - at.offset} remain in the record`)
  }
  const field = section.subarray(at.offset, at.offset + size)
  at.offset += size
  return field
}
