import { expect } from 'chai'
import { decompress } from '../../lib/codecs/compression'
import { CorruptRecordError, InvalidMessageError, InvalidOptionError } from '../../lib/errors'
import {
  decodeRecordBatches,
  encodeRecordBatch,
  stampRecordBatch,
  type CompressionCode,
  type RecordBatchOptions,
  type RecordInput,
} from '../../lib/protocol/record-batch'
import { batchFixtureNames, plain, plainRecords, readBatchFixture } from './fixtures'

const codecs: Array<[string, CompressionCode]> = [['none', 0], ['gzip', 1], ['snappy', 2], ['lz4', 3], ['zstd', 4]]

/** Hex of both, from a little before the first difference, so that a failure shows where the bytes part. */
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  if (actual.equals(expected)) return
  let i = 0
  while (i < actual.length && actual[i] === expected[i]) i++
  const from = Math.max(0, i - 8)
  expect({ firstDifference: i, length: actual.length, bytes: actual.subarray(from, i + 24).toString('hex') }).to.deep.equal({
    firstDifference: i,
    length: expected.length,
    bytes: expected.subarray(from, i + 24).toString('hex'),
  })
}

function manyRecords(count: number, seed: number): RecordInput[] {
  return Array.from({ length: count }, (_, i) => ({
    key: i % 5 === 0 ? null : `key-${seed}-${i}`,
    value: i % 7 === 0 ? null : Buffer.from(`value ${seed}/${i} `.repeat(1 + (i % 9))),
    timestamp: 1_700_000_000_000 + ((i * 7919) % 1000) - 500,
    headers: i % 3 === 0 ? [{ key: 'h', value: `${i}` }, { key: 'n', value: null }, { key: 'ü', value: Buffer.from([i & 0xff]) }] : null,
  }))
}

describe('protocol/record-batch', () => {
  describe('encodeRecordBatch writes the Java client\'s bytes exactly (uncompressed fixtures)', () => {
    for (const name of batchFixtureNames().filter((n) => n.startsWith('none-'))) {
      it(name, async () => {
        const fixture = readBatchFixture(name)
        expectSameBytes(await encodeRecordBatch(fixture.records, fixture.options), fixture.bytes)
      })
    }
  })

  describe('decodeRecordBatches reads the Java client\'s batches, every codec', () => {
    for (const name of batchFixtureNames()) {
      it(name, async () => {
        const fixture = readBatchFixture(name)
        const batches = await decodeRecordBatches(fixture.bytes)
        expect(batches).to.have.length(1)
        const batch = batches[0]!
        const timestamps = fixture.records.map((r) => r.timestamp)
        expect(plain(batch)).to.deep.equal({
          baseOffset: '0',
          partitionLeaderEpoch: -1,
          attributes: fixture.options.compression | (fixture.options.transactional ? 0x10 : 0),
          compression: fixture.options.compression,
          transactional: fixture.options.transactional,
          control: false,
          lastOffsetDelta: fixture.records.length - 1,
          baseTimestamp: timestamps[0],
          maxTimestamp: Math.max(...timestamps),
          producerId: String(fixture.options.producerId),
          producerEpoch: fixture.options.producerEpoch,
          baseSequence: fixture.options.baseSequence,
          records: plainRecords(fixture.records),
        })
      })
    }
  })

  describe('compressed batches hold the uncompressed records section and decode back to the inputs', () => {
    const fixture = readBatchFixture('none-headers')
    const options: RecordBatchOptions = { producerId: 5n, producerEpoch: 2, baseSequence: 10 }
    for (const [name, code] of codecs.slice(1)) {
      it(name, async () => {
        const records = manyRecords(300, code)
        const plainBatch = await encodeRecordBatch(records, options)
        const batch = await encodeRecordBatch(records, { ...options, compression: code })
        expect(batch.length, 'compressed size').to.be.below(plainBatch.length)
        expectSameBytes(await decompress(code, batch.subarray(61)), plainBatch.subarray(61))
        // The header differs from the uncompressed one only in batchLength, CRC and the codec bits.
        expectSameBytes(batch.subarray(23, 61), plainBatch.subarray(23, 61))
        expect(batch.readInt32BE(8)).to.equal(batch.length - 12)
        expect(batch.readInt16BE(21)).to.equal(code)
        const [decoded] = await decodeRecordBatches(batch)
        expect(plain(decoded!)).to.have.deep.property('records', plainRecords(records))
        const [small] = await decodeRecordBatches(await encodeRecordBatch(fixture.records, { compression: code }))
        expect(plain(small!)).to.have.deep.property('records', plainRecords(fixture.records))
      })
    }
  })

  it('writes the same bytes when keySize/valueSize hints are given', async () => {
    const fixture = readBatchFixture('none-unicode')
    const hinted = fixture.records.map((r) => ({
      ...r,
      ...(typeof r.key === 'string' ? { keySize: Buffer.byteLength(r.key) } : {}),
      ...(typeof r.value === 'string' ? { valueSize: Buffer.byteLength(r.value) } : {}),
    }))
    expectSameBytes(await encodeRecordBatch(hinted, fixture.options), fixture.bytes)
  })

  it('refuses a size hint that is not the UTF-8 byte length instead of writing a damaged record', async () => {
    for (const [value, valueSize] of [['café', 4], ['cafe', 5]] as const) {
      const err = await encodeRecordBatch([{ key: null, value, valueSize, timestamp: 0 }]).catch((e: unknown) => e)
      expect(err, `${value} as ${valueSize} bytes`).to.be.instanceOf(InvalidMessageError)
      expect((err as Error).message).to.match(/says \d+ bytes but the string is \d+ bytes/)
    }
  })

  it('keeps concurrent compressed encodes apart (the size table is shared between batches)', async () => {
    const inputs = Array.from({ length: 8 }, (_, i) => manyRecords(50 + i * 40, i))
    const batches = await Promise.all(inputs.map((records, i) => encodeRecordBatch(records, { compression: (i % 4) + 1 as CompressionCode })))
    for (const [i, batch] of batches.entries()) {
      const [decoded] = await decodeRecordBatches(batch)
      expect(plain(decoded!), `batch ${i}`).to.have.deep.property('records', plainRecords(inputs[i]!))
    }
  })

  it('encodes more records and headers than the initial size table holds', async () => {
    const records = manyRecords(5000, 99)
    const [decoded] = await decodeRecordBatches(await encodeRecordBatch(records))
    expect(plain(decoded!)).to.have.deep.property('records', plainRecords(records))
  })

  describe('refuses bad input with typed errors that say what is wrong', () => {
    const record: RecordInput = { key: 'k', value: 'v', timestamp: 1 }
    it('no records', async () => {
      const err = await encodeRecordBatch([]).catch((e: unknown) => e)
      expect(err).to.be.instanceOf(InvalidMessageError).with.property('message').match(/at least one record/)
    })
    for (const timestamp of [1.5, NaN, Infinity, 2 ** 53, '1' as unknown as number]) {
      it(`a timestamp of ${typeof timestamp} ${String(timestamp)}`, async () => {
        const err = await encodeRecordBatch([record, { ...record, timestamp }]).catch((e: unknown) => e)
        expect(err).to.be.instanceOf(InvalidMessageError).with.property('message').match(/record 1 has timestamp .*integer of epoch milliseconds/)
      })
    }
    it('a header without a string key', async () => {
      const err = await encodeRecordBatch([{ ...record, headers: [{ key: null as unknown as string, value: 'x' }] }]).catch((e: unknown) => e)
      expect(err).to.be.instanceOf(InvalidMessageError).with.property('message').match(/header 0 of record 0/)
    })
    const badOptions: Array<[string, RecordBatchOptions]> = [
      ['compression', { compression: 5 as CompressionCode }],
      ['producerId', { producerId: 2n ** 63n }],
      ['producerId', { producerId: 1 as unknown as bigint }],
      ['producerEpoch', { producerEpoch: 40000 }],
      ['baseSequence', { baseSequence: 1.5 }],
      ['baseSequence', { baseSequence: 2 ** 31 }],
    ]
    for (const [option, options] of badOptions) {
      it(`option ${option} of ${String(Object.values(options)[0])}`, async () => {
        const err = await encodeRecordBatch([record], options).catch((e: unknown) => e)
        expect(err).to.be.instanceOf(InvalidOptionError).with.property('option', option)
      })
    }
  })

  describe('stampRecordBatch', () => {
    const ids = { producerId: 123_456_789_012n, producerEpoch: 3, baseSequence: 42 }

    it('turns the Java client\'s batch without ids into its batch with them, byte for byte', () => {
      const batch = Buffer.from(readBatchFixture('none-basic').bytes)
      stampRecordBatch(batch, ids)
      expectSameBytes(batch, readBatchFixture('none-idempotent').bytes)
    })

    for (const [name, code] of codecs) {
      it(`a restamped ${name} batch equals one encoded with those ids from the start`, async () => {
        const records = manyRecords(100, 1)
        const batch = await encodeRecordBatch(records, { compression: code, producerId: 1n, producerEpoch: 0, baseSequence: 0, transactional: true })
        stampRecordBatch(batch, ids)
        expectSameBytes(batch, await encodeRecordBatch(records, { compression: code, ...ids, transactional: true }))
      })
    }

    it('refuses a damaged batch rather than giving it a fresh, valid CRC, and leaves it as it was', async () => {
      const batch = await encodeRecordBatch(manyRecords(10, 2))
      batch[100] ^= 0x01
      const before = Buffer.from(batch)
      expect(() => stampRecordBatch(batch, ids)).to.throw(CorruptRecordError, /CRC/)
      expect(batch.equals(before)).to.equal(true)
    })

    it('refuses more or less than exactly one batch', async () => {
      const batch = await encodeRecordBatch(manyRecords(3, 3))
      expect(() => stampRecordBatch(Buffer.concat([batch, batch]), ids)).to.throw(CorruptRecordError, /pass exactly one batch/)
      expect(() => stampRecordBatch(batch.subarray(0, batch.length - 1), ids)).to.throw(CorruptRecordError, /runs past the end/)
    })

    it('refuses ids out of range', async () => {
      const batch = await encodeRecordBatch(manyRecords(3, 3))
      expect(() => stampRecordBatch(batch, { ...ids, producerEpoch: -40000 })).to.throw(InvalidOptionError, /producerEpoch/)
    })
  })
})
