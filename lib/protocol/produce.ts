/**
 * Produce requests (api key 0) and their responses, versions 3 to 8: the versions whose request header kafkajs'
 * connection writes (header v1; v9 and later are "flexible" and need header v2) and that carry RecordBatch v2.
 * Kafka 4 serves 3 to 12, brokers since 2.4 serve 8. Layouts: apache/kafka
 * clients/src/main/resources/common/message/ProduceRequest.json and ProduceResponse.json.
 */
import { CorruptResponseError } from '../errors'

export const PRODUCE_API_KEY = 0
export const MIN_PRODUCE_VERSION = 3
export const MAX_PRODUCE_VERSION = 8

export interface ProducePartitionData {
  partition: number
  /** One or more encoded record batches. */
  records: Buffer
}

export interface ProduceTopicData {
  topic: string
  partitions: ProducePartitionData[]
}

export interface ProduceRequestData {
  transactionalId: string | null
  /** -1 all in-sync replicas, 1 the leader, 0 no response at all. */
  acks: -1 | 0 | 1
  timeoutMs: number
  topics: ProduceTopicData[]
}

/** The request body (everything after kafkajs' request header), in one buffer. */
export function encodeProduceRequest(data: ProduceRequestData): Buffer {
  const txn = data.transactionalId === null ? null : Buffer.from(data.transactionalId, 'utf8')
  let size = 2 + (txn?.length ?? 0) + 2 + 4 + 4
  const names: Buffer[] = []
  for (const t of data.topics) {
    const name = Buffer.from(t.topic, 'utf8')
    names.push(name)
    size += 2 + name.length + 4
    for (const p of t.partitions) size += 4 + 4 + p.records.length
  }
  const out = Buffer.allocUnsafe(size)
  let at = 0
  if (txn === null) at = out.writeInt16BE(-1, at)
  else {
    at = out.writeInt16BE(txn.length, at)
    at += txn.copy(out, at)
  }
  at = out.writeInt16BE(data.acks, at)
  at = out.writeInt32BE(data.timeoutMs, at)
  at = out.writeInt32BE(data.topics.length, at)
  data.topics.forEach((t, i) => {
    const name = names[i]!
    at = out.writeInt16BE(name.length, at)
    at += name.copy(out, at)
    at = out.writeInt32BE(t.partitions.length, at)
    for (const p of t.partitions) {
      at = out.writeInt32BE(p.partition, at)
      at = out.writeInt32BE(p.records.length, at)
      at += p.records.copy(out, at)
    }
  })
  return out
}

export interface ProducePartitionResponse {
  topic: string
  partition: number
  errorCode: number
  /** Offset of the batch's first record; -1 with an error. */
  baseOffset: bigint
  /** The broker's append time with LogAppendTime topics, else -1. */
  logAppendTimeMs: bigint
  /** v5+, else -1. */
  logStartOffset: bigint
  /** v8+: the records the broker rejected (batch index, message), and a message for the whole partition. */
  recordErrors: Array<{ batchIndex: number; message: string | null }>
  errorMessage: string | null
}

export interface ProduceResponse {
  partitions: ProducePartitionResponse[]
  throttleTimeMs: number
}

/** Reads a produce response body (after the correlation id). Throws CorruptResponseError on short or bad data. */
export function decodeProduceResponse(version: number, body: Buffer): ProduceResponse {
  const r = new Reader(body)
  const partitions: ProducePartitionResponse[] = []
  const topics = r.int32()
  for (let t = 0; t < topics; t++) {
    const topic = r.string() ?? ''
    const count = r.int32()
    for (let i = 0; i < count; i++) {
      const partition = r.int32()
      const errorCode = r.int16()
      const baseOffset = r.int64()
      const logAppendTimeMs = r.int64()
      const logStartOffset = version >= 5 ? r.int64() : -1n
      const recordErrors: ProducePartitionResponse['recordErrors'] = []
      let errorMessage: string | null = null
      if (version >= 8) {
        const n = r.int32()
        for (let e = 0; e < n; e++) recordErrors.push({ batchIndex: r.int32(), message: r.string() })
        errorMessage = r.string()
      }
      partitions.push({ topic, partition, errorCode, baseOffset, logAppendTimeMs, logStartOffset, recordErrors, errorMessage })
    }
  }
  const throttleTimeMs = r.int32()
  return { partitions, throttleTimeMs }
}

/** A bounds-checked big-endian reader over a response body. */
class Reader {
  #at = 0
  constructor(readonly buf: Buffer) {}

  #need(n: number): number {
    const at = this.#at
    if (at + n > this.buf.length) {
      throw new CorruptResponseError(`a produce response ended after ${this.buf.length} bytes, reading ${n} more at ${at}`)
    }
    this.#at = at + n
    return at
  }

  int16(): number {
    return this.buf.readInt16BE(this.#need(2))
  }

  int32(): number {
    const n = this.buf.readInt32BE(this.#need(4))
    return n
  }

  int64(): bigint {
    return this.buf.readBigInt64BE(this.#need(8))
  }

  string(): string | null {
    const length = this.int16()
    if (length < 0) return null
    const at = this.#need(length)
    return this.buf.toString('utf8', at, at + length)
  }
}
