/**
 * Compression option parsing and codec registration. kafkajs knows gzip only; snappy, lz4 and zstd are
 * plugged in through its `CompressionCodecs` table, which is global to the kafkajs module: registering once
 * makes every kafkajs producer and consumer in the process read and write them.
 */
import { promisify } from 'node:util'
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib'
import { CompressionCodecs, CompressionTypes } from '../kafka/kafkajs'
import { CompressionError, InvalidOptionError, UnsupportedCodecError } from '../errors'
import type { KafkaCodec } from './codec'
import { lz4Codec, lz4Compress, lz4Decompress } from './lz4'
import { snappyCodec, snappyCompress, snappyDecompress } from './snappy'
import { zstdCodec, zstdCompress, zstdDecompress } from './zstd'

const gzip = promisify(gzipCallback)
const gunzip = promisify(gunzipCallback)

export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'

/** A codec by the id Kafka stores in the low 3 bits of a record batch's attributes: none, gzip, snappy, lz4, zstd. */
export type CompressionCode = 0 | 1 | 2 | 3 | 4

/** The codec names in the order of their Kafka attribute ids (0-4). */
export const compressionNames: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

const typesByName: Record<CompressionName, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
}

/**
 * Turns a `compression` option into kafkajs' `CompressionTypes`. Takes a name (any case) or a kafkajs
 * `CompressionTypes` value; `undefined` means none.
 */
export function parseCompression(value: unknown, option = 'compression'): CompressionTypes {
  if (value === undefined) return CompressionTypes.None
  if (typeof value === 'string') {
    const name = value.toLowerCase()
    if (Object.hasOwn(typesByName, name)) return typesByName[name as CompressionName]
  } else if (typeof value === 'number' && Object.values(typesByName).includes(value)) {
    return value as CompressionTypes
  }
  throw new InvalidOptionError(option, value, `one of ${compressionNames.join(', ')}`)
}

/** The name of a kafkajs `CompressionTypes` value, for logs and errors. */
export function compressionName(type: CompressionTypes): CompressionName {
  return compressionNames[type] ?? 'none'
}

const codecs: Array<[CompressionTypes, KafkaCodec]> = [
  [CompressionTypes.Snappy, snappyCodec],
  [CompressionTypes.LZ4, lz4Codec],
  [CompressionTypes.ZSTD, zstdCodec],
]

let registered = false

/**
 * Registers snappy, lz4 and zstd with kafkajs. Idempotent; cheap to call from every stream constructor.
 * Replaces whatever another library registered for these types, so that what we write is what Java
 * clients and librdkafka read.
 */
export function registerCodecs(): void {
  if (registered) return
  const table = CompressionCodecs as Record<CompressionTypes, () => KafkaCodec>
  for (const [type, codec] of codecs) table[type] = () => codec
  registered = true
}

/**
 * Compresses the records of one v2 record batch (everything after its 61-byte header) with the codec of
 * attribute `code`, writing what the Java client writes: gzip at zlib's default level (the Java client's
 * default too), xerial-framed snappy, an LZ4 frame of independent 64 KiB blocks, one zstd frame at level 3.
 * Code 0 returns `data` itself.
 */
export async function compress(code: CompressionCode, data: Buffer): Promise<Buffer> {
  switch (code) {
    case 0:
      return data
    case 1:
      return gzip(data)
    case 2:
      return snappyCompress(data)
    case 3:
      return lz4Compress(data)
    case 4:
      return zstdCompress(data)
    default:
      throw unknownCode(code)
  }
}

/** Decompresses the records of one v2 record batch compressed with the codec of attribute `code`. */
export async function decompress(code: CompressionCode, data: Buffer): Promise<Buffer> {
  switch (code) {
    case 0:
      return data
    case 1:
      try {
        return await gunzip(data)
      } catch (err) {
        throw new CompressionError('gzip', `could not decompress ${data.length} bytes: ${(err as Error).message}`, err)
      }
    case 2:
      return snappyDecompress(data)
    case 3:
      return lz4Decompress(data)
    case 4:
      return zstdDecompress(data)
    default:
      throw unknownCode(code)
  }
}

function unknownCode(code: unknown): UnsupportedCodecError {
  return new UnsupportedCodecError(
    `compression attribute ${String(code)} names no codec; Kafka defines 0 (none), 1 (gzip), 2 (snappy), 3 (lz4) and 4 (zstd)`,
  )
}
