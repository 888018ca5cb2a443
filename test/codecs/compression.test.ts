import { expect } from 'chai'
import { CompressionCodecs, CompressionTypes } from 'kafkajs'
import { CompressionError, InvalidOptionError, UnsupportedCodecError } from '../../lib/errors'
import { compress, compressionName, decompress, parseCompression, registerCodecs, type CompressionCode } from '../../lib/codecs/compression'
import { fixtureInput, readFixture, sha256 } from './fixtures'

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

  describe('compress / decompress by attribute code', () => {
    const names = ['none', 'gzip', 'snappy', 'lz4', 'zstd']
    for (const code of [0, 1, 2, 3, 4] as const) {
      it(`${names[code]} (${code}) round-trips, and compresses unless it is none`, async () => {
        const input = fixtureInput()
        const compressed = await compress(code, input)
        if (code === 0) expect(compressed).to.equal(input)
        else expect(compressed.length).to.be.below(input.length)
        expect(sha256(await decompress(code, compressed))).to.equal(sha256(input))
      })
    }

    // The same fixtures the codec tests read: the Java client's compressed bytes, found by attribute code.
    for (const [name, code] of [['snappy', 2], ['lz4', 3], ['zstd', 4]] as const) {
      it(`${name} (${code}) decompresses what the Java client wrote`, async () => {
        const fixture = readFixture(`java-${name}.hex`)
        expect(sha256(await decompress(code, fixture.bytes))).to.equal(fixture.plainSha256)
      })
    }

    it('gzip (1) turns bad input into a CompressionError', async () => {
      const err = await decompress(1, Buffer.from('not gzip')).catch((e: unknown) => e)
      expect(err).to.be.instanceOf(CompressionError).with.property('codec', 'gzip')
    })

    it('refuses a code Kafka does not define with an UnsupportedCodecError that lists the valid ones', async () => {
      for (const op of [compress, decompress]) {
        const err = await op(5 as CompressionCode, Buffer.alloc(1)).catch((e: unknown) => e)
        expect(err).to.be.instanceOf(UnsupportedCodecError)
        expect((err as Error).message).to.match(/attribute 5 names no codec.*0 \(none\), 1 \(gzip\), 2 \(snappy\), 3 \(lz4\) and 4 \(zstd\)/)
      }
    })
  })
})
