import * as zlib from 'node:zlib'
import {
  type Balancer,
  type Message,
  booleanOption,
  checkPartitions,
  emptyKey,
  keyBytes,
  optionsObject,
  randomPartition,
} from './balancer'

const TABLE = new Int32Array(256)
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  TABLE[n] = c
}

/** The IEEE CRC-32 by table (1 KiB): the fallback for Nodes whose node:zlib has no crc32 (before 20.15 and 22.2). */
export function tableCrc32(data: Uint8Array): number {
  let c = -1
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8)
  return (c ^ -1) >>> 0
}

export type Crc32 = (data: Uint8Array) => number

/**
 * Keys from this length on go to zlib.crc32; shorter ones (most keys: ids, UUIDs) to the table, which is faster
 * for them because calling into C++ costs more than the loop. On Node 24 (benchmarks/node-paths.ts) the table
 * hashes 39 million 8-byte keys a second to zlib.crc32's 17, 12 to 8 million at 36 bytes and is still ahead at 64;
 * zlib.crc32 is ahead from 96 bytes on (1.3 times the table's rate, about 2 at 128, about 3 at 256).
 */
export const NATIVE_CRC32_FROM = 96

/** node:zlib's crc32 if `zlib` has one (Node 20.15 and 22.2 on). Feature detection, not the version number. */
export function zlibCrc32(zlibModule: object): Crc32 | undefined {
  const native = (zlibModule as { crc32?: unknown }).crc32
  return typeof native === 'function' ? (native as Crc32) : undefined
}

/** zlib.crc32 for long keys where `zlib` has it, the table otherwise. `zlib` is a seam for tests. */
export function chooseCrc32(zlibModule: object = zlib): Crc32 {
  const native = zlibCrc32(zlibModule)
  if (!native) return tableCrc32
  return (data) => (data.length < NATIVE_CRC32_FROM ? tableCrc32(data) : native(data))
}

/** The IEEE CRC-32 (zlib's, librdkafka's rd_crc32, Go's crc32.ChecksumIEEE), as an unsigned 32-bit integer. */
export const crc32: Crc32 = chooseCrc32()

export interface CRC32BalancerOptions {
  /**
   * Hash messages with no key or an empty key too (their CRC-32 is 0, so they all go to the first
   * partition: a hot spot), like librdkafka's `consistent` partitioner, instead of sending them to a
   * random partition like its `consistent_random`. Default `false`.
   */
  consistent?: boolean
}

export const defaultCRC32BalancerOptions = { consistent: false } satisfies Required<CRC32BalancerOptions>

/**
 * Same partition as librdkafka's default partitioner, `consistent_random` (`consistent` with
 * `consistent: true`): CRC-32 of the key modulo the partition count; so the same as the clients built
 * on librdkafka with default settings. Follows kafka-go's `CRC32Balancer` exactly.
 *
 * librdkafka does not tell an empty key from no key here: by default both go to a random partition
 * (its producer makes that choice sticky for a while); with `consistent: true` both are hashed.
 */
export class CRC32Balancer implements Balancer {
  readonly #consistent: boolean

  constructor(options?: CRC32BalancerOptions) {
    const opts = optionsObject(options, 'CRC32Balancer')
    this.#consistent = booleanOption(opts, 'consistent', defaultCRC32BalancerOptions.consistent)
  }

  balance(msg: Message, partitions: readonly number[]): number {
    checkPartitions(msg, partitions)
    const key = keyBytes(msg.key)
    if ((key === null || key.length === 0) && !this.#consistent) return randomPartition(partitions)
    return partitions[crc32(key ?? emptyKey) % partitions.length]
  }
}
