/**
 * Record batches of message format v2 (magic 2, Kafka >= 0.11), the bytes of every produce request we send.
 * The encoder writes what the Java client's MemoryRecordsBuilder writes, byte for byte when uncompressed
 * (test/fixtures/protocol holds its output): baseOffset 0, partitionLeaderEpoch -1, CreateTime timestamps,
 * the first record's timestamp as the base and the largest as maxTimestamp.
 *
 * This is the writer's hot path. Uncompressed, a batch is one exactly-sized buffer: a first pass measures
 * every record (string byte lengths are kept in a reused Int32Array so they are measured once), a second
 * writes keys, values and headers straight into it, and the CRC runs over it in place. No object, closure,
 * intermediate Buffer or BigInt per record.
 */
import { compress, type CompressionCode } from '../codecs/compression'
import { CorruptRecordError, InvalidMessageError, InvalidOptionError } from '../errors'
import * as layout from './batch-layout'
import { crc32c } from './crc32c'
import * as varint from './varint'

export type { CompressionCode } from '../codecs/compression'
import { checkBatch } from './record-batch-decode'
export { decodeRecordBatches } from './record-batch-decode'

export interface RecordHeader {
  key: string
  value: Buffer | string | null
}

export interface RecordInput {
  key: Buffer | string | null
  value: Buffer | string | null
  headers?: readonly RecordHeader[] | null
  /** Create time, epoch ms (integer). */
  timestamp: number
  /**
   * UTF-8 byte length of key / value when they are strings and the caller already measured them (saves a second
   * Buffer.byteLength). Must be exactly Buffer.byteLength: a hint that is too large, or that leaves a string
   * only partly written, is refused; one short by whole characters at the end of a long non-ASCII string cannot
   * be told from a right one without measuring again, which is what the hint saves.
   */
  keySize?: number
  valueSize?: number
}

export interface RecordBatchOptions {
  /** Codec of the records section, by Kafka attribute id. Default 0 (none). */
  compression?: CompressionCode
  /** Idempotent producer id. Default -1n (none). */
  producerId?: bigint
  /** Default -1 (none). */
  producerEpoch?: number
  /** Sequence number of the first record. Default -1 (none). */
  baseSequence?: number
  /** Sets the transactional attribute bit. Default false. */
  transactional?: boolean
}

export interface DecodedRecord {
  offset: bigint
  timestamp: number
  key: Buffer | null
  value: Buffer | null
  headers: Array<{ key: string; value: Buffer | null }>
}

export interface DecodedRecordBatch {
  baseOffset: bigint
  partitionLeaderEpoch: number
  attributes: number
  compression: CompressionCode
  transactional: boolean
  control: boolean
  lastOffsetDelta: number
  baseTimestamp: number
  maxTimestamp: number
  producerId: bigint
  producerEpoch: number
  baseSequence: number
  records: DecodedRecord[]
}

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** Producer ids to stamp into a batch; -1n / -1 / -1 mean none. */
export interface ProducerIds {
  producerId: bigint
  producerEpoch: number
  baseSequence: number
}

/** One RecordBatch (magic 2, baseOffset 0, partitionLeaderEpoch -1) holding `records` in order, CRC32C filled in. */
export async function encodeRecordBatch(records: readonly RecordInput[], options: RecordBatchOptions = {}): Promise<Buffer> {
  const compression = options.compression ?? 0
  if (!(compression === 0 || compression === 1 || compression === 2 || compression === 3 || compression === 4)) {
    throw new InvalidOptionError('compression', compression, 'a Kafka compression id: 0 (none), 1 (gzip), 2 (snappy), 3 (lz4) or 4 (zstd)')
  }
  const ids: ProducerIds = {
    producerId: options.producerId ?? -1n,
    producerEpoch: options.producerEpoch ?? -1,
    baseSequence: options.baseSequence ?? -1,
  }
  checkProducerIds(ids)
  if (records.length === 0) throw new InvalidMessageError('a record batch needs at least one record; Kafka has no empty produce batch')
  const baseTimestamp = records[0]!.timestamp
  const recordsSize = measureRecords(records, baseTimestamp)
  const maxTimestamp = measuredMaxTimestamp

  let batch: Buffer
  if (compression === 0) {
    batch = Buffer.allocUnsafe(layout.RECORDS + recordsSize)
    writeRecords(batch, layout.RECORDS, records, baseTimestamp)
  } else {
    // Both passes finish before the await, so the shared size table is never used by two batches at once.
    const section = Buffer.allocUnsafe(recordsSize)
    writeRecords(section, 0, records, baseTimestamp)
    const compressed = await compress(compression, section)
    batch = Buffer.allocUnsafe(layout.RECORDS + compressed.length)
    compressed.copy(batch, layout.RECORDS)
  }

  batch.writeInt32BE(0, layout.BASE_OFFSET)
  batch.writeInt32BE(0, layout.BASE_OFFSET + 4)
  batch.writeInt32BE(batch.length - layout.LOG_OVERHEAD, layout.BATCH_LENGTH)
  batch.writeInt32BE(-1, layout.PARTITION_LEADER_EPOCH)
  batch[layout.MAGIC] = layout.MAGIC_V2
  batch.writeInt16BE(compression | (options.transactional === true ? layout.TRANSACTIONAL_FLAG : 0), layout.ATTRIBUTES)
  batch.writeInt32BE(records.length - 1, layout.LAST_OFFSET_DELTA)
  layout.writeInt64(batch, layout.BASE_TIMESTAMP, baseTimestamp)
  layout.writeInt64(batch, layout.MAX_TIMESTAMP, maxTimestamp)
  writeProducerIds(batch, ids)
  batch.writeInt32BE(records.length, layout.RECORDS_COUNT)
  batch.writeUInt32BE(crc32c(batch, layout.ATTRIBUTES, batch.length), layout.CRC)
  return batch
}

/**
 * Rewrites producerId/producerEpoch/baseSequence of an encoded batch in place and recomputes its CRC (used
 * when a producer id is reset and a batch is re-sent). Checks the old CRC first, so that a batch damaged in
 * memory is refused rather than given a fresh, valid CRC.
 */
export function stampRecordBatch(batch: Buffer, ids: ProducerIds): void {
  checkProducerIds(ids)
  const end = checkBatch(batch, 0)
  if (end !== batch.length) {
    throw new CorruptRecordError(0, `the batch ends at byte ${end} of ${batch.length}; pass exactly one batch`)
  }
  writeProducerIds(batch, ids)
  batch.writeUInt32BE(crc32c(batch, layout.ATTRIBUTES, batch.length), layout.CRC)
}

function checkProducerIds(ids: ProducerIds): void {
  if (typeof ids.producerId !== 'bigint' || ids.producerId < INT64_MIN || ids.producerId > INT64_MAX) {
    throw new InvalidOptionError('producerId', ids.producerId, 'a bigint in the int64 range (-1n for none)')
  }
  if (!Number.isInteger(ids.producerEpoch) || ids.producerEpoch < -0x8000 || ids.producerEpoch > 0x7fff) {
    throw new InvalidOptionError('producerEpoch', ids.producerEpoch, 'an int16 (-1 for none)')
  }
  if (!Number.isInteger(ids.baseSequence) || ids.baseSequence < -0x80000000 || ids.baseSequence > 0x7fffffff) {
    throw new InvalidOptionError('baseSequence', ids.baseSequence, 'an int32 (-1 for none)')
  }
}

function writeProducerIds(batch: Buffer, ids: ProducerIds): void {
  batch.writeBigInt64BE(ids.producerId, layout.PRODUCER_ID)
  batch.writeInt16BE(ids.producerEpoch, layout.PRODUCER_EPOCH)
  batch.writeInt32BE(ids.baseSequence, layout.BASE_SEQUENCE)
}

// Local bindings: called several times per record, and a call through a module namespace costs a property
// load, or under tsx/esbuild a getter call (19% of encode time in a profile), on every use.
const { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } = varint

/*
 * The two passes share this table: per record its body size, key size and value size (-1 for null), then
 * key and value size of each header. Module-level and grown on demand, so that a batch allocates nothing
 * per record; both passes run synchronously, one batch at a time.
 */
let sizes: Int32Array = new Int32Array(4096)
/** The largest timestamp the last measureRecords saw (returned beside the size without an object). */
let measuredMaxTimestamp = 0

/** Bytes of the records section; fills `sizes` and `measuredMaxTimestamp`. */
function measureRecords(records: readonly RecordInput[], baseTimestamp: number): number {
  let total = 0
  let maxTimestamp = baseTimestamp
  let s = 0
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!
    const timestamp = record.timestamp
    const delta = timestamp - baseTimestamp
    if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(delta)) throw badTimestamp(i, timestamp)
    if (timestamp > maxTimestamp) maxTimestamp = timestamp
    const headers = record.headers
    const headerCount = headers == null ? 0 : headers.length
    if (s + 3 + 2 * headerCount > sizes.length) sizes = grow(sizes, s + 3 + 2 * headerCount)
    const at = s
    s += 3

    const key = record.key
    const keySize = key === null ? -1 : typeof key === 'string' ? (record.keySize ?? Buffer.byteLength(key)) : key.length
    const value = record.value
    const valueSize = value === null ? -1 : typeof value === 'string' ? (record.valueSize ?? Buffer.byteLength(value)) : value.length
    // attributes (1 byte), timestamp delta, offset delta, key, value, header count
    let body = 1 + sizeOfVarlong(delta) + sizeOfVarint(i) + sizeOfField(keySize) + sizeOfField(valueSize) + sizeOfVarint(headerCount)
    for (let h = 0; h < headerCount; h++) {
      const header = headers![h]!
      if (typeof header.key !== 'string') throw badHeaderKey(i, h, header.key)
      const headerKeySize = Buffer.byteLength(header.key)
      const headerValue = header.value
      const headerValueSize = headerValue === null ? -1 : typeof headerValue === 'string' ? Buffer.byteLength(headerValue) : headerValue.length
      sizes[s++] = headerKeySize
      sizes[s++] = headerValueSize
      body += sizeOfField(headerKeySize) + sizeOfField(headerValueSize)
    }
    sizes[at] = body
    sizes[at + 1] = keySize
    sizes[at + 2] = valueSize
    total += sizeOfVarint(body) + body
  }
  measuredMaxTimestamp = maxTimestamp
  return total
}

/** A length-prefixed field: varint length (-1 for null) and the bytes. */
function sizeOfField(size: number): number {
  return size < 0 ? 1 : sizeOfVarint(size) + size
}

/** Writes the records measured last into `buf` from `pos`; returns the position after them. */
function writeRecords(buf: Buffer, pos: number, records: readonly RecordInput[], baseTimestamp: number): number {
  let s = 0
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!
    pos = writeVarint(buf, pos, sizes[s]!)
    buf[pos++] = 0 // record attributes: unused
    pos = writeVarlong(buf, pos, record.timestamp - baseTimestamp)
    pos = writeVarint(buf, pos, i)
    pos = writeField(buf, pos, record.key, sizes[s + 1]!, i)
    pos = writeField(buf, pos, record.value, sizes[s + 2]!, i)
    s += 3
    const headers = record.headers
    const headerCount = headers == null ? 0 : headers.length
    pos = writeVarint(buf, pos, headerCount)
    for (let h = 0; h < headerCount; h++) {
      const header = headers![h]!
      pos = writeField(buf, pos, header.key, sizes[s++]!, i)
      pos = writeField(buf, pos, header.value, sizes[s++]!, i)
    }
  }
  return pos
}

function writeField(buf: Buffer, pos: number, data: Buffer | string | null, size: number, index: number): number {
  pos = writeVarint(buf, pos, size)
  if (size <= 0) return pos
  if (typeof data === 'string') {
    if (size <= SHORT_FIELD && size === data.length) writeAscii(buf, pos, data, index)
    else if (buf.write(data, pos, size, 'utf8') !== size || data.length > size) throw badSizeHint(index, size, data)
  } else if (size <= SHORT_FIELD) {
    for (let i = 0; i < size; i++) buf[pos + i] = data![i]!
  } else {
    buf.set(data!, pos)
  }
  return pos + size
}

/**
 * Up to this many bytes a JavaScript loop beats a call into buf.write or buf.set, whose fixed cost is some
 * 100 ns against ~20 ns for a 10-byte key in the loop (measured on Node 20; see benchmarks/protocol.ts).
 */
const SHORT_FIELD = 16

/** A string whose byte length equals its length is ASCII; if a size hint said so wrongly, the OR of all codes shows it. */
function writeAscii(buf: Buffer, pos: number, data: string, index: number): void {
  let all = 0
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i)
    all |= c
    buf[pos + i] = c
  }
  if (all > 0x7f) throw badSizeHint(index, data.length, data)
}

function grow(table: Int32Array, needed: number): Int32Array {
  const bigger = new Int32Array(Math.max(needed, table.length * 2))
  bigger.set(table)
  return bigger
}

function badTimestamp(index: number, timestamp: unknown): InvalidMessageError {
  return new InvalidMessageError(
    `record ${index} has timestamp ${String(timestamp)}; a record timestamp is an integer of epoch milliseconds, ` +
      'within 2^53 of the first record\'s',
  )
}

function badHeaderKey(index: number, header: number, key: unknown): InvalidMessageError {
  return new InvalidMessageError(`header ${header} of record ${index} has key ${String(key)}; a header key is a string (Kafka has no null header keys)`)
}

function badSizeHint(index: number, size: number, data: string): InvalidMessageError {
  return new InvalidMessageError(
    `record ${index}: keySize/valueSize says ${size} bytes but the string is ${Buffer.byteLength(data)} bytes of UTF-8; ` +
      'pass its Buffer.byteLength or leave the hint out',
  )
}
