/**
 * Where things are in a v2 record batch header (Kafka protocol guide, "Record Batch"; DefaultRecordBatch in
 * the Java client). All big-endian. The CRC covers everything from the attributes to the end of the batch,
 * so that the broker can rewrite baseOffset and partitionLeaderEpoch without recomputing it.
 */
export const BASE_OFFSET = 0 // int64
export const BATCH_LENGTH = 8 // int32: bytes after this field
export const PARTITION_LEADER_EPOCH = 12 // int32
export const MAGIC = 16 // int8
export const CRC = 17 // uint32, CRC-32C of [ATTRIBUTES, end)
export const ATTRIBUTES = 21 // int16
export const LAST_OFFSET_DELTA = 23 // int32
export const BASE_TIMESTAMP = 27 // int64
export const MAX_TIMESTAMP = 35 // int64
export const PRODUCER_ID = 43 // int64
export const PRODUCER_EPOCH = 51 // int16
export const BASE_SEQUENCE = 53 // int32
export const RECORDS_COUNT = 57 // int32
/** The records (compressed or not) start here. */
export const RECORDS = 61

/** baseOffset and batchLength: the part of the header that batchLength does not count. */
export const LOG_OVERHEAD = 12
export const MAGIC_V2 = 2

/** Attribute bits: the codec in bits 0-2, then the flags. */
export const COMPRESSION_MASK = 0x07
export const TIMESTAMP_TYPE_LOG_APPEND_TIME = 0x08
export const TRANSACTIONAL_FLAG = 0x10
export const CONTROL_FLAG = 0x20

/** Writes a safe integer as an int64 without BigInt: the high word is floor(n / 2^32), the low word the rest. */
export function writeInt64(buf: Buffer, offset: number, n: number): void {
  const high = Math.floor(n / 0x100000000)
  buf.writeInt32BE(high, offset)
  buf.writeUInt32BE(n - high * 0x100000000, offset + 4)
}

/** Reads an int64 as a number; exact for the safe integers (every millisecond timestamp). */
export function readInt64(buf: Buffer, offset: number): number {
  return buf.readInt32BE(offset) * 0x100000000 + buf.readUInt32BE(offset + 4)
}
