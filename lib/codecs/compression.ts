/**
 * Compression option parsing and codec registration. kafkajs knows gzip only; snappy, lz4 and zstd are
 * plugged in through its `CompressionCodecs` table, which is global to the kafkajs module: registering once
 * makes every kafkajs producer and consumer in the process read and write them.
 */
import { CompressionCodecs, CompressionTypes } from 'kafkajs'
import { InvalidOptionError } from '../errors'
import type { KafkaCodec } from './codec'
import { lz4Codec } from './lz4'
import { snappyCodec } from './snappy'
import { zstdCodec } from './zstd'

export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'

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
