import { expect } from 'chai'
import { CompressionCodecs, CompressionTypes } from 'kafkajs'
import { InvalidOptionError } from '../../lib/errors'
import { compressionName, parseCompression, registerCodecs } from '../../lib/codecs/compression'
import { readFixture } from './fixtures'

// kafkajs' own record batch encoder and decoder: the code a producer and a consumer run, with the codec it
// looks up for the batch's compression attribute.
const { RecordBatch: encodeRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (batch: object) => Promise<{ buffer: Buffer }>
}
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => object
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: object,
) => Promise<{ records: Array<{ key: Buffer | null; value: Buffer | null; offset: string }> }>
const KafkaDecoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => object

/** A record batch header (magic v2) around compressed records, as a broker returns it in a fetch. */
function batchAround(compressed: Buffer, codec: CompressionTypes, count: number): Buffer {
  const header = Buffer.alloc(61)
  header.writeBigInt64BE(0n, 0)
  header.writeInt32BE(49 + compressed.length, 8)
  header.writeInt8(2, 16)
  header.writeInt16BE(codec, 21)
  header.writeInt32BE(count - 1, 23)
  header.writeBigInt64BE(-1n, 43)
  header.writeInt16BE(-1, 51)
  header.writeInt32BE(-1, 53)
  header.writeInt32BE(count, 57)
  return Buffer.concat([header, compressed])
}

describe('codecs/compression', () => {
  describe('parseCompression', () => {
    const valid: Array<[unknown, CompressionTypes]> = [
      ['none', CompressionTypes.None],
      ['gzip', CompressionTypes.GZIP],
      ['snappy', CompressionTypes.Snappy],
      ['lz4', CompressionTypes.LZ4],
      ['zstd', CompressionTypes.ZSTD],
      ['LZ4', CompressionTypes.LZ4],
      [undefined, CompressionTypes.None],
      [CompressionTypes.ZSTD, CompressionTypes.ZSTD],
    ]
    for (const [value, type] of valid) {
      it(`takes ${String(value)}`, () => {
        expect(parseCompression(value)).to.equal(type)
      })
    }

    for (const value of ['brotli', '', 'toString', 'constructor', 5, -1, 1.5, null, true, {}, ['gzip']]) {
      it(`refuses ${JSON.stringify(value)}, naming the option and the valid names`, () => {
        expect(() => parseCompression(value, 'writer.compression'))
          .to.throw(InvalidOptionError)
          .with.property('message')
          .that.matches(/^option "writer.compression" must be one of none, gzip, snappy, lz4, zstd, not /)
      })
    }

    it('names the option "compression" unless told otherwise', () => {
      expect(() => parseCompression('deflate')).to.throw(`option "compression" must be one of none, gzip, snappy, lz4, zstd, not 'deflate'`)
    })
  })

  it('compressionName turns a kafkajs type back into its name', () => {
    expect([0, 1, 2, 3, 4].map((type) => compressionName(type))).to.deep.equal(['none', 'gzip', 'snappy', 'lz4', 'zstd'])
  })

  describe('registerCodecs', () => {
    it('plugs snappy, lz4 and zstd into kafkajs, once', () => {
      registerCodecs()
      const table = CompressionCodecs as Record<number, () => unknown>
      const first = [2, 3, 4].map((type) => table[type])
      registerCodecs()
      expect([2, 3, 4].map((type) => table[type])).to.deep.equal(first)
      for (const type of [2, 3, 4]) expect(table[type]?.()).to.have.keys('compress', 'decompress')
    })

    for (const codec of [CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
      it(`lets kafkajs write and read a ${compressionName(codec)} record batch`, async () => {
        registerCodecs()
        const values = Array.from({ length: 500 }, (_, i) => `value ${i} `.repeat(i % 50))
        const records = values.map((value, i) => encodeRecord({ offsetDelta: i, key: Buffer.from(`key ${i}`), value: Buffer.from(value) }))
        const encoded = await encodeRecordBatch({ compression: codec, records, lastOffsetDelta: values.length - 1 })
        const batch = await decodeRecordBatch(new KafkaDecoder(encoded.buffer))
        expect(batch.records.map((record) => record.value?.toString())).to.deep.equal(values)
      })
    }

    // The librdkafka fixtures are the compressed records of real batches (librdkafka-fixtures.sh): with a batch
    // header around them, kafkajs' consumer code decodes all 1000 records.
    for (const [name, codec] of [['snappy', CompressionTypes.Snappy], ['lz4', CompressionTypes.LZ4], ['zstd', CompressionTypes.ZSTD]] as const) {
      it(`lets kafkajs read the records of a batch librdkafka compressed with ${name}`, async () => {
        registerCodecs()
        const batch = await decodeRecordBatch(new KafkaDecoder(batchAround(readFixture(`librdkafka-${name}.hex`).bytes, codec, 1000)))
        expect(batch.records).to.have.length(1000)
        batch.records.forEach((record, i) => {
          expect(record.value?.toString()).to.equal(`librdkafka ${name} record ${i}: the quick brown fox jumps over the lazy dog`)
        })
      })
    }
  })
})
