import { expect } from 'chai'
import { CompressionError, CorruptRecordError, UnsupportedCodecError } from '../../lib/errors'
import { crc32c } from '../../lib/protocol/crc32c'
import { decodeRecordBatches, encodeRecordBatch, type RecordInput } from '../../lib/protocol/record-batch'
import { plain, plainRecords, readBatchFixture } from './fixtures'

const records: RecordInput[] = [
  { key: 'a', value: 'first', timestamp: 1000, headers: [{ key: 'h', value: 'x' }] },
  { key: null, value: 'second', timestamp: 1002 },
  { key: 'c', value: null, timestamp: 999 },
]

/** Recomputes the CRC after a deliberate change, so that the check under test is the bounds check, not the CRC. */
function withCrc(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch, 21, batch.length), 17)
  return batch
}

async function decodeError(buf: Buffer): Promise<Error> {
  const err = await decodeRecordBatches(buf).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err, 'decodeRecordBatches should have failed').to.be.instanceOf(Error)
  return err as Error
}

async function expectCorrupt(buf: Buffer, position: number, message: RegExp): Promise<void> {
  const err = await decodeError(buf)
  expect(err).to.be.instanceOf(CorruptRecordError)
  expect(err).to.include({ code: 'ERR_KAFKA_PIPE_CORRUPT_RECORD', position, retriable: false })
  expect(err.message).to.match(message)
}

describe('protocol/record-batch-decode', () => {
  let batch: Buffer
  beforeEach(async () => {
    batch = await encodeRecordBatch(records)
  })

  it('reads concatenated batches (ours and the Java client\'s) in order', async () => {
    const java = readBatchFixture('none-basic')
    const gzip = await encodeRecordBatch(records, { compression: 1 })
    const batches = await decodeRecordBatches(Buffer.concat([batch, java.bytes, gzip]))
    expect(batches.map((b) => plain(b))).to.have.length(3)
    expect(plain(batches[0]!)).to.have.deep.property('records', plainRecords(records))
    expect(plain(batches[1]!)).to.have.deep.property('records', plainRecords(java.records))
    expect(plain(batches[2]!)).to.have.deep.property('records', plainRecords(records))
  })

  it('reads an empty buffer as no batches', async () => {
    expect(await decodeRecordBatches(Buffer.alloc(0))).to.deep.equal([])
  })

  it('gives the records of a LogAppendTime batch the broker\'s time (maxTimestamp), as the Java client does', async () => {
    batch.writeInt16BE(0x08, 21)
    batch.writeBigInt64BE(5000n, 35)
    const [decoded] = await decodeRecordBatches(withCrc(batch))
    expect(decoded!.records.map((r) => r.timestamp)).to.deep.equal([5000, 5000, 5000])
  })

  describe('rejects a flipped bit anywhere the CRC covers, or in the CRC itself', () => {
    for (const [where, offset] of [['the attributes', 21], ['the producer id', 45], ['the first record', 62], ['the last byte', -1], ['the CRC', 18]] as const) {
      it(where, async () => {
        batch[offset < 0 ? batch.length + offset : offset] ^= 0x04
        await expectCorrupt(batch, 0, /corrupt record batch at byte 0: CRC is 0x[0-9a-f]{8} but the bytes give 0x[0-9a-f]{8}/)
      })
    }

    it('in the second of two batches, naming where that batch starts', async () => {
      const two = Buffer.concat([batch, batch])
      two[two.length - 3] ^= 0x80
      await expectCorrupt(two, batch.length, /at byte \d+: CRC/)
    })
  })

  describe('rejects truncation and lengths past the end', () => {
    for (const keep of [5, 11, 12, 40, 61, -1]) {
      it(`a batch cut to ${keep < 0 ? 'all but its last byte' : `${keep} bytes`}`, async () => {
        await expectCorrupt(batch.subarray(0, keep < 0 ? batch.length + keep : keep), 0, /truncated|runs past the end|shorter than/)
      })
    }

    it('a batchLength one byte longer than the buffer', async () => {
      batch.writeInt32BE(batch.length - 12 + 1, 8)
      await expectCorrupt(batch, 0, /batchLength \d+ runs past the end of the buffer/)
    })

    it('a batchLength shorter than the header', async () => {
      batch.writeInt32BE(48, 8)
      await expectCorrupt(batch, 0, /batchLength 48 is shorter than the 49 bytes/)
    })

    it('a whole batch followed by a few stray bytes', async () => {
      await expectCorrupt(Buffer.concat([batch, Buffer.alloc(7)]), batch.length, /truncated: 7 bytes left/)
    })
  })

  describe('checks each record against the bounds even when the CRC matches', () => {
    it('a record count larger than the records', async () => {
      batch.writeInt32BE(4, 57)
      await expectCorrupt(withCrc(batch), 0, /runs past the end/)
    })

    it('a record count smaller than the records', async () => {
      batch.writeInt32BE(2, 57)
      await expectCorrupt(withCrc(batch), 0, /bytes follow the 2 records/)
    })

    it('a record length past the end of the records', async () => {
      batch[61] = 0x7e // varint 63
      await expectCorrupt(withCrc(batch), 0, /record 0 at byte 0 of the records claims 63 bytes/)
    })

    it('a key length past the end of its record', async () => {
      // record 0: length, attributes, timestamp delta, offset delta, then the key length
      batch[65] = 0x20 // varint 16
      await expectCorrupt(withCrc(batch), 0, /the key of record 0 claims 16 bytes/)
    })

    it('a magic other than 2', async () => {
      batch[16] = 1
      await expectCorrupt(batch, 0, /magic 1; only magic 2/)
    })
  })

  it('refuses a compression id Kafka does not define with an UnsupportedCodecError', async () => {
    batch.writeInt16BE(5, 21)
    const err = await decodeError(withCrc(batch))
    expect(err).to.be.instanceOf(UnsupportedCodecError)
    expect(err.message).to.match(/compression id 5/)
  })

  it('passes a CompressionError on for compressed records that do not decompress', async () => {
    batch.writeInt16BE(3, 21) // says lz4, holds plain records
    const err = await decodeError(withCrc(batch))
    expect(err).to.be.instanceOf(CompressionError).with.property('codec', 'lz4')
  })
})
